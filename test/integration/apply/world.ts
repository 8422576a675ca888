import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { applyPlan, preflight, type ApplyOptions } from '../../../src/apply/index.js';
import { loadDesiredState } from '../../../src/config/index.js';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../../src/emulator/index.js';
import type { ApplyEvent, ApplyResult } from '../../../src/model/apply.js';
import type { DesiredState } from '../../../src/model/desired.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { Inventory } from '../../../src/model/inventory.js';
import type { Change, Plan } from '../../../src/model/plan.js';
import { createPlan, planHasChanges } from '../../../src/planner/index.js';
import { HerokuClient } from '../../../src/providers/heroku/client.js';
import { readLiveState } from '../../../src/providers/heroku/live.js';
import { createFileBackend, type StateBackend } from '../../../src/state/index.js';
import { newInventory } from '../../../src/state/inventory.js';
import { createFingerprinter, saltForLineage, type Fingerprinter } from '../../../src/util/fingerprint.js';

export interface PlanRun {
  plan: Plan;
  desired: DesiredState;
  inventory: Inventory;
}

export interface ApplyRun {
  diagnostics: Diagnostic[];
  events: ApplyEvent[];
  result?: ApplyResult;
}

/**
 * One test's world: an emulator on loopback, the real client, a file state
 * in a temp dir, a YAML file and its environment. `plan()` and `apply()` do
 * what `dynoform plan` / `dynoform apply` do, minus printing.
 */
export class World {
  env: Record<string, string> = {};
  readonly other: HerokuClient;

  private constructor(
    readonly emulator: EmulatorHandle,
    readonly client: HerokuClient,
    readonly dir: string,
    readonly state: StateBackend,
  ) {
    // "Another client": a second API client on the same account, as a colleague at the dashboard.
    this.other = new HerokuClient({ apiUrl: emulator.url, token: 'test-token', concurrency: 2 });
  }

  static async start(opts: EmulatorOptions = {}, clientConcurrency = 8): Promise<World> {
    const emulator = await startEmulator({ rateLimit: 100_000, refillPerHour: 100_000, ...opts });
    const client = new HerokuClient({ apiUrl: emulator.url, token: 'test-token', concurrency: clientConcurrency, retryBaseMs: 5 });
    const dir = await mkdtemp(join(tmpdir(), 'dynoform-apply-'));
    const state = createFileBackend(join(dir, 'state.json'));
    // The state exists before the first plan, as after `dynoform plan` made it: a plan is tied to its lineage.
    const lock = await state.lock({ who: 'test', operation: 'init' });
    await lock.write(newInventory());
    await lock.release();
    return new World(emulator, client, dir, state);
  }

  async close(): Promise<void> {
    this.client.close();
    this.other.close();
    await this.state.close();
    await this.emulator.close();
    await rm(this.dir, { recursive: true, force: true });
  }

  async yaml(text: string): Promise<void> {
    await writeFile(join(this.dir, 'dynoform.yaml'), text);
  }

  async load(): Promise<DesiredState> {
    const r = await loadDesiredState([join(this.dir, 'dynoform.yaml')], { env: this.env, cwd: this.dir });
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    if (!r.desired || errors.length > 0) throw new Error(`YAML errors: ${JSON.stringify(errors)}`);
    return r.desired;
  }

  async inventory(): Promise<Inventory> {
    return (await this.state.read()) ?? newInventory();
  }

  private async fingerprinter(inventory: Inventory, desired: DesiredState, extra: Array<{ value: string; secret: boolean }> = []): Promise<Fingerprinter> {
    const fp = createFingerprinter(saltForLineage(inventory.lineage));
    const values = Object.values(desired.apps).flatMap((a) => [
      ...Object.values(a.config).map((v) => ({ value: v.value, secret: v.secret })),
      ...a.drains.map((d) => ({ value: d.url, secret: d.secret })),
    ]);
    await fp.prepare([...values, ...extra]);
    return fp;
  }

  /** `dynoform plan`: load, read live, plan (no lock needed to read). */
  async plan(): Promise<PlanRun> {
    const desired = await this.load();
    const inventory = await this.inventory();
    const live = await readLiveState(this.client, desired, inventory);
    // Owned live values are fingerprinted too, as the CLI does, to tell "changed outside" from "unchanged".
    const ownedLive = Object.entries(live.apps).flatMap(([key, app]) =>
      Object.entries(inventory.apps[key]?.config ?? {}).flatMap(([k, meta]) => {
        const v = app.config.vars[k];
        return v === undefined ? [] : [{ value: v, secret: meta.secret }];
      }),
    );
    const fp = await this.fingerprinter(inventory, desired, ownedLive);
    const plan = createPlan({
      desired,
      live,
      inventory,
      fingerprint: (value, secret) => fp.sync(value, secret),
      options: { apiUrl: this.emulator.url, dynoformVersion: 'test', now: '2026-01-01T00:00:00.000Z' },
    });
    return { plan, desired, inventory };
  }

  /** `dynoform apply PLANFILE`: lock, re-load the YAML, preflight, then the engine. */
  async apply(
    plan: Plan,
    options: Partial<ApplyOptions> & { skipPreflight?: boolean; onEvent?: (e: ApplyEvent) => void } = {},
  ): Promise<ApplyRun> {
    const lock = await this.state.lock({ who: 'test', operation: 'apply' });
    try {
      const inventory = lock.current ?? newInventory();
      const desired = await this.load();
      const fingerprint = await this.fingerprinter(inventory, desired);
      const allowDestroy = options.allowDestroy ?? false;
      const diagnostics = preflight(plan, { inventory, desired, fingerprint, allowDestroy });
      if (diagnostics.length > 0 && !options.skipPreflight) return { diagnostics, events: [] };
      const events: ApplyEvent[] = [];
      let result: ApplyResult | undefined;
      const { skipPreflight: _s, onEvent, ...rest } = options;
      for await (const e of applyPlan(plan, {
        client: this.client,
        desired,
        inventory,
        lock,
        fingerprint,
        options: { concurrency: 4, provisionTimeoutMs: 30_000, ...rest, allowDestroy },
      })) {
        events.push(e);
        onEvent?.(e);
        if (e.type === 'apply-done') result = e.result;
      }
      return { diagnostics, events, ...(result ? { result } : {}) };
    } finally {
      await lock.release();
    }
  }

  /** plan → apply → plan again: the second plan must have nothing left to do. */
  async converge(options: Partial<ApplyOptions> = {}): Promise<{ first: PlanRun; run: ApplyRun; second: PlanRun }> {
    const first = await this.plan();
    const run = await this.apply(first.plan, options);
    expect(run.diagnostics).toEqual([]);
    expect(run.result?.failed).toEqual([]);
    const second = await this.plan();
    expectNoChanges(second.plan);
    return { first, run, second };
  }

  /** Raw API call through the second client (setup and "someone else" edits). */
  async api<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const res = await this.other.request<T>(method, path, body === undefined ? {} : { body });
    return res.body;
  }

  /** Deploys code: a slug with these process types, released. */
  async release(app: string, processTypes: Record<string, string>): Promise<void> {
    const slug = await this.api<{ id: string }>('POST', `/apps/${app}/slugs`, { process_types: processTypes });
    await this.api('POST', `/apps/${app}/releases`, { slug: slug.id });
  }
}

export function expectNoChanges(plan: Plan): void {
  const left = plan.changes.filter((c) => c.action !== 'noop' && c.action !== 'waiting');
  expect(left.map((c) => `${c.address} ${c.action}${c.reason ? ` (${c.reason})` : ''}`)).toEqual([]);
  expect(planHasChanges(plan)).toBe(false);
}

export function executable(plan: Plan): Change[] {
  return plan.changes.filter((c) => ['create', 'update', 'delete', 'adopt'].includes(c.action));
}

export function eventsOf<T extends ApplyEvent['type']>(events: ApplyEvent[], type: T): Extract<ApplyEvent, { type: T }>[] {
  return events.filter((e): e is Extract<ApplyEvent, { type: T }> => e.type === type);
}
