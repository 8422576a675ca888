import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { LiveApp } from '../../../src/model/live.js';
import { canonicalDynoSize } from '../../../src/config/rules.js';
import { assignEnvNames, planImport } from '../../../src/import/build.js';
import { secretRule } from '../../../src/import/secret-rule.js';
import { escapeLiteral, renderImportYaml } from '../../../src/import/yaml.js';
import { importFingerprintInputs, inventoryForImport } from '../../../src/import/inventory.js';
import { createFingerprinter, fingerprintLiteral } from '../../../src/util/fingerprint.js';
import { interpolate } from '../../../src/config/interpolate.js';

function app(name: string, over: Partial<LiveApp> = {}): LiveApp {
  return {
    id: `id-${name}`,
    name,
    region: 'eu',
    stack: 'heroku-22',
    buildStack: 'heroku-24',
    maintenance: false,
    config: { vars: { RAILS_ENV: 'production', SECRET_KEY_BASE: `skb-${name}`, DATABASE_URL: 'postgres://u:p@h/db' } },
    formation: [
      { id: 'f2', type: 'worker', quantity: 1, size: 'Standard-2X' },
      { id: 'f1', type: 'web', quantity: 2, size: 'Standard-1X' },
    ],
    domains: [
      { id: 'h', hostname: `${name}.herokuapp.com`, kind: 'heroku', sniEndpoint: null, cname: null },
      { id: 'd1', hostname: 'WWW.Example.com', kind: 'custom', sniEndpoint: null, cname: 'x.herokudns.com' },
    ],
    drains: [
      { id: 'dr1', url: 'https://logs.example.com/in', token: 't1' },
      { id: 'dr2', url: 'https://user:pw@secure.example.com/in', token: 't2' },
      { id: 'dr3', url: 'syslog+tls://addon.example.com:1', token: 't3', addonId: 'a1' },
    ],
    addons: [
      {
        id: 'a1', name: 'postgresql-rigid-1', plan: 'heroku-postgresql:essential-0', service: 'heroku-postgresql', state: 'provisioned',
        appId: `id-${name}`, appName: name, configVars: ['DATABASE_URL'], attachments: [{ id: 'at1', name: 'DATABASE', appId: `id-${name}`, appName: name }],
      },
      {
        id: 'a2', name: 'redis-shared-1', plan: 'heroku-redis:mini', service: 'heroku-redis', state: 'provisioned',
        appId: 'id-other', appName: 'other', configVars: ['REDIS_URL'], attachments: [{ id: 'at2', name: 'REDIS', appId: `id-${name}`, appName: name }],
      },
    ],
    addonConfigVars: ['DATABASE_URL', 'REDIS_URL'],
    ...over,
  };
}

const canon = (s: string) => canonicalDynoSize(s);

describe('planImport + renderImportYaml', () => {
  it('writes literals for plain values and env references for secret-looking ones, leaves add-on vars and the heroku domain out, keys add-ons by attachment name', () => {
    const plan = planImport([app('shop')], { includeValues: false }, canon);
    const text = renderImportYaml(plan, { includeValues: false, schemaRef: '../schema/dynoform.schema.json' });
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/dynoform.schema.json');
    const doc = parse(text);
    expect(doc).toEqual({
      version: 1,
      apps: {
        shop: {
          region: 'eu',
          stack: 'heroku-24',
          maintenance: false,
          config: { RAILS_ENV: 'production', SECRET_KEY_BASE: '${env:SHOP__SECRET_KEY_BASE}' },
          addons: { database: { plan: 'heroku-postgresql:essential-0', as: 'DATABASE' } },
          formation: { web: { quantity: 2, size: 'standard-1X' }, worker: { quantity: 1, size: 'standard-2X' } },
          domains: ['www.example.com'],
          drains: ['${env:SHOP__LOG_DRAIN_URL}', 'https://logs.example.com/in'],
        },
      },
    });
    expect(text).toContain('web: { quantity: 2, size: standard-1X }');
    expect(text).not.toContain('pw@');
    expect(plan.env).toEqual([
      { name: 'SHOP__LOG_DRAIN_URL', uses: ['shop/drain.https://***@secure.example.com/in'], why: 'a URL with credentials' },
      { name: 'SHOP__SECRET_KEY_BASE', uses: ['shop/config.SECRET_KEY_BASE'], why: 'key matches *SECRET*' },
    ]);
    expect(plan.diagnostics.map((d) => d.code)).toEqual(['import-shared-addon-skipped']);
  });

  it('with --include-values writes literals, quoting what YAML would misread and escaping ${', () => {
    const l = app('shop', { config: { vars: { A: 'yes', B: '0123', C: 'has ${brace}', D: '', E: 'multi\nline' } } });
    const plan = planImport([l], { includeValues: true }, canon);
    const text = renderImportYaml(plan, { includeValues: true, schemaRef: 's.json' });
    expect(text).toContain('A: "yes"');
    expect(text).toContain('with --include-values');
    const cfg = parse(text).apps.shop.config as Record<string, string>;
    expect(cfg).toEqual({ A: 'yes', B: '0123', C: 'has $${brace}', D: '', E: 'multi\nline' });
    // What the loader makes of it is the live value again.
    expect(interpolate(cfg['C']!, {}).value).toBe('has ${brace}');
    expect(parse(text).apps.shop.drains).toEqual(['https://user:pw@secure.example.com/in', 'https://logs.example.com/in']);
    expect(plan.env).toEqual([]);
  });

  it('names every reference after its app, so apps imported together and the shell never share a variable by accident', () => {
    const plan = planImport([app('shop-staging'), app('shop-prod')], { includeValues: false }, canon);
    const cfg = (k: string) => plan.apps.find((a) => a.key === k)!.config.map((c) => `${c.key}=${c.envName ?? c.value}`);
    expect(cfg('shop-staging')).toEqual(['RAILS_ENV=production', 'SECRET_KEY_BASE=SHOP_STAGING__SECRET_KEY_BASE']);
    expect(cfg('shop-prod')).toEqual(['RAILS_ENV=production', 'SECRET_KEY_BASE=SHOP_PROD__SECRET_KEY_BASE']);
  });

  it('--secret-keys patterns make more keys references; source-marked values are references even with --include-values', () => {
    const { rule } = secretRule(['RAILS_*']);
    const plan = planImport([app('shop')], { includeValues: false, secretRule: rule! }, canon);
    expect(plan.apps[0]!.config.map((c) => c.envName)).toEqual(['SHOP__RAILS_ENV', 'SHOP__SECRET_KEY_BASE']);
    expect(plan.env.find((e) => e.name === 'SHOP__RAILS_ENV')!.why).toBe('key matches RAILS_*');

    const marked = planImport([app('shop')], { includeValues: true }, canon);
    marked.apps[0]!.config[0]!.sensitive = true;
    expect(assignEnvNames(marked.apps, { includeValues: true }).map((e) => `${e.name}: ${e.why}`)).toEqual(['SHOP__RAILS_ENV: marked sensitive in Terraform']);
  });

  it('keeps two different values apart when their preferred names meet (a LOG_DRAIN_URL config key and a drain)', () => {
    const l = app('shop', { config: { vars: { LOG_DRAIN_URL: 'https://a:b@one.example.com/' } } });
    const plan = planImport([l], { includeValues: false }, canon);
    expect(plan.env.map((e) => e.name)).toEqual(['SHOP__LOG_DRAIN_URL', 'SHOP__LOG_DRAIN_URL_2']);
  });

  it('escapeLiteral round-trips through the loader for any ${ placement', () => {
    for (const v of ['${x}', '$${x}', 'a${', '$', '${env:HOME}']) expect(interpolate(escapeLiteral(v), { HOME: '/root' }).value).toBe(v);
  });
});

describe('inventoryForImport', () => {
  it('owns every imported object with the fingerprint of its live value (secret scheme for env references)', async () => {
    const plan = planImport([app('shop')], { includeValues: false }, canon);
    const fp = createFingerprinter({ keys: { current: 'test-fingerprint-key-0123456789abcdef' } });
    await fp.prepare(importFingerprintInputs(plan));
    const inv = inventoryForImport(plan.apps[0]!, fp);
    expect(inv).toMatchObject({ key: 'shop', id: 'id-shop', name: 'shop', created: false, protect: true, region: 'eu', stack: 'heroku-24', maintenance: false });
    expect(Object.keys(inv.config)).toEqual(['RAILS_ENV', 'SECRET_KEY_BASE']);
    expect(inv.config['RAILS_ENV']).toEqual({ fingerprint: fingerprintLiteral('production'), secret: false });
    expect(inv.config['SECRET_KEY_BASE']!.secret).toBe(true);
    expect(fp.matches('skb-shop', true, inv.config['SECRET_KEY_BASE']!.fingerprint)).toBe(true);
    expect(inv.addons).toEqual({ database: { id: 'a1', name: 'postgresql-rigid-1', plan: 'heroku-postgresql:essential-0', attachment: 'DATABASE' } });
    expect(inv.domains).toEqual({ 'www.example.com': { id: 'd1', hostname: 'www.example.com' } });
    expect(inv.drains['dr1']).toEqual({ id: 'dr1', urlFingerprint: fingerprintLiteral('https://logs.example.com/in'), maskedUrl: 'https://logs.example.com/in' });
    expect(inv.drains['dr2']!.maskedUrl).toBe('https://***@secure.example.com/in');
    expect(inv.formation).toEqual({ web: { quantity: 2, size: 'standard-1X' }, worker: { quantity: 1, size: 'standard-2X' } });
    expect(JSON.stringify(inv)).not.toContain('skb-shop');
  });
});
