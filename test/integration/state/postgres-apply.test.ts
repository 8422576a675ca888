import { afterEach, beforeEach, expect, it } from 'vitest';
import { CliWorld } from '../../helpers/cli-world.js';
import { PASSWORD, admin, describePg, dropState, stateUrl } from './pg-env.js';

// Issue 8 at the level users see it: whole `dynoform apply` runs sharing one
// state in a real PostgreSQL, against the emulator over loopback.

const APPS = ['pg-alpha', 'pg-bravo', 'pg-charlie', 'pg-delta'];
const YAML = `version: 1
apps:
${APPS.map((a) => `  ${a}:\n    config: { RAILS_ENV: production, TEAM: payments }\n    domains: [www.${a}.example.com]\n    drains: [https://logs.example.com/${a}]\n`).join('')}`;

function stateName(spec: string): string {
  return new URL(spec).searchParams.get('state')!;
}

describePg('applies sharing a PostgreSQL state', () => {
  let w: CliWorld;
  let spec: string;

  async function start(latencyMs: number): Promise<void> {
    w = await CliWorld.start({ latencyMs });
    spec = stateUrl();
    w.env.DYNOFORM_STATE = spec;
    await w.write('dynoform.yaml', YAML);
  }

  beforeEach(() => {
    spec = '';
  });
  afterEach(async () => {
    await w?.close();
    if (spec) await dropState(stateName(spec));
  });

  function creates(route: string): number {
    return w.emulator.stats().appliedWrites[route] ?? 0;
  }

  it('two racing applies: the second waits for the lock, then finds nothing left to do; nothing is created twice or lost', async () => {
    await start(30);
    const [a, b] = await Promise.all([
      w.run(['apply', '--auto-approve', '--lock-timeout', '2m']),
      w.run(['apply', '--auto-approve', '--lock-timeout', '2m']),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const outputs = [a, b].map((r) => r.stdout + r.stderr);
    // Exactly one of them did the work; the other planned after it and found it done.
    expect(outputs.filter((o) => o.includes('Apply complete!')).length).toBe(1);
    expect(outputs.filter((o) => o.includes('No changes')).length).toBe(1);
    expect(creates('POST /apps')).toBe(APPS.length);
    expect(creates('POST /apps/{app}/domains')).toBe(APPS.length);
    expect(creates('POST /apps/{app}/log-drains')).toBe(APPS.length);

    const list = await w.run(['state', 'list']);
    for (const app of APPS) expect(list.stdout).toContain(`app.${app}/domain.www.${app}.example.com`);
    const plan = await w.run(['plan', '--detailed-exitcode']);
    expect(plan.code).toBe(0);
    for (const r of [a, b, list, plan]) expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  it('without --lock-timeout the second apply fails at once, naming who holds the lock and since when, and changes nothing', async () => {
    await start(30);
    const first = w.run(['apply', '--auto-approve']);
    // Wait until the first holds the lock, then race it.
    await waitFor(async () => (await admin((c) => c.query('SELECT 1 FROM dynoform_locks WHERE name = $1', [stateName(spec)]))).rowCount === 1);
    const second = await w.run(['apply', '--auto-approve']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/is locked by .+ since \d{4}-\d{2}-\d{2}/);
    expect(second.stderr).not.toContain(PASSWORD);
    expect((await first).code).toBe(0);
    expect(creates('POST /apps')).toBe(APPS.length);
  });

  it('losing the database connection mid-apply: a clear error, the changes applied so far are recorded, and a re-run converges', async () => {
    await start(120);
    const run = w.run(['apply', '--auto-approve', '--concurrency', '1']);
    const name = stateName(spec);
    // Once some changes are recorded, cut the apply's database session.
    await waitFor(async () => {
      const r = await admin((c) => c.query('SELECT max(serial) AS s FROM dynoform_state WHERE name = $1', [name]).catch(() => ({ rows: [{ s: null }] })));
      return Number(r.rows[0]?.s ?? 0) >= 2;
    });
    const killed = await admin((c) => c.query('SELECT pg_terminate_backend(backend_pid) AS ok FROM dynoform_locks WHERE name = $1', [name]));
    expect(killed.rows[0]?.ok).toBe(true);
    const r = await run;
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/lost the connection to the state database/);
    expect(out).not.toContain(PASSWORD);
    expect(out).not.toMatch(/\n\s+at /); // no stack trace

    const recorded = await admin((c) => c.query('SELECT max(serial) AS s FROM dynoform_state WHERE name = $1', [name]));
    expect(Number(recorded.rows[0]?.s)).toBeGreaterThanOrEqual(2);
    const list = await w.run(['state', 'list']);
    expect(list.stdout).toContain(`app.${APPS[0]}`);

    const again = await w.run(['apply', '--auto-approve']);
    expect(again.code).toBe(0);
    const plan = await w.run(['plan', '--detailed-exitcode']);
    expect(plan.code).toBe(0);
    // Nothing was created twice by the re-run: what the first run did was in state (or adopted).
    expect(creates('POST /apps')).toBe(APPS.length);
    expect(creates('POST /apps/{app}/domains')).toBe(APPS.length);
    expect(creates('POST /apps/{app}/log-drains')).toBe(APPS.length);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out waiting');
}
