import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliWorld } from '../../helpers/cli-world.js';

// `dynoform plan` and `dynoform apply` end to end: the real CLI in-process,
// the real client over loopback HTTP, the emulator playing Heroku.

const SECRET = 'sk_live_Zq8vP2mN4xR7tK1w';
const OTHER_SECRET = 'sk_live_Other9Value3Here';
const DRAIN_PASSWORD = 'dr41n-p4ss-w0rd';

const yaml = (extra = '') => `version: 1
apps:
  cli-shop:
    protect: false
    config:
      RAILS_ENV: production
      API_KEY: \${env:SHOP_API_KEY}
    addons:
      db: { plan: heroku-postgresql:essential-0, as: DATABASE }
    formation:
      web: { quantity: 2, size: standard-1x }
    domains:
      - www.cli-shop.example.com
    drains:
      - \${env:SHOP_DRAIN}
${extra}`;

describe('dynoform plan / apply', () => {
  let w: CliWorld;
  beforeEach(async () => {
    w = await CliWorld.start();
    w.env.SHOP_API_KEY = SECRET;
    w.env.SHOP_DRAIN = `syslog+tls://logs:${DRAIN_PASSWORD}@logs.example.com:6514`;
    await w.write('dynoform.yaml', yaml());
  });
  afterEach(async () => {
    await w.close();
  });

  /** Every byte dynoform wrote that a secret could leak into. */
  async function everyOutput(results: { stdout: string; stderr: string }[]): Promise<string> {
    const files = await readdir(w.dir, { recursive: true });
    const contents = await Promise.all(
      files.filter((f) => !f.endsWith('.yaml')).map((f) => readFile(join(w.dir, f), 'utf8').catch(() => '')),
    );
    return results.map((r) => r.stdout + r.stderr).join('\n') + contents.join('\n');
  }

  it('plans, applies, and then has nothing left to do; no secret in any output or file', async () => {
    const plan = await w.run(['plan', '--detailed-exitcode']);
    expect(plan.stderr).not.toMatch(/^Error/m);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('app.cli-shop will be created');
    expect(plan.stdout).toMatch(/API_KEY: +\(sensitive\)/);
    expect(plan.stdout).toContain('syslog+tls://***@logs.example.com:6514');

    const apply = await w.run(['apply', '--auto-approve']);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply complete!');

    // A deploy defines the process types; the next apply scales them.
    await w.heroku.deploy('cli-shop', { web: 'bundle exec puma' });
    const second = await w.run(['apply', '--auto-approve']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('app.cli-shop/formation');

    const after = await w.run(['plan', '--detailed-exitcode']);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('No changes');

    const live = await w.heroku.configVars('cli-shop');
    expect(live.API_KEY).toBe(SECRET);
    expect(live.DATABASE_URL).toMatch(/^postgres:\/\//);

    const all = await everyOutput([plan, apply, second, after]);
    for (const secret of [SECRET, DRAIN_PASSWORD, 'integration-token']) expect(all).not.toContain(secret);
  });

  it('refuses to apply without a terminal unless --auto-approve, and sends no write', async () => {
    const r = await w.run(['apply']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--auto-approve');
    expect(Object.keys(w.writes())).toEqual([]);
  });

  it('applies a saved plan exactly, and refuses it (exit 3) once the state has moved', async () => {
    const first = await w.run(['plan', '-o', 'first.plan']);
    expect(first.code).toBe(0);
    const stale = await w.run(['plan', '-o', 'stale.plan']);
    expect(stale.code).toBe(0);

    const apply = await w.run(['apply', 'first.plan']);
    expect(apply.code).toBe(0);

    const again = await w.run(['apply', 'stale.plan']);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/plan again/);

    const planFile = await readFile(w.path('first.plan'), 'utf8');
    expect(planFile).not.toContain(SECRET);
    expect(planFile).not.toContain(DRAIN_PASSWORD);
  });

  it('refuses a saved plan whose secret changed since review (exit 3), naming the variable and not the value', async () => {
    expect((await w.run(['plan', '-o', 'p.plan'])).code).toBe(0);
    const r = await w.run(['apply', 'p.plan'], { SHOP_API_KEY: OTHER_SECRET });
    expect(r.code).toBe(3);
    const out = r.stdout + r.stderr;
    expect(out).toContain('SHOP_API_KEY');
    expect(out).not.toContain(OTHER_SECRET);
    expect(out).not.toContain(SECRET);
    expect(Object.keys(w.writes())).toEqual([]);
  });

  it('refuses (exit 3) a saved plan when someone else changed a managed value after the plan, before any write, and keeps their edit', async () => {
    expect((await w.run(['apply', '--auto-approve'])).code).toBe(0);
    await w.write('dynoform.yaml', yaml().replace('RAILS_ENV: production', 'RAILS_ENV: staging'));
    expect((await w.run(['plan', '-o', 'p.plan'])).code).toBe(0);

    await w.heroku.configSet('cli-shop', { RAILS_ENV: 'hotfix-by-a-human' });
    w.emulator.resetStats();
    const r = await w.run(['apply', 'p.plan']);
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).toContain('changed since plan');
    expect(r.stderr).toContain('app.cli-shop/config: before.RAILS_ENV: the plan says "production", the YAML and the live state give "(hidden)"');
    expect(Object.keys(w.writes())).toEqual([]);
    expect((await w.heroku.configVars('cli-shop')).RAILS_ENV).toBe('hotfix-by-a-human');
  });

  it('streams typed apply events as JSON lines with --format json', async () => {
    const r = await w.run(['apply', '--auto-approve', '--format', 'json']);
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(events[0]!.type).toBe('apply-start');
    expect(events.at(-1)!.type).toBe('apply-done');
    expect(events.some((e) => e.type === 'change-done')).toBe(true);
  });

  it('reports bad YAML at its file:line:col and exits 1 without calling the API', async () => {
    await w.write('dynoform.yaml', 'version: 1\napps:\n  cli-shop:\n    config:\n      PORT: 5000\n');
    const r = await w.run(['plan']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/dynoform\.yaml:5:7: error: .*PORT.*quote it/);
    expect(w.emulator.stats().requests).toBe(0);
  });

  it('plans only the --target apps', async () => {
    await w.write('dynoform.yaml', yaml() + '  cli-other:\n    config: { A: "1" }\n');
    const r = await w.run(['plan', '--target', 'cli-other']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('app.cli-other will be created');
    expect(r.stdout).not.toContain('app.cli-shop');
    const bad = await w.run(['plan', '--target', 'nope']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('nope');
  });

  it('deletes an app only with protect:false in state and --allow-destroy', async () => {
    expect((await w.run(['apply', '--auto-approve'])).code).toBe(0);
    await w.write('dynoform.yaml', 'version: 1\napps: {}\n');
    const plan = await w.run(['plan']);
    expect(plan.stdout).toContain('app.cli-shop');
    // Declaring no app at all deletes everything the state manages: refused without --allow-mass-destroy (issue 15).
    expect(plan.code).toBe(1);
    expect(plan.stderr + plan.stdout).toContain('--allow-mass-destroy');
    const massRefused = await w.run(['apply', '--auto-approve', '--allow-destroy']);
    expect(massRefused.code).toBe(1);
    const refused = await w.run(['apply', '--auto-approve', '--allow-mass-destroy']);
    expect(refused.stdout + refused.stderr).toContain('--allow-destroy');
    await w.heroku.request('GET', '/apps/cli-shop');
    const ok = await w.run(['apply', '--auto-approve', '--allow-destroy', '--allow-mass-destroy']);
    expect(ok.code).toBe(0);
    await expect(w.heroku.request('GET', '/apps/cli-shop')).rejects.toThrow(/404/);
  });
});
