import { describe, expect, it } from 'vitest';
import { parseDesiredState } from '../../../src/config/parse.js';
import { interpolate } from '../../../src/config/interpolate.js';

const yaml = (value: string): { file: string; text: string }[] => [
  { file: 'd.yaml', text: `version: 1\napps:\n  shop:\n    config:\n      CLI_TOKEN: ${value}\n` },
];

describe('config: an empty ${env:} value', () => {
  it('is an error at the value: CI passes "" for a secret that does not exist', () => {
    const r = parseDesiredState(yaml('${env:CLI_TOKEN}'), { env: { CLI_TOKEN: '' } });
    expect(r.desired).toBeUndefined();
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'empty-env',
        file: 'd.yaml',
        line: 5,
        message: expect.stringContaining('reads ${env:CLI_TOKEN}, which is set but empty'),
      }),
    ]);
    expect(r.diagnostics[0]!.message).toContain('write ${env:CLI_TOKEN:-} to allow an empty value');
  });

  it('is a warning when validating without secrets, and the value is then not applicable', () => {
    const r = parseDesiredState(yaml('${env:CLI_TOKEN}'), { env: { CLI_TOKEN: '' }, allowMissingEnv: true });
    expect(r.diagnostics[0]).toMatchObject({ severity: 'warning', code: 'empty-env' });
    expect(r.desired!.apps.shop!.config.CLI_TOKEN!.missingEnvRefs).toEqual(['CLI_TOKEN']);
  });

  it('is allowed with :- (and a fallback is used when unset or empty), still secret', () => {
    const r = parseDesiredState(yaml('"${env:CLI_TOKEN:-}"'), { env: { CLI_TOKEN: '' } });
    expect(r.diagnostics).toEqual([]);
    expect(r.desired!.apps.shop!.config.CLI_TOKEN).toMatchObject({ value: '', secret: true, envRefs: ['CLI_TOKEN'] });
    expect(interpolate('${env:X:-none}', {}).value).toBe('none');
    expect(interpolate('${env:X:-none}', { X: '' }).value).toBe('none');
    expect(interpolate('${env:X:-none}', { X: 'v' }).value).toBe('v');
    expect(interpolate('${env:X:-}', {}).missing).toEqual([]);
  });
});
