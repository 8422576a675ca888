import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { applyPlan, type ApplyOptions as EngineOptions } from '../../../src/apply/index.js';
import { loadDesiredState } from '../../../src/config/index.js';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../../src/emulator/index.js';
import type { ApplyEvent, ApplyResult } from '../../../src/model/apply.js';
import type { DesiredState } from '../../../src/model/desired.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { Inventory } from '../../../src/model/inventory.js';
import type { Change, Plan } from '../../../src/model/plan.js';
import { apply, DynoformError, plan, type ApplyStreamEvent, type CommonOptions } from '../../../src/operations/index.js';
import { planHasChanges } from '../../../src/planner/index.js';
import { parsePlan, serializePlan } from '../../../src/planner/planfile.js';
import { HerokuClient } from '../../../src/providers/heroku/client.js';
import { createFileBackend, type StateBackend } from '../../../src/state/index.js';
import { newInventory } from '../../../src/state/inventory.js';
import { saltForLineage } from '../../../src/util/fingerprint.js';
import { TEST_FINGERPRINT_KEY, testFingerprinter } from '../../helpers/fingerprint-key.js';

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
 * in a temp dir, a YAML file and its environment. `plan()` and `apply()` call
 * the library's operations, the very code `dynoform plan` / `dynoform apply` run.
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

  /** The options every operation of this world gets: its folder, environment, state, emulator and token. */
  options(): CommonOptions {
    return {
      cwd: this.dir,
      env: { DYNOFORM_FINGERPRINT_KEY: TEST_FINGERPRINT_KEY, ...this.env },
      state: join(this.dir, 'state.json'),
      apiUrl: this.emulator.url,
      token: 'test-token',
      // Retries after injected faults need not wait 250 ms.
      client: { retryBaseMs: 5 },
    };
  }

  /** `dynoform plan`, through the library's plan(). */
  async plan(): Promise<PlanRun> {
    const out = await plan({ ...this.options(), now: new Date('2026-01-01T00:00:00.000Z') });
    // Every plan a kind test makes must also survive `plan -o` and `apply PLANFILE`'s loader.
    const loaded = parsePlan(serializePlan(out.plan), 'world.plan');
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return { plan: out.plan, desired: await this.load(), inventory: await this.inventory() };
  }

  /**
   * `dynoform apply PLANFILE`, through the library's apply(): lock, re-load
   * the YAML, preflight, then the engine. A preflight refusal comes back as
   * its diagnostics with no events. `skipPreflight` calls the engine itself,
   * to test its own defences against a plan the operation would refuse.
   */
  async apply(
    plan: Plan,
    options: Partial<EngineOptions> & { skipPreflight?: boolean; onEvent?: (e: ApplyEvent) => void } = {},
  ): Promise<ApplyRun> {
    const { skipPreflight, onEvent, ...rest } = options;
    if (skipPreflight) return this.applyWithoutPreflight(plan, options);
    const events: ApplyEvent[] = [];
    const diagnostics: Diagnostic[] = [];
    let result: ApplyResult | undefined;
    let planned = false;
    try {
      for await (const e of apply({ ...this.options(), plan, concurrency: 4, provisionTimeoutMs: 30_000, ...rest, allowDestroy: rest.allowDestroy ?? false })) {
        if (e.type === 'plan') planned = true;
        // The YAML's own warnings come before the plan; preflight's after it.
        else if (e.type === 'diagnostic') {
          if (planned) diagnostics.push(e.diagnostic);
        } else if (isApplyEvent(e)) {
          events.push(e);
          onEvent?.(e);
          if (e.type === 'apply-done') result = e.result;
        }
      }
    } catch (err) {
      if (err instanceof DynoformError && (err.code === 'stale' || err.code === 'refused' || err.code === 'untrusted-plan') && err.diagnostics.length > 0) {
        return { diagnostics: err.diagnostics, events: [] };
      }
      throw err;
    }
    return { diagnostics, events, ...(result ? { result } : {}) };
  }

  private async applyWithoutPreflight(plan: Plan, options: Partial<EngineOptions> & { onEvent?: (e: ApplyEvent) => void }): Promise<ApplyRun> {
    const lock = await this.state.lock({ who: 'test', operation: 'apply' });
    try {
      const inventory = lock.current ?? newInventory();
      const desired = await this.load();
      const fingerprint = testFingerprinter(saltForLineage(inventory.lineage));
      const events: ApplyEvent[] = [];
      let result: ApplyResult | undefined;
      const { onEvent, ...rest } = options;
      for await (const e of applyPlan(plan, {
        client: this.client,
        desired,
        inventory,
        lock,
        fingerprint,
        options: { concurrency: 4, provisionTimeoutMs: 30_000, ...rest, allowDestroy: rest.allowDestroy ?? false },
      })) {
        events.push(e);
        onEvent?.(e);
        if (e.type === 'apply-done') result = e.result;
      }
      return { diagnostics: [], events, ...(result ? { result } : {}) };
    } finally {
      await lock.release();
    }
  }

  /** plan → apply → plan again: the second plan must have nothing left to do. */
  async converge(options: Partial<EngineOptions> = {}): Promise<{ first: PlanRun; run: ApplyRun; second: PlanRun }> {
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

const OPERATION_EVENTS = new Set<ApplyStreamEvent['type']>(['diagnostic', 'notice', 'debug', 'phase', 'plan', 'apply-skipped']);

function isApplyEvent(e: ApplyStreamEvent): e is ApplyEvent {
  return !OPERATION_EVENTS.has(e.type);
}
