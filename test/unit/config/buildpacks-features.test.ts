import { describe, expect, it } from 'vitest';
import { parseDesiredState } from '../../../src/config/index.js';

function parse(text: string) {
  return parseDesiredState([{ file: 'dynoform.yaml', text }], { env: {} });
}

const app = (...lines: string[]) => ['version: 1', 'apps:', '  shop:', ...lines.map((l) => `    ${l}`)].join('\n') + '\n';

describe('config: buildpacks and features', () => {
  it('reads an ordered buildpack list and features with their lines', () => {
    const r = parse(app('buildpacks:', '  - heroku/nodejs', '  - https://github.com/heroku/heroku-buildpack-python', 'features:', '  preboot: true', '  runtime-dyno-metadata: false'));
    expect(r.diagnostics).toEqual([]);
    const a = r.desired!.apps['shop']!;
    expect(a.buildpacks).toEqual([
      { buildpack: 'heroku/nodejs', loc: { file: 'dynoform.yaml', line: 5, col: 9 } },
      { buildpack: 'https://github.com/heroku/heroku-buildpack-python', loc: { file: 'dynoform.yaml', line: 6, col: 9 } },
    ]);
    expect(a.fieldLocs?.['buildpacks']).toMatchObject({ line: 4 });
    expect(a.features).toEqual({
      preboot: { enabled: true, loc: { file: 'dynoform.yaml', line: 8, col: 7 } },
      'runtime-dyno-metadata': { enabled: false, loc: { file: 'dynoform.yaml', line: 9, col: 7 } },
    });
  });

  it('buildpacks: [] is declared (clears the list); absent is not managed', () => {
    expect(parse(app('buildpacks: []')).desired!.apps['shop']!.buildpacks).toEqual([]);
    expect(parse(app('stack: heroku-24')).desired!.apps['shop']!.buildpacks).toBeUndefined();
  });

  it('refuses a duplicate buildpack, credentials in a URL, a bad entry and a quoted boolean, each at its line', () => {
    const r = parse(app('buildpacks:', '  - heroku/nodejs', '  - Heroku/NodeJS', '  - https://user:tok3n@example.com/bp.tgz', '  - nodejs', 'features:', '  preboot: "true"', '  Bad_Name: true'));
    const lines = r.diagnostics.map((d) => [d.code, d.line, d.col]);
    expect(lines).toEqual(
      expect.arrayContaining([
        ['duplicate-buildpack', 6, 9],
        ['buildpack-credentials', 7, 9],
        ['invalid-value', 8, 9],
        ['wrong-type', 10, 7],
      ]),
    );
    expect(r.diagnostics.some((d) => d.line === 11)).toBe(true);
    expect(JSON.stringify(r.diagnostics)).not.toContain('tok3n');
    expect(r.desired).toBeUndefined();
  });

  it('defaults: an app list replaces the default list; features merge key by key', () => {
    const r = parse(['version: 1', 'defaults:', '  buildpacks: [heroku/nodejs]', '  features: { preboot: true, log-runtime-metrics: true }', 'apps:', '  shop:', '    buildpacks: [heroku/ruby]', '    features: { preboot: false }', '  cart: {}'].join('\n'));
    expect(r.diagnostics).toEqual([]);
    expect(r.desired!.apps['shop']!.buildpacks!.map((b) => b.buildpack)).toEqual(['heroku/ruby']);
    expect(Object.fromEntries(Object.entries(r.desired!.apps['shop']!.features!).map(([k, v]) => [k, v.enabled]))).toEqual({ preboot: false, 'log-runtime-metrics': true });
    expect(r.desired!.apps['cart']!.buildpacks!.map((b) => b.buildpack)).toEqual(['heroku/nodejs']);
  });
});

describe('config: team, locked and collaborators', () => {
  it('reads them, lower-casing e-mails and adding view to permissions', () => {
    const r = parse(app('team: acme', 'locked: true', 'collaborators:', '  - Ann@Example.com', '  - { email: bob@example.com, permissions: [operate, deploy] }'));
    expect(r.diagnostics).toEqual([]);
    const a = r.desired!.apps['shop']!;
    expect(a).toMatchObject({ team: 'acme', locked: true });
    expect(a.collaborators!.map((c) => [c.email, c.permissions])).toEqual([
      ['ann@example.com', undefined],
      ['bob@example.com', ['view', 'deploy', 'operate']],
    ]);
  });

  it('permissions and locked need team:, a collaborator is listed once, and a bad e-mail or permission is refused at its line', () => {
    const r = parse(app('locked: true', 'collaborators:', '  - { email: bob@example.com, permissions: [deploy] }', '  - BOB@example.com', '  - not-an-email', '  - { email: c@example.com, permissions: [fly] }'));
    const got = r.diagnostics.map((d) => [d.code, d.line]);
    expect(got).toEqual(expect.arrayContaining([['team-only', 4], ['team-only', 6], ['duplicate-collaborator', 7], ['invalid-value', 8]]));
    expect(r.diagnostics.some((d) => d.line === 9)).toBe(true);
  });
});
