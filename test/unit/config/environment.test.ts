import { describe, expect, it } from 'vitest';
import { parseDesiredState } from '../../../src/config/parse.js';

const env = {};

describe('config: environment:', () => {
  it('is named once by a set; a shared defaults file names none', () => {
    const r = parseDesiredState(
      [
        { file: 'defaults.yaml', text: 'version: 1\ndefaults:\n  region: us\n' },
        { file: 'staging.yaml', text: 'version: 1\nenvironment: staging\napps:\n  shop-staging: {}\n' },
      ],
      { env },
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.desired).toMatchObject({ environment: 'staging', environmentLoc: { file: 'staging.yaml', line: 2, col: 14 } });
  });

  it('refuses two environments in one set, at the second, naming the first', () => {
    const r = parseDesiredState(
      [
        { file: 'production.yaml', text: 'version: 1\nenvironment: production\napps:\n  aaa: {}\n' },
        { file: 'staging.yaml', text: 'version: 1\nenvironment: staging\napps:\n  bbb: {}\n' },
      ],
      { env },
    );
    expect(r.desired).toBeUndefined();
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        code: 'conflicting-environments',
        file: 'staging.yaml',
        line: 2,
        message: expect.stringContaining('but production.yaml:2:14 is for "production"'),
      }),
    ]);
  });

  it('refuses a name that cannot name a state file', () => {
    const r = parseDesiredState([{ file: 'x.yaml', text: 'version: 1\nenvironment: Prod/1\napps:\n  a: {}\n' }], { env });
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', file: 'x.yaml', line: 2 });
    expect(r.diagnostics[0]!.message).toMatch(/environment/);
  });
});
