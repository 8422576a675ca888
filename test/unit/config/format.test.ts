import { describe, expect, it } from 'vitest';
import { countDiagnostics, formatDiagnostic } from '../../../src/config/index.js';

describe('formatDiagnostic', () => {
  it('writes file:line:col: severity: message [code]', () => {
    expect(
      formatDiagnostic({
        severity: 'error',
        code: 'config-value-not-string',
        message: 'config value for PORT must be a string: quote it ("5000")',
        file: 'staging.yaml',
        line: 12,
        col: 7,
      }),
    ).toBe('staging.yaml:12:7: error: config value for PORT must be a string: quote it ("5000") [config-value-not-string]');
  });

  it('leaves out what it does not know', () => {
    expect(formatDiagnostic({ severity: 'error', code: 'file-too-large', message: 'too large', file: 'a.yaml' })).toBe('a.yaml: error: too large [file-too-large]');
    expect(formatDiagnostic({ severity: 'warning', code: 'x', message: 'm', file: 'a.yaml', line: 3 })).toBe('a.yaml:3: warning: m [x]');
    expect(formatDiagnostic({ severity: 'info', code: 'x', message: 'm' })).toBe('info: m [x]');
  });
});

describe('countDiagnostics', () => {
  it('counts errors and warnings with plurals', () => {
    const e = { severity: 'error' as const, code: 'c', message: 'm' };
    const w = { severity: 'warning' as const, code: 'c', message: 'm' };
    expect(countDiagnostics([e, e, w]).text).toBe('2 errors, 1 warning');
    expect(countDiagnostics([e]).text).toBe('1 error, 0 warnings');
    expect(countDiagnostics([])).toEqual({ errors: 0, warnings: 0, text: '0 errors, 0 warnings' });
  });
});
