import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { LiveApp } from '../../../src/model/live.js';
import { canonicalDynoSize } from '../../../src/config/rules.js';
import { mapTerraformState, terraformApps } from '../../../src/import/terraform/map.js';
import { isSensitive, parseTerraformState, TerraformStateError, type TfState } from '../../../src/import/terraform/state.js';
import { renderImportYaml } from '../../../src/import/yaml.js';
import { renderTerraformReport } from '../../../src/render/import-terraform-text.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/terraform');
const HEROKU = 'provider["registry.terraform.io/heroku/heroku"]';
const APP_ID = '11111111-1111-4111-8111-111111111111';

interface Res {
  type: string;
  name: string;
  attributes: Record<string, unknown>;
  sensitive?: string[][];
  provider?: string;
  mode?: string;
  index_key?: string;
}

/** A version 4 state as Terraform writes it. */
function tfstate(resources: Res[]): string {
  return JSON.stringify({
    version: 4,
    terraform_version: '1.11.4',
    serial: 1,
    lineage: 'l',
    outputs: {},
    resources: resources.map((r) => ({
      mode: r.mode ?? 'managed',
      type: r.type,
      name: r.name,
      provider: r.provider ?? HEROKU,
      instances: [
        {
          ...(r.index_key ? { index_key: r.index_key } : {}),
          schema_version: 1,
          attributes: r.attributes,
          sensitive_attributes: (r.sensitive ?? []).map((p) =>
            p.map((s, i) => (i === 0 ? { type: 'get_attr', value: s } : { type: 'index', value: { value: s, type: 'string' } })),
          ),
        },
      ],
    })),
  });
}

const app = (attrs: Record<string, unknown> = {}, sensitive: string[][] = [['sensitive_config_vars']]): Res => ({
  type: 'heroku_app',
  name: 'shop',
  attributes: {
    id: APP_ID,
    uuid: APP_ID,
    name: 'shop',
    region: 'eu',
    stack: 'heroku-24',
    buildpacks: [],
    organization: [],
    acm: false,
    space: null,
    internal_routing: false,
    config_vars: {},
    sensitive_config_vars: {},
    all_config_vars: {},
    ...attrs,
  },
  sensitive: [['all_config_vars'], ...sensitive],
});

function live(over: Partial<LiveApp> = {}): LiveApp {
  return {
    id: APP_ID,
    name: 'shop',
    region: 'eu',
    stack: 'heroku-24',
    buildStack: 'heroku-24',
    maintenance: false,
    config: { vars: { RAILS_ENV: 'production', SESSION_SECRET: 'sess-s3cr3t', API_HOST: 'api.example.com', DATABASE_URL: 'postgres://u:dbpw@h/d' } },
    formation: [{ id: 'f1', type: 'web', quantity: 2, size: 'Standard-1X' }],
    domains: [
      { id: 'dh', hostname: 'shop.herokuapp.com', kind: 'heroku', sniEndpoint: null, cname: null },
      { id: 'd1', hostname: 'www.example.com', kind: 'custom', sniEndpoint: 'cert-1', cname: 'x.herokudns.com' },
    ],
    drains: [
      { id: 'dr1', url: 'https://logs.example.com/in', token: 'd.tok1' },
      { id: 'dr2', url: 'https://u:drain-pw@secure.example.com/in', token: 'd.tok2' },
    ],
    addons: [
      {
        id: 'a1', name: 'shop-db', plan: 'heroku-postgresql:essential-0', service: 'heroku-postgresql', state: 'provisioned',
        appId: APP_ID, appName: 'shop', configVars: ['DATABASE_URL'], attachments: [{ id: 't1', name: 'DATABASE', appId: APP_ID, appName: 'shop' }],
      },
      {
        id: 'a2', name: 'redis-quiet-05970', plan: 'heroku-redis:mini', service: 'heroku-redis', state: 'provisioned',
        appId: APP_ID, appName: 'shop', configVars: ['REDIS_URL'], attachments: [{ id: 't2', name: 'REDIS', appId: APP_ID, appName: 'shop' }],
      },
    ],
    addonConfigVars: ['DATABASE_URL', 'REDIS_URL'],
    ...over,
  };
}

const canon = (s: string) => canonicalDynoSize(s);
const run = (resources: Res[], lives: LiveApp[] = [live()]) =>
  mapTerraformState(parseTerraformState(tfstate(resources), 'terraform.tfstate'), lives, { includeValues: false }, canon);
const yamlOf = (r: ReturnType<typeof run>) => parse(renderImportYaml(r.plan, { includeValues: false, schemaRef: 's.json' })) as { apps: Record<string, Record<string, unknown>> };
const entry = (r: ReturnType<typeof run>, address: string) => r.report.find((e) => e.address === address)!;

describe('reading a Terraform state', () => {
  it('reads terraform.tfstate and show.json of the fixture into the same instances and sensitive paths', () => {
    const a = parseTerraformState(readFileSync(join(FIXTURES, 'terraform.tfstate'), 'utf8'), 'terraform.tfstate');
    const b = parseTerraformState(readFileSync(join(FIXTURES, 'show.json'), 'utf8'), 'show.json');
    expect(a.format).toBe('tfstate');
    expect(b.format).toBe('show-json');
    expect(a.instances).toHaveLength(32);
    const key = (s: TfState) => s.instances.map((i) => i.address).sort();
    expect(key(b)).toEqual(key(a));
    expect(a.instances.map((i) => i.address)).toContain('heroku_domain.storefront["www.acme-shop.example.com"]');
    for (const i of a.instances) {
      const j = b.instances.find((x) => x.address === i.address)!;
      expect(j.attributes).toEqual(i.attributes);
      expect(j.provider).toBe('registry.terraform.io/heroku/heroku');
      expect(i.provider).toBe('registry.terraform.io/heroku/heroku');
      for (const attr of Object.keys(i.attributes)) expect(isSensitive(j, [attr]), `${i.address}.${attr}`).toBe(isSensitive(i, [attr]));
    }
    const storefront = a.instances.find((i) => i.address === 'heroku_app.storefront')!;
    expect(isSensitive(storefront, ['sensitive_config_vars', 'SESSION_SECRET'])).toBe(true);
    expect(isSensitive(storefront, ['config_vars', 'NODE_ENV'])).toBe(false);
    expect(terraformApps(a).map((x) => x.name).sort()).toEqual(['acme-admin', 'acme-jobs', 'acme-orders-eu', 'acme-staging', 'acme-storefront']);
  });

  it('refuses a state of another format version, naming the file and what to do', () => {
    const v3 = JSON.stringify({ version: 3, terraform_version: '0.11.14', modules: [] });
    expect(() => parseTerraformState(v3, 'old.tfstate')).toThrow(TerraformStateError);
    expect(() => parseTerraformState(v3, 'old.tfstate')).toThrow(/^old\.tfstate: state format version 3 is not supported: only version 4/);
    expect(() => parseTerraformState(JSON.stringify({ format_version: '2.0', values: {} }), 's.json')).toThrow(/format version "2\.0" is not supported/);
  });

  it('refuses the JSON of a plan, non-JSON with its line and column, and shapes Terraform never writes', () => {
    expect(() => parseTerraformState(JSON.stringify({ format_version: '1.2', planned_values: {} }), 'p.json')).toThrow(/of a plan, not of a state/);
    expect(() => parseTerraformState('{\n  "version": 4,\n  oops\n}', 'bad.tfstate')).toThrow(/^bad\.tfstate:3:3: not JSON/);
    expect(() => parseTerraformState('[]', 'x')).toThrow(/expected a JSON object/);
    expect(() => parseTerraformState(JSON.stringify({ version: 4, resources: {} }), 'x')).toThrow(/x: resources: expected a list/);
    expect(() => parseTerraformState(JSON.stringify({ version: 4, resources: [{ mode: 'managed', type: 't', name: 'n', provider: 'p', instances: [] }] }), 'x')).toThrow(
      /resources\[0\]\.provider: expected a provider address/,
    );
  });

  it('an unreadable sensitive path step marks the whole attribute sensitive (errs on the safe side)', () => {
    const text = tfstate([app()]).replace('"sensitive_attributes":[[{"type":"get_attr","value":"all_config_vars"}]', '"sensitive_attributes":[[{"type":"get_attr","value":"config_vars"},{"type":"weird"}],[{"type":"get_attr","value":"all_config_vars"}]');
    const s = parseTerraformState(text, 'x');
    expect(isSensitive(s.instances[0]!, ['config_vars', 'ANY'])).toBe(true);
  });
});

describe('mapping each kind', () => {
  it('heroku_app: name, region, stack from the live app; config_vars as literals unless secret-looking, sensitive_config_vars as references', () => {
    const r = run([app({ config_vars: { RAILS_ENV: 'production', API_HOST: 'api.example.com' }, sensitive_config_vars: { SESSION_SECRET: 'sess-s3cr3t' } })]);
    expect(yamlOf(r).apps['shop']).toEqual({
      region: 'eu',
      stack: 'heroku-24',
      config: { API_HOST: 'api.example.com', RAILS_ENV: 'production', SESSION_SECRET: '${env:SHOP__SESSION_SECRET}' },
    });
    expect(r.plan.env).toEqual([{ name: 'SHOP__SESSION_SECRET', uses: ['shop/config.SESSION_SECRET'], why: 'marked sensitive in Terraform' }]);
    expect(entry(r, 'heroku_app.shop')).toEqual({
      address: 'heroku_app.shop',
      status: 'mapped',
      yaml: ['apps.shop', 'apps.shop.config.API_HOST', 'apps.shop.config.RAILS_ENV', 'apps.shop.config.SESSION_SECRET'],
    });
  });

  it('heroku_app: a config_vars value Terraform marked sensitive, or that looks secret, is a reference too; add-on vars never declared', () => {
    const l = live({ config: { vars: { PLAIN: 'x', MARKED: 'y', STRIPE_KEY: 'z', DATABASE_URL: 'postgres://u:dbpw@h/d' } } });
    const r = run([app({ config_vars: { PLAIN: 'x', MARKED: 'y', STRIPE_KEY: 'z', DATABASE_URL: 'postgres://u:dbpw@h/d' } }, [['config_vars', 'MARKED']])], [l]);
    expect(yamlOf(r).apps['shop']!['config']).toEqual({ MARKED: '${env:SHOP__MARKED}', PLAIN: 'x', STRIPE_KEY: '${env:SHOP__STRIPE_KEY}' });
    expect(r.plan.diagnostics.map((d) => d.message)).toEqual([
      'heroku_app.shop: config_vars.DATABASE_URL is set by an add-on attached to shop: left out (add-ons own their config vars)',
    ]);
  });

  it('heroku_app: buildpacks in order; organization and acm reported as not mapped yet; maintenance (not in Terraform) not declared', () => {
    const r = run([app({ buildpacks: ['heroku/ruby', 'https://github.com/heroku/heroku-buildpack-pgbouncer'], organization: [{ name: 'acme', locked: false, personal: false }], acm: true })]);
    expect(yamlOf(r).apps['shop']!['buildpacks']).toEqual(['heroku/ruby', 'https://github.com/heroku/heroku-buildpack-pgbouncer']);
    expect(entry(r, 'heroku_app.shop').yaml).toEqual(['apps.shop', 'apps.shop.buildpacks', 'apps.shop.team']);
    expect(entry(r, 'heroku_app.shop').reason).toBe('left out: acm (not mapped yet: Automated Certificate Management arrives with a later version; it stays on)');
    expect(yamlOf(r).apps['shop']!['maintenance']).toBeUndefined();
    const creds = run([app({ buildpacks: ['https://user:tok@example.com/bp.tgz'] })]);
    expect(yamlOf(creds).apps['shop']!['buildpacks']).toBeUndefined();
    expect(entry(creds, 'heroku_app.shop').reason).toBe('left out: buildpacks (a URL holds credentials, which the YAML does not take)');
    expect(JSON.stringify(creds)).not.toContain('user:tok'); // the report names no credential
  });

  it('heroku_app: buildpacks as Terraform spells them when they are the live list; the live list (with a warning) when not', () => {
    const l = live({ buildpacks: { list: ['heroku/ruby'], urls: ['https://buildpack-registry.s3.amazonaws.com/buildpacks/heroku/ruby.tgz'] } });
    const same = run([app({ buildpacks: ['urn:buildpack:heroku/ruby'] })], [l]);
    expect(yamlOf(same).apps['shop']!['buildpacks']).toEqual(['urn:buildpack:heroku/ruby']);
    expect(same.plan.diagnostics).toEqual([]);
    const differs = run([app({ buildpacks: ['heroku/python'] })], [l]);
    expect(yamlOf(differs).apps['shop']!['buildpacks']).toEqual(['heroku/ruby']);
    expect(differs.plan.diagnostics[0]!.message).toBe("heroku_app.shop: buildpacks differ between Terraform's state and shop: the YAML declares the app's current list");
  });

  it('heroku_app organization → team (with its lock as read); heroku_team_collaborator / heroku_collaborator → collaborators', () => {
    const l = live({
      team: 'acme',
      locked: true,
      collaborators: [
        { id: 'u1', email: 'dev@example.com', role: 'member', permissions: ['deploy', 'view'] },
        { id: 'u2', email: 'boss@example.com', role: 'admin', permissions: ['deploy', 'manage', 'operate', 'view'] },
      ],
    });
    const r = run(
      [
        app({ organization: [{ name: 'acme', locked: true, personal: false }] }),
        { type: 'heroku_team_collaborator', name: 'dev', attributes: { id: 'u1', app_id: APP_ID, email: 'Dev@example.com', permissions: ['deploy', 'view'] } },
        { type: 'heroku_collaborator', name: 'gone', attributes: { id: 'u9', app_id: APP_ID, email: 'gone@example.com' } },
      ],
      [l],
    );
    const doc = yamlOf(r).apps['shop']!;
    expect(doc['team']).toBe('acme');
    expect(doc['locked']).toBe(true);
    expect(doc['collaborators']).toEqual([{ email: 'dev@example.com', permissions: ['deploy'] }]);
    expect(entry(r, 'heroku_app.shop').yaml).toEqual(['apps.shop', 'apps.shop.team']);
    expect(entry(r, 'heroku_team_collaborator.dev').yaml).toEqual(['apps.shop.collaborators[dev@example.com]']);
    expect(entry(r, 'heroku_collaborator.gone')).toMatchObject({ status: 'not-mapped', reason: 'gone@example.com is not a collaborator of shop now (removed outside Terraform?)' });
  });

  it('heroku_app_feature: on or off as the app has it, checked against the features the API lists', () => {
    const feature = (name: string, fname: string, enabled: boolean): Res => ({ type: 'heroku_app_feature', name, attributes: { id: `f-${fname}`, app_id: APP_ID, name: fname, enabled } });
    const l = live({
      features: [
        { id: 'f1', name: 'runtime-dyno-metadata', enabled: true, state: 'public', description: '' },
        { id: 'f2', name: 'preboot', enabled: false, state: 'public', description: '' },
      ],
    });
    const r = run([app(), feature('meta', 'runtime-dyno-metadata', true), feature('preboot', 'preboot', false), feature('nope', 'no-such-feature', true)], [l]);
    expect(yamlOf(r).apps['shop']!['features']).toEqual({ preboot: false, 'runtime-dyno-metadata': true });
    expect(entry(r, 'heroku_app_feature.meta').yaml).toEqual(['apps.shop.features.runtime-dyno-metadata']);
    expect(entry(r, 'heroku_app_feature.nope')).toMatchObject({ status: 'not-mapped', reason: expect.stringContaining('feature no-such-feature is not listed for shop') });
    expect(r.plan.apps[0]!.disabledFeatures).toEqual(['preboot']);
  });

  it('heroku_app: an app that no longer exists is not mapped, and its children say why', () => {
    const r = run([app(), { type: 'heroku_formation', name: 'web', attributes: { app_id: APP_ID, type: 'web', quantity: 2, size: 'Standard-1X' } }], []);
    expect(entry(r, 'heroku_app.shop').reason).toMatch(/^app shop \(1111.*\) is not visible to this account/);
    expect(entry(r, 'heroku_formation.web').reason).toMatch(/its app \(1111.*\) is not a heroku_app of this state/);
    expect(r.plan.apps).toEqual([]);
  });

  it('heroku_config + heroku_app_config_association: the association declares, the config holds values only', () => {
    const vars = { RAILS_ENV: 'production' };
    const sens = { SESSION_SECRET: 'sess-s3cr3t' };
    const r = run([
      app(),
      { type: 'heroku_config', name: 'common', attributes: { id: 'config-1', vars, sensitive_vars: sens }, sensitive: [['sensitive_vars']] },
      { type: 'heroku_app_config_association', name: 'shop', attributes: { id: `config:${APP_ID}`, app_id: APP_ID, vars, sensitive_vars: sens }, sensitive: [['sensitive_vars']] },
    ]);
    expect(yamlOf(r).apps['shop']!['config']).toEqual({ RAILS_ENV: 'production', SESSION_SECRET: '${env:SHOP__SESSION_SECRET}' });
    expect(entry(r, 'heroku_app_config_association.shop').yaml).toEqual(['apps.shop.config.RAILS_ENV', 'apps.shop.config.SESSION_SECRET']);
    expect(entry(r, 'heroku_config.common')).toMatchObject({ status: 'no-yaml', reason: expect.stringContaining('declared through heroku_app_config_association.shop (apps.shop.config)') });
  });

  it('a config value changed outside Terraform: the live value is declared, with a warning that names no value', () => {
    const r = run([app({ config_vars: { RAILS_ENV: 'staging' } })]);
    expect(yamlOf(r).apps['shop']!['config']).toEqual({ RAILS_ENV: 'production' });
    expect(r.plan.diagnostics[0]!.message).toBe(
      "heroku_app.shop: config_vars.RAILS_ENV differs between Terraform's state and shop (changed outside Terraform): the YAML declares the app's current value",
    );
  });

  it('heroku_addon: keyed by its attachment on the app, with plan, a chosen name (not a generated one) and literal provisioning options', () => {
    const r = run([
      app(),
      { type: 'heroku_addon', name: 'db', attributes: { id: 'a1', app_id: APP_ID, plan: 'heroku-postgresql:essential-0', name: 'shop-db', config: { version: '16', api_token: 'tok-abc' }, config_var_values: { DATABASE_URL: 'postgres://u:dbpw@h/d' } }, sensitive: [['config_var_values']] },
      { type: 'heroku_addon', name: 'cache', attributes: { id: 'a2', app_id: APP_ID, plan: 'heroku-redis:mini', name: 'redis-quiet-05970', config: null } },
    ]);
    expect(yamlOf(r).apps['shop']!['addons']).toEqual({
      database: { plan: 'heroku-postgresql:essential-0', as: 'DATABASE', name: 'shop-db', config: { version: '16' } },
      redis: { plan: 'heroku-redis:mini', as: 'REDIS' },
    });
    expect(entry(r, 'heroku_addon.db')).toMatchObject({ yaml: ['apps.shop.addons.database'], reason: 'left out: config.api_token (looks secret; provisioning options only matter when an add-on is created)' });
    expect(entry(r, 'heroku_addon.cache').yaml).toEqual(['apps.shop.addons.redis']);
  });

  it('heroku_addon_attachment: the add-on\'s own attachment maps to `as`; another app\'s add-on maps to attachments: by the owner\'s keys', () => {
    const other = '22222222-2222-4222-8222-222222222222';
    const admin = live({
      id: other, name: 'admin', config: { vars: {} }, formation: [], domains: [], drains: [], addonConfigVars: ['SHOP_DB_URL'],
      addons: [{ ...live().addons[0]!, attachments: [{ id: 't1', name: 'DATABASE', appId: APP_ID, appName: 'shop' }, { id: 't9', name: 'SHOP_DB', appId: other, appName: 'admin' }] }],
    });
    const r = run(
      [
        app(),
        { ...app({ id: other, uuid: other, name: 'admin' }), name: 'admin' },
        { type: 'heroku_addon', name: 'db', attributes: { id: 'a1', app_id: APP_ID, plan: 'heroku-postgresql:essential-0', name: 'shop-db' } },
        { type: 'heroku_addon_attachment', name: 'own', attributes: { id: 't1', app_id: APP_ID, addon_id: 'a1', name: 'DATABASE' } },
        { type: 'heroku_addon_attachment', name: 'shared', attributes: { id: 't9', app_id: other, addon_id: 'a1', name: 'SHOP_DB' } },
      ],
      [live(), admin],
    );
    expect(entry(r, 'heroku_addon_attachment.own')).toMatchObject({ status: 'mapped', yaml: ['apps.shop.addons.database.as'] });
    expect(entry(r, 'heroku_addon_attachment.shared')).toMatchObject({ status: 'mapped', yaml: ['apps.admin.attachments.SHOP_DB'] });
    expect(yamlOf(r).apps['admin']!['addons']).toBeUndefined();
    expect(yamlOf(r).apps['admin']!['attachments']).toEqual({ SHOP_DB: 'shop/database' });
    // Owned by the new state: nothing left in Terraform refers to it.
    expect(entry(r, 'heroku_addon_attachment.shared').refersTo).toBeUndefined();
  });

  it('heroku_formation: quantity and size in the YAML\'s canonical spelling', () => {
    const r = run([app(), { type: 'heroku_formation', name: 'web', attributes: { id: 'f1', app_id: APP_ID, type: 'web', quantity: 2, size: 'Standard-1X' } }]);
    expect(yamlOf(r).apps['shop']!['formation']).toEqual({ web: { quantity: 2, size: 'standard-1X' } });
    expect(entry(r, 'heroku_formation.web').yaml).toEqual(['apps.shop.formation.web']);
  });

  it('heroku_domain: the hostname, with its certificate when Terraform set sni_endpoint_id', () => {
    const r = run([
      app(),
      { type: 'heroku_domain', name: 'www', attributes: { id: 'd1', app_id: APP_ID, hostname: 'WWW.example.com', sni_endpoint_id: 'cert-1-id', cname: 'x' } },
    ]);
    expect(yamlOf(r).apps['shop']!['domains']).toEqual([{ hostname: 'www.example.com', sni_endpoint: 'cert-1' }]);
    const plain = run([app(), { type: 'heroku_domain', name: 'www', attributes: { id: 'd1', app_id: APP_ID, hostname: 'www.example.com', sni_endpoint_id: null } }]);
    expect(yamlOf(plain).apps['shop']!['domains']).toEqual(['www.example.com']);
    expect(entry(plain, 'heroku_domain.www').yaml).toEqual(['apps.shop.domains[www.example.com]']);
  });

  it('heroku_drain: url as a literal, sensitive_url (or credentials) as a reference; the token is never declared', () => {
    const r = run([
      app(),
      { type: 'heroku_drain', name: 'plain', attributes: { id: 'dr1', app_id: APP_ID, url: 'https://logs.example.com/in', sensitive_url: null, token: 'd.tok1' } },
      { type: 'heroku_drain', name: 'secret', attributes: { id: 'dr2', app_id: APP_ID, url: null, sensitive_url: 'https://u:drain-pw@secure.example.com/in', token: 'd.tok2' }, sensitive: [['sensitive_url']] },
    ]);
    expect(yamlOf(r).apps['shop']!['drains']).toEqual(['${env:SHOP__LOG_DRAIN_URL}', 'https://logs.example.com/in']);
    expect(entry(r, 'heroku_drain.secret').yaml).toEqual(['apps.shop.drains[https://***@secure.example.com/in]']);
    expect(r.plan.env[0]).toMatchObject({ name: 'SHOP__LOG_DRAIN_URL', why: 'marked sensitive in Terraform' });
  });
});

describe('pipelines', () => {
  const livePipelines = {
    pipelines: [
      {
        pipeline: { id: 'p1', name: 'shop', owner: { id: 't1', type: 'team' as const } },
        couplings: [
          { id: 'c1', appId: APP_ID, pipelineId: 'p1', stage: 'staging' },
          { id: 'c2', appId: 'someone-else', pipelineId: 'p1', stage: 'production' },
        ],
        team: 'acme',
      },
    ],
    appNames: { [APP_ID]: 'shop', 'someone-else': 'other' },
    notFound: [],
  };
  const resources: Res[] = [
    app(),
    { type: 'heroku_pipeline', name: 'shop', attributes: { id: 'p1', name: 'shop', owner: [{ id: 't1', type: 'team' }] } },
    { type: 'heroku_pipeline_coupling', name: 'staging', attributes: { id: 'c1', app_id: APP_ID, pipeline: 'p1', stage: 'staging' } },
    { type: 'heroku_pipeline_coupling', name: 'orphan', attributes: { id: 'c9', app_id: APP_ID, pipeline: 'p-unknown', stage: 'staging' } },
  ];
  const r = mapTerraformState(parseTerraformState(tfstate(resources), 'terraform.tfstate'), [live()], { includeValues: false }, canon, livePipelines);

  it('heroku_pipeline + heroku_pipeline_coupling: the pipeline with its team, and only the couplings Terraform managed', () => {
    const doc = parse(renderImportYaml(r.plan, { includeValues: false, schemaRef: 's.json' })) as { pipelines: unknown };
    expect(doc.pipelines).toEqual({ shop: { team: 'acme', stages: { staging: ['shop'] } } });
    expect(entry(r, 'heroku_pipeline.shop')).toMatchObject({ status: 'mapped', yaml: ['pipelines.shop'] });
    expect(entry(r, 'heroku_pipeline_coupling.staging')).toMatchObject({ status: 'mapped', yaml: ['pipelines.shop.stages.staging[shop]'] });
    expect(entry(r, 'heroku_pipeline_coupling.orphan')).toMatchObject({ status: 'not-mapped', reason: expect.stringContaining('its pipeline (p-unknown) is not a heroku_pipeline of this state') });
    expect(r.plan.pipelines![0]!.couplings).toEqual([{ app: 'shop', appId: APP_ID, id: 'c1', stage: 'staging' }]);
  });

  it('a pipeline gone from Heroku is not mapped', () => {
    const gone = mapTerraformState(parseTerraformState(tfstate(resources.slice(0, 2)), 'x'), [live()], { includeValues: false }, canon);
    expect(entry(gone, 'heroku_pipeline.shop')).toMatchObject({ status: 'not-mapped', reason: 'pipeline shop is not visible to this account now (deleted outside Terraform?)' });
    expect(gone.plan.pipelines).toBeUndefined();
  });
});

describe('refusals, each with its reason in the report', () => {
  const r = run([
    app(),
    { type: 'heroku_space', name: 'private', attributes: { id: 's1' } },
    { type: 'heroku_frobnicator', name: 'x', attributes: { id: 'x' } },
    { type: 'aws_s3_bucket', name: 'assets', attributes: { id: 'b' }, provider: 'provider["registry.terraform.io/hashicorp/aws"]' },
    { type: 'heroku_app', name: 'lookup', attributes: { id: APP_ID, name: 'shop' }, mode: 'data' },
    { type: 'heroku_review_app_config', name: 'p', attributes: { id: 'p1', pipeline_id: 'x' } },
    { type: 'heroku_team_member', name: 'c', attributes: { id: 'c1', team: 'acme', email: 'a@example.com', role: 'member' } },
  ]);

  it('an unknown resource type', () => {
    expect(entry(r, 'heroku_frobnicator.x')).toMatchObject({ status: 'not-mapped', reason: "unknown resource type heroku_frobnicator: not one of the Heroku provider's (5.x) that dynoform knows" });
  });

  it('a resource of another provider', () => {
    expect(entry(r, 'aws_s3_bucket.assets')).toMatchObject({ status: 'not-mapped', reason: 'not a Heroku resource (provider registry.terraform.io/hashicorp/aws)' });
  });

  it('a data source, a kind outside dynoform, and kinds a later version will map', () => {
    expect(entry(r, 'data.heroku_app.lookup').reason).toBe('a data source: Terraform reads it, it owns nothing');
    expect(entry(r, 'heroku_space.private').reason).toBe('dynoform does not manage Private Spaces');
    expect(entry(r, 'heroku_review_app_config.p')).toMatchObject({ status: 'later', reason: expect.stringMatching(/^not mapped yet: review-app configuration .* a later version will map them/) });
    expect(entry(r, 'heroku_team_member.c').status).toBe('later');
  });

  it('the report lists every address, says what to do next, and holds no value of the state', () => {
    const text = renderTerraformReport({
      source: 'terraform.tfstate', format: 'tfstate', terraformVersion: '1.11.4', report: r.report, diagnostics: r.plan.diagnostics,
      env: r.plan.env, yamlTo: 'dynoform.yaml', planFile: 'dynoform.yaml', state: '.dynoform/state.json', dryRun: false,
    });
    for (const e of r.report) expect(text).toContain(e.address);
    expect(text).toContain('terraform state rm heroku_app.shop\n');
    expect(text).toContain('keep Terraform read-only for a while');
    expect(text).toContain('(2 of these are kinds a later version of dynoform will map.)');
    expect(text).not.toMatch(/sess-s3cr3t|dbpw|drain-pw/);
  });
});
