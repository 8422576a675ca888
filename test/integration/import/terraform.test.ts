import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CliWorld } from '../../helpers/cli-world.js';
import { importFromTerraform, isDynoformError } from '../../../src/index.js';

/**
 * The Done-when of #19 on the fixture made by the real Terraform provider:
 * an emulator started from the fixture's data file holds exactly the live
 * objects of the state; `import --from-terraform` on the state, then
 * `plan --detailed-exitcode`, exits 0 — from terraform.tfstate, from
 * show.json and from the working directory — and no secret of the state
 * appears in the YAML, the report, dynoform's state or any output.
 */
const FIXTURES = join(import.meta.dirname, '../../fixtures/terraform');
const TFSTATE = join(FIXTURES, 'terraform.tfstate');
const SHOW = join(FIXTURES, 'show.json');

interface Instance {
  attributes: Record<string, unknown>;
  sensitive_attributes: Array<Array<{ type: string; value: unknown }>>;
}
const state = JSON.parse(readFileSync(TFSTATE, 'utf8')) as { resources: Array<{ type: string; name: string; instances: Instance[] }> };
const inst = (type: string, name: string) => state.resources.find((r) => r.type === type && r.name === name)!.instances[0]!.attributes;

/**
 * Every secret the state holds: whatever Terraform marks sensitive, every
 * value of all_config_vars and of the add-ons' config_var_values, the drain
 * tokens — less the values that Terraform holds as plain config_vars/vars
 * (those are literals in the YAML on purpose).
 */
function secretsOfState(): string[] {
  const plain = new Set<string>();
  const secrets = new Set<string>();
  const leaves = (v: unknown): string[] =>
    typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(leaves) : v && typeof v === 'object' ? Object.values(v).flatMap(leaves) : [];
  for (const r of state.resources) {
    for (const i of r.instances) {
      const a = i.attributes;
      for (const k of ['config_vars', 'vars']) if (r.type !== 'heroku_addon') for (const v of leaves(a[k])) plain.add(v);
      for (const path of i.sensitive_attributes) {
        let v: unknown = a;
        for (const step of path) v = (v as Record<string, unknown> | undefined)?.[step.type === 'get_attr' ? (step.value as string) : ((step.value as { value: string }).value)];
        for (const s of leaves(v)) secrets.add(s);
      }
      for (const k of ['all_config_vars', 'config_var_values', 'token']) for (const s of leaves(a[k])) secrets.add(s);
    }
  }
  return [...secrets].filter((s) => !plain.has(s) && s.length >= 6);
}

/** The variables the report asks for, set to the values Terraform had (what a user copies from `heroku config`). */
const ENV = {
  ACME_STOREFRONT__SESSION_SECRET: (inst('heroku_app', 'storefront')['sensitive_config_vars'] as Record<string, string>)['SESSION_SECRET']!,
  ACME_STOREFRONT__STRIPE_SECRET_KEY: (inst('heroku_app', 'storefront')['sensitive_config_vars'] as Record<string, string>)['STRIPE_SECRET_KEY']!,
  ACME_ORDERS_EU__SECRET_KEY_BASE: (inst('heroku_app', 'orders_eu')['sensitive_config_vars'] as Record<string, string>)['SECRET_KEY_BASE']!,
  ACME_JOBS__SIDEKIQ_WEB_PASSWORD: (inst('heroku_app_config_association', 'jobs')['sensitive_vars'] as Record<string, string>)['SIDEKIQ_WEB_PASSWORD']!,
  ACME_ADMIN__ADMIN_PASSWORD: (inst('heroku_app', 'admin')['sensitive_config_vars'] as Record<string, string>)['ADMIN_PASSWORD']!,
  ACME_STAGING__STRIPE_SECRET_KEY: (inst('heroku_app', 'staging')['sensitive_config_vars'] as Record<string, string>)['STRIPE_SECRET_KEY']!,
  ACME_STAGING__LOG_DRAIN_URL: inst('heroku_drain', 'staging')['sensitive_url'] as string,
};

describe('dynoform import --from-terraform on the fixture of the real provider', () => {
  let w: CliWorld;
  let dataDir: string;
  const secrets = secretsOfState();

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dynoform-tf-data-'));
    // A copy: the emulator writes every change back to its data file.
    await copyFile(join(FIXTURES, 'emulator-data.json'), join(dataDir, 'data.json'));
    w = await CliWorld.start({ dataFile: join(dataDir, 'data.json') });
  });

  afterAll(async () => {
    await w?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('finds the state\'s secrets to scan for (the scan would catch a leak)', () => {
    expect(secrets.length).toBeGreaterThan(20);
    for (const v of Object.values(ENV)) expect(secrets).toContain(v);
    expect(secrets.some((s) => s.startsWith('postgres://'))).toBe(true); // DATABASE_URL of all_config_vars
  });

  for (const [label, source, tag] of [
    ['terraform.tfstate', TFSTATE, 'tfstate'],
    ['show.json', SHOW, 'show'],
  ] as const) {
    it(`from ${label}: YAML and ownership without a write request, then plan --detailed-exitcode exits 0, no secret anywhere`, async () => {
      w.emulator.resetStats();
      const yamlFile = `${tag}.yaml`;
      const stateFile = `${tag}-state.json`;
      const r = await w.run(['import', '--from-terraform', source, '-o', yamlFile, '--state', stateFile]);
      expect(r.code, r.stderr).toBe(0);
      expect(w.writes()).toEqual({});
      expect(r.stdout).toBe('');
      const text = await readFile(w.path(yamlFile), 'utf8');
      const doc = parse(text) as { apps: Record<string, Record<string, unknown>> };
      expect(Object.keys(doc.apps).sort()).toEqual(['acme-admin', 'acme-jobs', 'acme-orders-eu', 'acme-staging', 'acme-storefront']);
      expect(doc.apps['acme-storefront']).toEqual({
        region: 'us',
        stack: 'heroku-24',
        config: {
          LOG_LEVEL: 'info',
          NODE_ENV: 'production',
          SESSION_SECRET: '${env:ACME_STOREFRONT__SESSION_SECRET}',
          STRIPE_SECRET_KEY: '${env:ACME_STOREFRONT__STRIPE_SECRET_KEY}',
          WEB_CONCURRENCY: '2',
        },
        addons: {
          database: { plan: 'heroku-postgresql:essential-0', as: 'DATABASE', name: 'acme-storefront-db' },
          redis: { plan: 'heroku-redis:mini', as: 'REDIS' },
        },
        formation: { web: { quantity: 2, size: 'standard-1X' }, worker: { quantity: 1, size: 'standard-1X' } },
        domains: ['shop.acme-shop.example.com', 'www.acme-shop.example.com'],
        drains: ['syslog+tls://logs.acme-shop.example.com:6514'],
      });
      expect(doc.apps['acme-jobs']).toMatchObject({
        stack: 'heroku-22',
        config: { MAX_THREADS: '5', QUEUE_NAMES: 'default,mailers', SIDEKIQ_WEB_PASSWORD: '${env:ACME_JOBS__SIDEKIQ_WEB_PASSWORD}' },
        formation: { worker: { quantity: 3, size: 'standard-1X' } },
      });
      expect(doc.apps['acme-orders-eu']).toMatchObject({ region: 'eu', addons: { database: { plan: 'heroku-postgresql:essential-1' }, papertrail: { plan: 'papertrail:choklad' } } });
      expect(doc.apps['acme-staging']!['drains']).toEqual(['${env:ACME_STAGING__LOG_DRAIN_URL}']);
      expect(text).not.toMatch(/DATABASE_URL|REDIS_URL|CLOUDAMQP_URL|MAILGUN_|MEMCACHIER_|PAPERTRAIL_/);

      // The report: every address of the state, with its YAML path or the reason it was not mapped.
      for (const res of state.resources) expect(r.stderr).toContain(`${res.type}.${res.name}`);
      expect(r.stderr).toMatch(/heroku_app\.storefront +→ apps\.acme-storefront, apps\.acme-storefront\.config\.\{LOG_LEVEL, NODE_ENV, WEB_CONCURRENCY, SESSION_SECRET, STRIPE_SECRET_KEY\}/);
      expect(r.stderr).toMatch(/heroku_domain\.storefront\["www\.acme-shop\.example\.com"\] +→ apps\.acme-storefront\.domains\[www\.acme-shop\.example\.com\]/);
      // A shared add-on: the attachment on acme-jobs, by the owner's keys (the add-on itself is acme-storefront's).
      expect(r.stderr).toMatch(/heroku_addon_attachment\.jobs_storefront_db +→ apps\.acme-jobs\.attachments\.STOREFRONT_DB/);
      expect(doc.apps['acme-jobs']!['attachments']).toEqual({ STOREFRONT_DB: expect.stringMatching(/^acme-storefront\//) });
      expect(r.stderr).toContain('Mapped (32):');
      expect(r.stderr).toContain('terraform state rm heroku_addon.admin_cache');
      expect(r.stderr).toContain('keep Terraform read-only for a while');
      expect(r.stderr).not.toContain('heroku_addon_attachment.jobs_storefront_db refers to');
      for (const name of Object.keys(ENV)) expect(r.stderr).toContain(`  ${name} `);

      const plan = await w.run(['plan', '-f', yamlFile, '--state', stateFile, '--detailed-exitcode'], ENV);
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);
      expect(plan.stdout).toContain('No changes.');
      expect(w.writes()).toEqual({});

      const stateText = await readFile(w.path(stateFile), 'utf8');
      for (const s of secrets) {
        for (const [what, out] of [['YAML', text], ['import output', r.stdout + r.stderr], ['state', stateText], ['plan output', plan.stdout + plan.stderr]] as const) {
          expect(out.includes(s), `a secret of the state is in the ${what}`).toBe(false);
        }
      }
    });
  }

  it('from a Terraform working directory with --dry-run: the same YAML and report on the terminal, no file, no state', async () => {
    await mkdir(w.path('infra'), { recursive: true });
    await copyFile(TFSTATE, w.path('infra/terraform.tfstate'));
    await copyFile(join(FIXTURES, 'main.tf'), w.path('infra/main.tf'));
    const r = await w.run(['import', '--from-terraform', 'infra', '--dry-run', '-o', 'dry.yaml', '--state', 'dry-state.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(w.path('dry.yaml'))).toBe(false);
    expect(existsSync(w.path('dry-state.json'))).toBe(false);
    expect(r.stderr).toContain('Terraform state infra/terraform.tfstate (state format version 4, Terraform 1.11.4): 32 resource instances.');
    expect(r.stderr).toContain("Dry run: the YAML went to standard output; dynoform's state was not touched.");
    const fromFile = parse(await readFile(w.path('tfstate.yaml'), 'utf8'));
    expect(parse(r.stdout)).toEqual(fromFile);
    for (const s of secrets) expect((r.stdout + r.stderr).includes(s)).toBe(false);
  });

  it('as a library call: importFromTerraform returns the YAML and the report as values; a dry run touches nothing', async () => {
    const out = await importFromTerraform({ from: SHOW, dryRun: true, cwd: w.dir, env: w.env, state: 'lib-state.json', out: 'lib.yaml' });
    expect(out.dryRun).toBe(true);
    expect(out.state).toBeUndefined();
    expect(out.writtenTo).toBeUndefined();
    expect(out.apps).toEqual(['acme-admin', 'acme-jobs', 'acme-orders-eu', 'acme-staging', 'acme-storefront']);
    expect(out.report).toHaveLength(32);
    expect(out.report.filter((e) => e.status === 'mapped').length).toBe(31);
    expect(out.report.find((e) => e.address === 'heroku_formation.jobs_worker')).toEqual({ address: 'heroku_formation.jobs_worker', status: 'mapped', yaml: ['apps.acme-jobs.formation.worker'] });
    expect(out.env.map((e) => e.name)).toEqual(Object.keys(ENV).sort());
    expect(existsSync(w.path('lib-state.json'))).toBe(false);
    expect(existsSync(w.path('lib.yaml'))).toBe(false);
    for (const s of secrets) expect(JSON.stringify(out).includes(s)).toBe(false);

    const err = await importFromTerraform({ from: 'missing.tfstate', cwd: w.dir, env: w.env }).catch((e: unknown) => e);
    expect(isDynoformError(err) && err.code).toBe('terraform-state');
  });

  it('a workspace other than default reads terraform.tfstate.d/NAME; a remote backend is named with the command that makes a file', async () => {
    await mkdir(w.path('ws/.terraform'), { recursive: true });
    await mkdir(w.path('ws/terraform.tfstate.d/prod'), { recursive: true });
    await writeFile(w.path('ws/.terraform/environment'), 'prod');
    await copyFile(TFSTATE, w.path('ws/terraform.tfstate.d/prod/terraform.tfstate'));
    const ws = await w.run(['import', '--from-terraform', 'ws', '--dry-run', '--state', 'ws-state.json']);
    expect(ws.code, ws.stderr).toBe(0);
    expect(ws.stderr).toContain('Terraform state ws/terraform.tfstate.d/prod/terraform.tfstate');

    await mkdir(w.path('remote/.terraform'), { recursive: true });
    await writeFile(w.path('remote/.terraform/terraform.tfstate'), JSON.stringify({ version: 3, backend: { type: 's3', config: { bucket: 'b' } } }));
    const remote = await w.run(['import', '--from-terraform', 'remote', '--dry-run']);
    expect(remote.code).toBe(1);
    expect(remote.stderr).toContain('the state is kept in a "s3" backend, which dynoform cannot read offline');
    expect(remote.stderr).toContain('terraform show -json > show.json');
  });

  it('a state with a heroku_pipeline and its couplings: the pipelines: section, owned in state, and still an empty plan', async () => {
    const h = w.heroku;
    const pipeline = (await h.request('POST', '/pipelines', { name: 'acme-shop' })) as { id: string; owner: { id: string; type: string } | null };
    const staging = (await h.request('POST', '/pipeline-couplings', { app: 'acme-staging', pipeline: pipeline.id, stage: 'staging' })) as { id: string };
    const prod = (await h.request('POST', '/pipeline-couplings', { app: 'acme-storefront', pipeline: pipeline.id, stage: 'production' })) as { id: string };
    const withPipeline = JSON.parse(readFileSync(TFSTATE, 'utf8')) as { resources: unknown[] };
    const res = (type: string, name: string, attributes: Record<string, unknown>) => ({
      mode: 'managed', type, name, provider: 'provider["registry.terraform.io/heroku/heroku"]',
      instances: [{ schema_version: 0, attributes, sensitive_attributes: [] }],
    });
    withPipeline.resources.push(
      res('heroku_pipeline', 'shop', { id: pipeline.id, name: 'acme-shop', owner: pipeline.owner ? [pipeline.owner] : [] }),
      res('heroku_pipeline_coupling', 'staging', { id: staging.id, app_id: inst('heroku_app', 'staging')['uuid'], pipeline: pipeline.id, stage: 'staging' }),
      res('heroku_pipeline_coupling', 'production', { id: prod.id, app_id: inst('heroku_app', 'storefront')['uuid'], pipeline: pipeline.id, stage: 'production' }),
    );
    await w.write('pipelines.tfstate', JSON.stringify(withPipeline));

    w.emulator.resetStats();
    const r = await w.run(['import', '--from-terraform', 'pipelines.tfstate', '-o', 'p.yaml', '--state', 'p-state.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(w.writes()).toEqual({});
    const doc = parse(await readFile(w.path('p.yaml'), 'utf8')) as { pipelines: unknown };
    expect(doc.pipelines).toEqual({ 'acme-shop': { stages: { staging: ['acme-staging'], production: ['acme-storefront'] } } });
    expect(r.stderr).toMatch(/heroku_pipeline_coupling\.staging +→ pipelines\.acme-shop\.stages\.staging\[acme-staging\]/);
    const saved = JSON.parse(await readFile(w.path('p-state.json'), 'utf8')) as { pipelines: Record<string, { id: string; couplings: Record<string, unknown> }> };
    expect(saved.pipelines['acme-shop']!.id).toBe(pipeline.id);
    expect(Object.keys(saved.pipelines['acme-shop']!.couplings).sort()).toEqual(['acme-staging', 'acme-storefront']);

    const plan = await w.run(['plan', '-f', 'p.yaml', '--state', 'p-state.json', '--detailed-exitcode'], ENV);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');
  });

  it('refuses: another state format version, app names beside the flag, a state without apps, apps the state already manages', async () => {
    await w.write('v3.tfstate', JSON.stringify({ version: 3, terraform_version: '0.11.14', serial: 1, modules: [] }));
    const v3 = await w.run(['import', '--from-terraform', 'v3.tfstate']);
    expect(v3.code).toBe(1);
    expect(v3.stderr).toContain('v3.tfstate: state format version 3 is not supported: only version 4');
    expect(v3.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const both = await w.run(['import', 'acme-admin', '--from-terraform', TFSTATE]);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('give no app names with it');

    await w.write('empty.tfstate', JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'x', outputs: {}, resources: [] }));
    const empty = await w.run(['import', '--from-terraform', 'empty.tfstate']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('no heroku_app resource in this state');

    const again = await w.run(['import', '--from-terraform', TFSTATE, '-o', 'again.yaml', '--state', 'tfstate-state.json']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already managed');
    expect(existsSync(w.path('again.yaml'))).toBe(false);

    const missing = await w.run(['import', '--from-terraform', 'nowhere']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nowhere: no such file or directory');
  });
});
