import { describe, expect, it } from 'vitest';
import { parseDesiredState } from '../../../src/config/index.js';
import type { DesiredApp } from '../../../src/model/desired.js';

const env = { SECRET_KEY_BASE: 'sk-123', DRAIN_PASS: 'pw-456', EMPTY: '' };

function parse(files: Record<string, string>, opts: { env?: Record<string, string | undefined>; allowMissingEnv?: boolean } = {}) {
  return parseDesiredState(
    Object.entries(files).map(([file, text]) => ({ file, text })),
    { env: opts.env ?? env, ...(opts.allowMissingEnv !== undefined ? { allowMissingEnv: opts.allowMissingEnv } : {}) },
  );
}

function only(files: Record<string, string>, key: string): DesiredApp {
  const r = parse(files);
  expect(r.diagnostics).toEqual([]);
  const app = r.desired?.apps[key];
  expect(app).toBeDefined();
  return app!;
}

describe('parseDesiredState: the DESIGN.md §2 example', () => {
  const text = [
    /* 1 */ '# yaml-language-server: $schema=../schema/dynoform.schema.json',
    /* 2 */ 'version: 1',
    /* 3 */ 'apps:',
    /* 4 */ '  shop-staging:',
    /* 5 */ '    region: us',
    /* 6 */ '    stack: heroku-24',
    /* 7 */ '    maintenance: false',
    /* 8 */ '    protect: true',
    /* 9 */ '    config:',
    /* 10 */ '      RAILS_ENV: staging',
    /* 11 */ '      SECRET_KEY_BASE: ${env:SECRET_KEY_BASE}',
    /* 12 */ '    config_mode: merge',
    /* 13 */ '    addons:',
    /* 14 */ '      db:',
    /* 15 */ '        plan: heroku-postgresql:essential-0',
    /* 16 */ '        as: DATABASE',
    /* 17 */ '      cache: { plan: heroku-redis:mini }',
    /* 18 */ '    formation:',
    /* 19 */ '      web: { quantity: 2, size: standard-1X }',
    /* 20 */ '      worker: { quantity: 1, size: standard-2X }',
    /* 21 */ '    domains:',
    /* 22 */ '      - www.example.com',
    /* 23 */ '      - { hostname: api.example.com, sni_endpoint: null }',
    /* 24 */ '    drains:',
    /* 25 */ '      - https://logs.example.com/ingest',
    '',
  ].join('\n');
  const at = (line: number, col: number) => ({ file: 'staging.yaml', line, col });

  it('builds exactly the model, with positions', () => {
    const r = parse({ 'staging.yaml': text });
    expect(r.diagnostics).toEqual([]);
    expect(r.files).toEqual(['staging.yaml']);
    expect(r.desired).toEqual({
      files: ['staging.yaml'],
      apps: {
        'shop-staging': {
          key: 'shop-staging',
          name: 'shop-staging',
          region: 'us',
          stack: 'heroku-24',
          maintenance: false,
          protect: true,
          config: {
            RAILS_ENV: { value: 'staging', secret: false, loc: at(10, 7) },
            SECRET_KEY_BASE: { value: 'sk-123', secret: true, envRefs: ['SECRET_KEY_BASE'], secretParts: ['sk-123'], loc: at(11, 7) },
          },
          configMode: 'merge',
          addons: {
            db: { key: 'db', plan: 'heroku-postgresql:essential-0', as: 'DATABASE', loc: at(14, 7), planLoc: at(15, 9) },
            cache: { key: 'cache', plan: 'heroku-redis:mini', loc: at(17, 7), planLoc: at(17, 16) },
          },
          formation: {
            web: { type: 'web', quantity: 2, size: 'standard-1X', loc: at(19, 7), sizeLoc: at(19, 27) },
            worker: { type: 'worker', quantity: 1, size: 'standard-2X', loc: at(20, 7), sizeLoc: at(20, 30) },
          },
          domains: [
            { hostname: 'www.example.com', loc: at(22, 9) },
            { hostname: 'api.example.com', sniEndpoint: null, loc: at(23, 9) },
          ],
          drains: [{ url: 'https://logs.example.com/ingest', secret: false, loc: at(25, 9) }],
          loc: at(4, 3),
          fieldLocs: {
            region: at(5, 5),
            stack: at(6, 5),
            maintenance: at(7, 5),
            protect: at(8, 5),
            config: at(9, 5),
            configMode: at(12, 5),
            addons: at(13, 5),
            formation: at(18, 5),
            domains: at(21, 5),
            drains: at(24, 5),
          },
        },
      },
    });
  });
});

describe('parseDesiredState: defaults and names', () => {
  it('applies defaults: protect true, config_mode merge, name = key', () => {
    const app = only({ 'a.yaml': 'version: 1\napps:\n  shop: {}\n' }, 'shop');
    expect(app).toMatchObject({ key: 'shop', name: 'shop', protect: true, configMode: 'merge', config: {}, addons: {}, formation: {}, domains: [], drains: [] });
    expect(app).not.toHaveProperty('region');
    expect(app).not.toHaveProperty('maintenance');
  });

  it('keeps the key as the handle when name: renames the app', () => {
    const app = only({ 'a.yaml': 'version: 1\napps:\n  db:\n    name: shop-database\n' }, 'db');
    expect(app.key).toBe('db');
    expect(app.name).toBe('shop-database');
    expect(app.fieldLocs?.['name']).toEqual({ file: 'a.yaml', line: 4, col: 5 });
  });

  it('merges a defaults file under every app of the set: maps key by key, the app wins, lists replace', () => {
    const r = parse({
      'defaults.yaml': [
        'version: 1',
        'defaults:',
        '  region: us',
        '  config: { LANG: en_US.UTF-8, LOG_LEVEL: info }',
        '  addons: { db: { plan: heroku-postgresql:essential-0, as: DATABASE } }',
        '  formation: { web: { quantity: 1, size: basic } }',
        '  domains: [default.example.com]',
        '  drains: [https://logs.example.com/a]',
        '',
      ].join('\n'),
      'staging.yaml': [
        'version: 1',
        'apps:',
        '  shop-staging:',
        '    region: eu',
        '    config: { LOG_LEVEL: debug }',
        '    addons: { db: heroku-postgresql:standard-0 }',
        '    formation: { web: 3 }',
        '    domains: [staging.example.com]',
        '    drains: []',
        '  shop-two: {}',
        '',
      ].join('\n'),
    });
    expect(r.diagnostics).toEqual([]);
    const s = r.desired!.apps['shop-staging']!;
    expect(s.region).toBe('eu');
    expect(s.config['LANG']).toEqual({ value: 'en_US.UTF-8', secret: false, loc: { file: 'defaults.yaml', line: 4, col: 13 } });
    expect(s.config['LOG_LEVEL']).toEqual({ value: 'debug', secret: false, loc: { file: 'staging.yaml', line: 5, col: 15 } });
    // The short forms merge field by field with the long form of the defaults.
    expect(s.addons['db']).toMatchObject({ plan: 'heroku-postgresql:standard-0', as: 'DATABASE' });
    expect(s.formation['web']).toMatchObject({ quantity: 3, size: 'basic' });
    expect(s.domains.map((d) => d.hostname)).toEqual(['staging.example.com']);
    expect(s.drains).toEqual([]);
    expect(s.fieldLocs?.['region']).toEqual({ file: 'staging.yaml', line: 4, col: 5 });
    const two = r.desired!.apps['shop-two']!;
    expect(two.region).toBe('us');
    expect(two.fieldLocs?.['region']).toEqual({ file: 'defaults.yaml', line: 3, col: 3 });
    expect(two.drains.map((d) => d.url)).toEqual(['https://logs.example.com/a']);
    expect(two.domains.map((d) => d.hostname)).toEqual(['default.example.com']);
  });

  it('accepts a file with only defaults, and defaults alone declare no app', () => {
    const r = parse({ 'defaults.yaml': 'version: 1\ndefaults:\n  region: us\n' });
    expect(r.diagnostics).toEqual([]);
    expect(r.desired).toEqual({ apps: {}, files: ['defaults.yaml'] });
  });

  it('combines defaults from two files when they do not overlap', () => {
    const r = parse({
      'a.yaml': 'version: 1\ndefaults:\n  config: { A: a }\n',
      'b.yaml': 'version: 1\ndefaults:\n  config: { B: b }\napps:\n  shop: {}\n',
    });
    expect(r.diagnostics).toEqual([]);
    expect(Object.keys(r.desired!.apps['shop']!.config)).toEqual(['A', 'B']);
  });

  it('supports YAML anchors and merge keys, keeping the anchor positions', () => {
    const app = only(
      {
        'a.yaml': [
          'version: 1',
          'apps:',
          '  shop-one: &base',
          '    region: eu',
          '    config: { A: "1" }',
          '  shop-two:',
          '    <<: *base',
          '    region: us',
          '',
        ].join('\n'),
      },
      'shop-two',
    );
    expect(app.region).toBe('us');
    expect(app.config['A']).toEqual({ value: '1', secret: false, loc: { file: 'a.yaml', line: 5, col: 15 } });
  });
});

describe('parseDesiredState: large but legitimate files', () => {
  it('lets 500 apps merge one anchor (yaml refuses more than 100 uses by default)', () => {
    const text =
      'version: 1\napps:\n  base-app: &base\n    region: eu\n    config: { A: "1" }\n' +
      Array.from({ length: 500 }, (_, i) => `  app-${i}:\n    <<: *base\n    stack: heroku-24\n`).join('');
    const r = parse({ 'a.yaml': text });
    expect(r.diagnostics).toEqual([]);
    expect(Object.keys(r.desired!.apps)).toHaveLength(501);
    expect(r.desired!.apps['app-499']).toMatchObject({ region: 'eu', stack: 'heroku-24', config: { A: { value: '1' } } });
  });

  it('reports a duplicate in a 100,000-key map read by the yaml path (checked by the walker: the check of yaml is quadratic)', () => {
    // The anchor sends the file down the yaml path; its own uniqueKeys check would take minutes here.
    const text = 'version: 1\napps:\n  shop:\n    config:\n      A0: &v x\n' + Array.from({ length: 100_000 }, (_, i) => `      K${i}: y\n`).join('') + '      K5: z\n';
    const r = parse({ 'a.yaml': text });
    // (100,000 keys are also far over Heroku's 32 kB of config: that is another check's concern.)
    expect(r.diagnostics.filter((d) => d.code !== 'config-too-large').map((d) => [d.line, d.code])).toEqual([[100_006, 'yaml-duplicate-key']]);
  });
});

describe('parseDesiredState: normalisation', () => {
  it('canonicalises dyno sizes, hostnames, plans and attachment names', () => {
    const app = only(
      {
        'a.yaml': [
          'version: 1',
          'apps:',
          '  shop:',
          '    addons: { db: { plan: Heroku-Postgresql:Essential-0, as: database } }',
          '    formation: { web: { size: STANDARD-1x }, worker: { size: Performance-l-ram }, clock: { size: eco } }',
          '    domains: [WWW.Example.COM, "*.Example.com"]',
          '',
        ].join('\n'),
      },
      'shop',
    );
    expect(app.addons['db']).toMatchObject({ plan: 'heroku-postgresql:essential-0', as: 'DATABASE' });
    expect(Object.values(app.formation).map((f) => f.size)).toEqual(['standard-1X', 'performance-L-RAM', 'eco']);
    expect(app.domains.map((d) => d.hostname)).toEqual(['www.example.com', '*.example.com']);
  });

  it('keeps add-on name and provisioning options, unescaping $${', () => {
    const app = only(
      { 'a.yaml': 'version: 1\napps:\n  shop:\n    addons:\n      db: { plan: a:b, name: shop-db, config: { fork: other-db, note: "$${x}" } }\n' },
      'shop',
    );
    expect(app.addons['db']).toMatchObject({ name: 'shop-db', config: { fork: 'other-db', note: '${x}' } });
  });
});

describe('parseDesiredState: interpolation and secrets', () => {
  it('marks interpolated values secret and names the variables; $${ is a literal', () => {
    const app = only(
      {
        'a.yaml': [
          'version: 1',
          'apps:',
          '  shop:',
          '    config:',
          '      MIXED: "a-${env:SECRET_KEY_BASE}-${env:EMPTY:-}-${env:SECRET_KEY_BASE}"',
          '      LITERAL: "$${env:SECRET_KEY_BASE} costs $5"',
          '    drains:',
          '      - https://user:${env:DRAIN_PASS}@logs.example.com/x',
          '      - syslog+tls://logs.example.com:6514',
          '',
        ].join('\n'),
      },
      'shop',
    );
    expect(app.config['MIXED']).toMatchObject({ value: 'a-sk-123--sk-123', secret: true, envRefs: ['SECRET_KEY_BASE', 'EMPTY'] });
    expect(app.config['LITERAL']).toMatchObject({ value: '${env:SECRET_KEY_BASE} costs $5', secret: false });
    expect(app.config['LITERAL']).not.toHaveProperty('envRefs');
    expect(app.drains[0]).toMatchObject({ url: 'https://user:pw-456@logs.example.com/x', secret: true, envRefs: ['DRAIN_PASS'] });
    expect(app.drains[1]).toMatchObject({ url: 'syslog+tls://logs.example.com:6514', secret: false });
  });

  it('with allowMissingEnv, a missing variable is a warning and the value says what is missing', () => {
    const text = 'version: 1\napps:\n  shop:\n    config:\n      KEY: ${env:NOT_SET}\n    drains: ["${env:NO_DRAIN}"]\n';
    const strict = parse({ 'a.yaml': text });
    expect(strict.desired).toBeUndefined();
    expect(strict.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ['error', 'missing-env', 5],
      ['error', 'missing-env', 6],
    ]);
    const lenient = parse({ 'a.yaml': text }, { allowMissingEnv: true });
    expect(lenient.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ['warning', 'missing-env', 5],
      ['warning', 'missing-env', 6],
    ]);
    const app = lenient.desired!.apps['shop']!;
    expect(app.config['KEY']).toMatchObject({ value: '', secret: true, envRefs: ['NOT_SET'], missingEnvRefs: ['NOT_SET'] });
    expect(app.drains[0]).toMatchObject({ secret: true, missingEnvRefs: ['NO_DRAIN'] });
  });

  it('never quotes a secret value in a diagnostic', () => {
    const secret = 'hunter2-very-secret';
    const r = parse(
      {
        'a.yaml': [
          'version: 1',
          'apps:',
          '  shop:',
          '    config: { A: "${env:S}", B: "${env:S}" }',
          '    drains: ["${env:S}", "${env:BAD}", "${env:BAD}"]',
          '',
        ].join('\n'),
      },
      { env: { S: secret, BAD: `ftp://x:${secret}@h` } },
    );
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(JSON.stringify(r.diagnostics)).not.toContain(secret);
  });
});

describe('parseDesiredState: several files', () => {
  it('orders diagnostics by file as given, then line', () => {
    const r = parse({
      'b.yaml': 'version: 1\napps:\n  shop:\n    config: { PORT: 1 }\n',
      'a.yaml': 'version: 1\napps:\n  other:\n    regoin: x\n',
    });
    expect(r.diagnostics.map((d) => [d.file, d.line])).toEqual([
      ['b.yaml', 4],
      ['a.yaml', 4],
    ]);
    expect(r.apps).toEqual(['shop', 'other']);
  });

  it('reports every problem, not only the first', () => {
    const r = parse({
      'a.yaml': 'version: 1\napps:\n  shop:\n    config: { PORT: 1, DEBUG: true }\n  other:\n    formation: { web: { size: huge } }\n',
    });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['config-value-not-string', 'config-value-not-string', 'unknown-dyno-size']);
  });

  it('still checks the rest of an app when one part of it fails the schema', () => {
    const r = parse({
      'a.yaml': [
        'version: 1',
        'apps:',
        '  shop:',
        '    config: { PORT: 5000, SECRET: "${env:NOT_SET}" }',
        '    formation: { web: { quantity: 500 }, worker: { size: huge } }',
        '    domains: [-bad-, WWW.A.COM, www.a.com]',
        '',
      ].join('\n'),
    });
    expect(r.diagnostics.map((d) => [d.line, d.code])).toEqual([
      [4, 'config-value-not-string'],
      [4, 'missing-env'],
      [5, 'invalid-formation-quantity'],
      [5, 'unknown-dyno-size'],
      [6, 'invalid-hostname'],
      [6, 'duplicate-domain'],
    ]);
  });

  it('keeps checking other files and apps when one file is broken', () => {
    const r = parse({ 'a.yaml': 'version: 1\napps: [\n', 'b.yaml': 'version: 1\napps:\n  shop: { regoin: x }\n' });
    expect(r.diagnostics.map((d) => [d.file, d.code])).toEqual([
      ['a.yaml', 'yaml-syntax'],
      ['b.yaml', 'unknown-key'],
    ]);
  });

  it('lists at most 1,000 errors per file and counts the rest', () => {
    const many = (n: number) => 'version: 1\napps:\n  shop:\n    config:\n' + Array.from({ length: n }, (_, i) => `      K${i}: ${i}\n`).join('');
    const r = parse({ 'a.yaml': many(1500), 'b.yaml': 'version: 1\napps:\n  other:\n    regoin: x\n' });
    expect(r.diagnostics.filter((d) => d.file === 'a.yaml' && d.severity === 'error')).toHaveLength(1000);
    const notes = r.diagnostics.filter((d) => d.code === 'too-many-problems');
    expect(notes).toEqual([{ severity: 'info', code: 'too-many-problems', message: '500 more errors in this file are not listed', file: 'a.yaml' }]);
    // The note closes a.yaml's list; b.yaml's problems still follow.
    expect(r.diagnostics.indexOf(notes[0]!)).toBe(1000);
    expect(r.diagnostics.at(-1)?.code).toBe('unknown-key');
    expect(r.unlistedErrors).toBe(500);
    // Past 2,000 schema errors the rest are counted without being turned into messages.
    const huge = parse({ 'a.yaml': many(5000) });
    expect(huge.unlistedErrors).toBe(4000);
    expect(huge.diagnostics.at(-1)?.message).toBe('4000 more errors in this file are not listed');
  });

  it('never builds an object with a polluted prototype', () => {
    const r = parse({ 'a.yaml': 'version: 1\napps:\n  shop:\n    config:\n      __proto__: { polluted: "yes" }\n' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['forbidden-key']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
