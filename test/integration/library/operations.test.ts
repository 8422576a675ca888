import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  apply,
  applyAndWait,
  drift,
  DynoformError,
  plan,
  validate,
  type ApplyStreamEvent,
  type CommonOptions,
  type OperationEvent,
} from '../../../src/index.js';
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.js';

// The library's own contract, as a user of `import … from 'dynoform'` meets it:
// typed errors with stable codes, diagnostics as values and events, apply as a
// stream with the client's waits merged in, confirm before any write.
let emulator: EmulatorHandle;
let dir: string;
const SECRET = 'lib-secret-value-9f2c';

const YAML = 'version: 1\napps:\n  lib-shop:\n    region: us\n    config:\n      MODE: one\n      TOKEN: ${env:TOKEN}\n';

function options(extra: Partial<CommonOptions> = {}): CommonOptions {
  return { cwd: dir, env: { TOKEN: SECRET }, apiUrl: emulator.url, token: 'lib-token', client: { retryBaseMs: 5 }, ...extra };
}

async function collect(stream: AsyncIterable<ApplyStreamEvent>): Promise<ApplyStreamEvent[]> {
  const out: ApplyStreamEvent[] = [];
  for await (const e of stream) out.push(e);
  return out;
}

beforeEach(async () => {
  emulator = await startEmulator({ rateLimit: 100_000, refillPerHour: 100_000 });
  dir = await mkdtemp(join(tmpdir(), 'dynoform-lib-'));
  await writeFile(join(dir, 'dynoform.yaml'), YAML);
});

afterEach(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the library', () => {
  it('validate returns diagnostics as values; plan fails with invalid-config carrying them, and reported them as events first', async () => {
    await writeFile(join(dir, 'dynoform.yaml'), 'version: 1\napps:\n  lib-shop:\n    regoin: us\n');
    const v = await validate({ cwd: dir, env: {} });
    expect(v.valid).toBe(false);
    expect(v.diagnostics[0]).toMatchObject({ severity: 'error', file: 'dynoform.yaml', line: 4 });
    const events: OperationEvent[] = [];
    const err = await plan(options({ onEvent: (e) => events.push(e) })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DynoformError);
    expect((err as DynoformError).code).toBe('invalid-config');
    expect((err as DynoformError).diagnostics.map((d) => d.line)).toEqual([4]);
    expect(events.filter((e) => e.type === 'diagnostic')).toHaveLength(1);
    expect(emulator.stats().requests).toBe(0);
  });

  it('missing credentials are a credentials error naming what to set, before any request', async () => {
    const err = await plan({ cwd: dir, env: { TOKEN: SECRET, HOME: dir }, apiUrl: emulator.url }).catch((e: unknown) => e);
    expect((err as DynoformError).code).toBe('credentials');
    expect((err as Error).message).toMatch(/HEROKU_API_KEY/);
    expect(emulator.stats().requests).toBe(0);
  });

  it('checks its options at the boundary', async () => {
    await expect(plan(options({ lockTimeoutMs: -1 }))).rejects.toMatchObject({ code: 'invalid-option' });
    await expect(collect(apply({ ...options(), concurrency: 0 }))).rejects.toMatchObject({ code: 'invalid-option' });
  });

  it('apply asks confirm after the plan event was taken, and writes nothing when told no', async () => {
    const seen: string[] = [];
    const events: ApplyStreamEvent[] = [];
    for await (const e of apply({
      ...options(),
      confirm: (p) => {
        seen.push(`confirm after ${events.map((x) => x.type).join(',')}; ${p.summary.create} to create`);
        return false;
      },
    })) {
      events.push(e);
    }
    expect(seen).toEqual([expect.stringMatching(/^confirm after .*plan; 2 to create$/)]);
    expect(events.at(-1)).toEqual({ type: 'apply-skipped', reason: 'not-confirmed' });
    expect(emulator.stats().writes).toEqual({});
  });

  it("apply streams the engine's events and the client's retries as wait events; the second plan is empty and drift finds nothing", async () => {
    emulator.failNext(1, '503', { method: 'PATCH' });
    const events = await collect(apply(options()));
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('phase');
    expect(types).toContain('plan');
    expect(types.at(-1)).toBe('apply-done');
    const retries = events.filter((e) => e.type === 'wait' && e.reason === 'retry');
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ detail: expect.stringMatching(/^PATCH \/apps\/[^/]+\/config-vars: 503/) });
    const done = events.at(-1) as Extract<ApplyStreamEvent, { type: 'apply-done' }>;
    expect(done.result.failed).toEqual([]);
    expect(done.result.retries).toBe(1);
    expect(JSON.stringify(events)).not.toContain(SECRET);

    const again = await plan(options());
    expect(again.hasChanges).toBe(false);
    const d = await drift(options());
    expect(d.hasDrift).toBe(false);
  });

  it('a saved plan applies exactly as reviewed; against another API URL it is stale', async () => {
    const made = await plan(options({ files: ['dynoform.yaml'] }));
    const other = await startEmulator();
    try {
      const err = await applyAndWait({ ...options(), apiUrl: other.url, plan: made.plan }).catch((e: unknown) => e);
      expect((err as DynoformError).code).toBe('stale');
      expect(other.stats().writes).toEqual({});
    } finally {
      await other.close();
    }
    const out = await applyAndWait({ ...options(), plan: made.plan });
    expect(out.result?.failed).toEqual([]);
    // The engine makes exactly the requests the plan announced.
    expect(out.result?.requests).toBe(made.plan.summary.requests);
  });
});
