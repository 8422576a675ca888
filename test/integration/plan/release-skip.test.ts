import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliWorld, type RunResult } from '../../helpers/cli-world.js';

// Issue 20: a no-op plan costs 3 requests per app whose release did not move
// since apply recorded its config (4N+4 otherwise), and every way config can
// change outside dynoform moves the release, so the change is still seen.
const N = 4;
const SECRET = 'skip-secret-value-6f1e0c2a';
const APPS = Array.from({ length: N }, (_, i) => `skip-${i}`);

function yaml(): string {
  const lines = ['version: 1', 'apps:'];
  for (const [i, name] of APPS.entries()) {
    lines.push(`  ${name}:`, '    config:', '      MODE: "on"', `      N: "${i}"`, '      SECRET: ${env:SKIP_SECRET}', '    domains:', `      - www.${name}.example.com`);
  }
  return lines.join('\n') + '\n';
}

/** Whole seconds pass: the next read is answered in a later second than any release so far. */
async function nextSecond(): Promise<void> {
  await new Promise((done) => setTimeout(done, 1000 - (Date.now() % 1000) + 20));
}

interface PlanJson {
  changes: Array<{ address: string; app: string; action: string; items: Array<{ key: string; action: string; note: string | null }> }>;
  diagnostics: Array<{ code: string; message: string }>;
  config_reads: { read: number; skipped: number; reasons: Record<string, number> } | null;
}

describe('the released_at skip (3N+4 for apps whose release did not move)', () => {
  let world: CliWorld;
  let outsideAddon: string;

  const run = async (args: string[]): Promise<RunResult & { requests: number }> => {
    world.emulator.resetStats();
    const r = await world.run(args, { SKIP_SECRET: SECRET });
    return { ...r, requests: world.emulator.stats().requests };
  };
  const planJson = async (...extra: string[]): Promise<{ plan: PlanJson; requests: number; code: number; stderr: string }> => {
    const r = await run(['plan', '--format', 'json', '--detailed-exitcode', ...extra]);
    return { plan: JSON.parse(r.stdout) as PlanJson, requests: r.requests, code: r.code, stderr: r.stderr };
  };
  /** A no-op apply: records what it read, so the next plan may skip. */
  const record = async (): Promise<void> => {
    await nextSecond();
    const r = await run(['apply', '--auto-approve']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
  };
  /** The plan without records must say the same: the skip may save requests, never change a plan. */
  const sameAsFull = async (auto: PlanJson): Promise<void> => {
    const full = await planJson('--refresh=full');
    const strip = (p: PlanJson): unknown => ({ changes: p.changes, diagnostics: p.diagnostics });
    expect(strip(auto)).toEqual(strip(full.plan));
    expect(full.plan.config_reads).toEqual({ read: N, skipped: 0, reasons: { 'refresh-full': N } });
  };

  beforeAll(async () => {
    world = await CliWorld.start();
    // An add-on of an app dynoform does not manage, for the attach, detach and rotation cases.
    await world.heroku.appsCreate('outside-db');
    const addon = (await world.heroku.addonsCreate('outside-db', 'heroku-postgresql:essential-0', 'DATABASE')) as { id: string };
    outsideAddon = addon.id;
    for (let i = 0; i < 50; i++) {
      const a = (await world.heroku.request('GET', `/addons/${outsideAddon}`)) as { state: string };
      if (a.state === 'provisioned') break;
      await new Promise((done) => setTimeout(done, 20));
    }
    await world.write('dynoform.yaml', yaml());
    const created = await run(['apply', '--auto-approve']);
    expect(created.code, created.stderr + created.stdout).toBe(0);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('reads every config until apply has recorded them (4N+4), then skips them (3N+4)', async () => {
    // Apply created the apps (its writes cut releases): nothing is recorded yet.
    const before = await planJson();
    expect(before.code, before.stderr).toBe(0);
    expect(before.requests).toBe(4 * N + 4);
    expect(before.plan.config_reads).toEqual({ read: N, skipped: 0, reasons: { 'no-record': N } });

    await record();
    const after = await planJson();
    expect(after.code, after.stderr).toBe(0);
    expect(after.requests).toBe(3 * N + 4);
    expect(after.plan.config_reads).toEqual({ read: 0, skipped: N, reasons: {} });
    expect(world.emulator.stats().byRoute['GET /apps/{app}/config-vars'] ?? 0).toBe(0);

    const text = await run(['plan', '--detailed-exitcode']);
    expect(text.code).toBe(0);
    expect(text.requests).toBe(3 * N + 4);
    expect(text.stdout).toContain(`Config vars: ${N} of ${N} apps taken from the state's record, saving ${N} API requests (no release since apply recorded them); none read.`);
    const md = await run(['plan', '--format', 'markdown']);
    expect(md.stdout).toContain(`${N} of ${N} apps taken from the state`);

    const full = await planJson('--refresh=full');
    expect(full.requests).toBe(4 * N + 4);
    const drift = await run(['drift']);
    expect(drift.code, drift.stdout + drift.stderr).toBe(0);
    expect(drift.requests).toBe(3 * N + 4);
    const driftFull = await run(['drift', '--refresh=full']);
    expect(driftFull.code).toBe(0);
    expect(driftFull.requests).toBe(4 * N + 4);
  });

  it('keeps no value in the record: fingerprints only', async () => {
    const state = await readFile(world.path('.dynoform/state.json'), 'utf8');
    const inv = JSON.parse(state) as { apps: Record<string, { observed?: { vars: Record<string, string | null> } }> };
    expect(Object.keys(inv.apps[APPS[0]!]!.observed!.vars).sort()).toEqual(['MODE', 'N', 'SECRET']);
    expect(state).not.toContain(SECRET);
    expect(inv.apps[APPS[0]!]!.observed!.vars.SECRET).toMatch(/^hmac:/);
  });

  it('config:set outside: that app is read again and the change is planned (and drift reports it)', async () => {
    await world.heroku.configSet('skip-0', { MODE: 'off' });
    const p = await planJson();
    expect(p.code).toBe(2);
    expect(p.requests).toBe(3 * N + 4 + 1);
    expect(p.plan.config_reads).toEqual({ read: 1, skipped: N - 1, reasons: { released: 1 } });
    const config = p.plan.changes.find((c) => c.address === 'app.skip-0/config');
    expect(config?.items).toEqual([expect.objectContaining({ key: 'MODE', action: 'update' })]);
    await sameAsFull(p.plan);
    const drift = await run(['drift']);
    expect(drift.code).toBe(2);
    expect(drift.stdout).toContain('config var MODE was changed outside dynoform');

    const fixed = await run(['apply', '--auto-approve']);
    expect(fixed.code, fixed.stderr).toBe(0);
    await record();
  });

  it('a rollback outside: the rolled-back config is seen', async () => {
    // v1 is the app's initial release, before apply set its config.
    await world.heroku.releasesRollback('skip-2', 1);
    const p = await planJson();
    expect(p.code).toBe(2);
    expect(p.plan.config_reads?.reasons).toEqual({ released: 1 });
    const config = p.plan.changes.find((c) => c.address === 'app.skip-2/config');
    expect(config?.items.map((i) => `${i.key} ${i.action}`).sort()).toEqual(['MODE create', 'N create', 'SECRET create']);
    await sameAsFull(p.plan);
    const fixed = await run(['apply', '--auto-approve']);
    expect(fixed.code, fixed.stderr).toBe(0);
    await record();
  });

  it('an add-on attached, its URL rotated by the provider, and detached: each is a release, and each read again', async () => {
    const reread = async (): Promise<PlanJson> => {
      const p = await planJson();
      expect(p.code, p.stderr).toBe(0);
      expect(p.plan.config_reads).toEqual({ read: 1, skipped: N - 1, reasons: { released: 1 } });
      expect(p.requests).toBe(3 * N + 4 + 1);
      await sameAsFull(p.plan);
      return p.plan;
    };
    await world.heroku.addonsAttach('skip-1', outsideAddon, 'ANALYTICS');
    expect(Object.keys(await world.heroku.configVars('skip-1'))).toContain('ANALYTICS_URL');
    await reread();
    await record();

    const rotated = 'postgres://rotated:new-password-91c2@db.example.com:5432/d1';
    await world.heroku.addonConfigUpdate(outsideAddon, [{ name: 'URL', value: rotated }]);
    expect((await world.heroku.configVars('skip-1')).ANALYTICS_URL).toBe(rotated);
    await reread();
    await record();
    // The record never holds the rotated credential, only its keyed fingerprint.
    expect(await readFile(world.path('.dynoform/state.json'), 'utf8')).not.toContain('new-password-91c2');

    await world.heroku.addonsDetach('skip-1', 'ANALYTICS');
    expect(Object.keys(await world.heroku.configVars('skip-1'))).not.toContain('ANALYTICS_URL');
    await reread();
  });

  it('a declared value changed in the YAML: the plan reads that app (it needs the live values) and plans the write guarded', async () => {
    await record();
    await world.write('dynoform.yaml', yaml().replace('      N: "3"', '      N: "three"'));
    const p = await planJson();
    expect(p.code).toBe(2);
    expect(p.plan.config_reads).toEqual({ read: 1, skipped: N - 1, reasons: { 'needs-values': 1 } });
    // Applied while someone else edits that app: the guard (the ETag of the read) answers 412, nothing is overwritten.
    const saved = await run(['plan', '-o', 'change.plan']);
    expect(saved.code, saved.stderr).toBe(0);
    await world.heroku.configSet('skip-3', { OTHER: 'x' });
    const applied = await run(['apply', 'change.plan', '--auto-approve']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(3);
    expect((await world.heroku.configVars('skip-3')).N).toBe('3');
  });
});
