import type { ApplyEvent, ApplyResult, ChangeReport } from '../model/apply.js';
import type { DesiredState } from '../model/desired.js';
import type { Inventory } from '../model/inventory.js';
import type { Change, Plan } from '../model/plan.js';
import type { HerokuClient } from '../providers/heroku/client.js';
import { AbortedError, HerokuApiError, NetworkError, PreconditionFailedError } from '../providers/heroku/errors.js';
import type { StateLock } from '../state/backend.js';
import type { Fingerprinter } from '../util/fingerprint.js';
import { desiredSecrets, redact } from '../util/mask.js';
import { stoppableStream } from './channel.js';
import { ChangeError, ConflictError, type ExecContext } from './execute/context.js';
import { executeChange, registerRebases } from './execute/index.js';
import { Rebases } from './execute/rebase.js';
import { buildGraph, type GraphNode } from './graph.js';
import { applyToInventory, type AppliedEffect } from './inventory-update.js';
import { consentOf, destroys, isDestructive, preflight } from './preflight.js';
import { runGraph } from './scheduler.js';
import { StateWriter } from './state-writer.js';
import { anySignal } from '../util/signal.js';

export interface ApplyOptions {
  /** Consent to app and add-on deletions (`--allow-destroy`). */
  allowDestroy: boolean;
  /** Apps with work in progress at once. Default DEFAULT_CONCURRENCY (10). */
  concurrency?: number;
  /** How long to wait for an add-on to finish provisioning. Default DEFAULT_PROVISION_TIMEOUT_MS (15 minutes). */
  provisionTimeoutMs?: number;
  /** Ctrl-C: start no new change, let in-flight requests finish, save state, end interrupted. */
  signal?: AbortSignal;
}

export interface ApplyDeps {
  /** The one client every request goes through (its queue does the rate limiting). */
  client: HerokuClient;
  /** The re-loaded YAML: the only source of secret values. */
  desired: DesiredState;
  /** The state as read under the lock. */
  inventory: Inventory;
  /** The held state lock: written after every successful change. */
  lock: StateLock;
  /** Keyed with the fingerprint key (when one is set); compares legacy fingerprints with the state lineage salt. */
  fingerprint: Fingerprinter;
  options: ApplyOptions;
}

export const DEFAULT_CONCURRENCY = 10;
export const DEFAULT_PROVISION_TIMEOUT_MS = 15 * 60_000;

/** The outcome of executing one change, before it is reported. */
type Outcome =
  | { ok: true; releases: number; warnings: string[] }
  | {
      ok: false;
      conflict: boolean;
      message: string;
      code?: string;
      /** The API refused the token or the account (401/403): no further change can succeed. */
      refused?: boolean;
    };

/**
 * Applies a plan; yields typed progress events, the last of which is
 * `apply-done` with the result. Breaking out of the loop stops the run like
 * Ctrl-C (no new change starts; in-flight ones finish and are saved).
 * Throws only when it cannot continue: the state could not be saved.
 */
export function applyPlan(plan: Plan, deps: ApplyDeps): AsyncIterable<ApplyEvent> {
  return stoppableStream<ApplyEvent>(deps.options.signal, (signal, channel) => execute(plan, deps, signal, (e) => channel.push(e)));
}

/** applyPlan, consumed: calls `onEvent` for every event and resolves to the result. */
export async function runApply(plan: Plan, deps: ApplyDeps, onEvent?: (e: ApplyEvent) => void): Promise<ApplyResult> {
  let result: ApplyResult | undefined;
  for await (const e of applyPlan(plan, deps)) {
    onEvent?.(e);
    if (e.type === 'apply-done') result = e.result;
  }
  if (!result) throw new Error('internal error: apply ended without a result');
  return result;
}

async function execute(plan: Plan, deps: ApplyDeps, signal: AbortSignal, emit: (e: ApplyEvent) => void): Promise<void> {
  const t0 = performance.now();
  const stats0 = deps.client.stats();
  const { options } = deps;
  const result: ApplyResult = { succeeded: [], failed: [], skipped: [], conflicts: 0, releases: 0, requests: 0, interrupted: false, durationMs: 0 };

  // Planned no-ops are not changes: they are neither run nor reported.
  const changes = plan.changes.filter((c) => c.action !== 'noop');
  emit({ type: 'apply-start', total: changes.length, apps: new Set(changes.map((c) => c.app)).size });

  // The CLI refuses a stale plan before calling us; as a library we refuse it too rather than apply it half-blind.
  const stale = preflight(plan, { inventory: deps.inventory, desired: deps.desired, fingerprint: deps.fingerprint, allowDestroy: true }).find(
    (d) => d.code === 'plan-stale',
  );

  let stateFailed: unknown;
  /** The first 401/403: the run stops there and says it once. */
  let refusedBy: string | undefined;
  const stopAll = new AbortController();
  const runSignal = anySignal(signal, stopAll.signal);
  const writer = new StateWriter(
    deps.lock,
    deps.inventory,
    (serial) => emit({ type: 'state-saved', serial }),
    (err) => {
      stateFailed = err;
      emit({ type: 'warning', message: `the state could not be saved: ${err instanceof Error ? err.message : String(err)}; starting no further changes` });
      stopAll.abort();
    },
  );

  const rebases = new Rebases();
  const createdApps = new Set<string>();
  const ctx: ExecContext = {
    client: deps.client,
    desired: deps.desired,
    fingerprint: deps.fingerprint,
    inventory: () => writer.inventory,
    signal: runSignal,
    provisionTimeoutMs: options.provisionTimeoutMs ?? DEFAULT_PROVISION_TIMEOUT_MS,
    emit,
    rebases,
    createdApps,
  };
  registerRebases(ctx, changes);

  const report = (c: Change, outcome: ChangeReport['outcome'], message?: string): ChangeReport => ({
    changeId: c.id,
    address: c.address,
    action: c.action,
    outcome,
    ...(message !== undefined ? { message } : {}),
  });

  const refuse = (node: GraphNode): string | undefined => {
    const c = node.change;
    if (stale) return stale.message;
    switch (c.action) {
      case 'blocked':
        return `blocked: ${c.reason ?? 'deletion without consent'}`;
      case 'replace-refused':
        return `refused: ${c.reason ?? 'the API cannot make this change in place'}`;
      case 'waiting':
        // One line says it (the skip), naming the process types: a warning as well printed it twice.
        return waitingReason(c);
      default:
        break;
    }
    if (c.op.type === 'none') return c.reason ?? 'nothing to do';
    if (isDestructive(c)) {
      if (!options.allowDestroy) return `this deletes ${destroys(c)}: needs --allow-destroy`;
      const consent = consentOf(writer.inventory, c);
      if (!consent.consented) return `${consent.holder} is protected in state: apply protect: false first`;
    }
    return undefined;
  };

  const graph = buildGraph(changes);
  const { interrupted } = await runGraph(
    graph,
    {
      refuse,
      skip: (node, reason) => {
        const c = node.change;
        result.skipped.push(report(c, 'skipped', reason));
        emit({ type: 'change-skipped', changeId: c.id, address: c.address, action: c.action, reason });
      },
      execute: async (node) => {
        const c = node.change;
        emit({ type: 'change-start', changeId: c.id, address: c.address, action: c.action });
        for (const item of c.items ?? []) {
          if (item.action === 'waiting') {
            emit({ type: 'warning', address: c.address, message: `${item.key}: waiting for a release${item.note ? ` (${item.note})` : ''}` });
          }
        }
        const started = performance.now();
        const outcome = await runOne(ctx, c, (effect) => writer.update(applyToInventory(writer.inventory, c, effect)));
        if (outcome.ok) {
          // A pipeline's scope too: its stage config and review apps did not exist for the plan to guard.
          if (c.op.type === 'app.create' || c.op.type === 'pipeline.create') createdApps.add(c.app);
          result.releases += outcome.releases;
          result.succeeded.push(report(c, 'succeeded'));
          for (const w of outcome.warnings) emit({ type: 'warning', address: c.address, message: w });
          emit({ type: 'change-done', changeId: c.id, address: c.address, action: c.action, outcome: 'succeeded', durationMs: Math.round(performance.now() - started) });
          return 'succeeded';
        }
        if (outcome.refused) {
          if (refusedBy === undefined) {
            refusedBy = c.address;
            // No new change starts: each would be refused the same way.
            stopAll.abort('the API refused the credentials');
          } else {
            outcome.message = `not applied: the API refused the credentials (see ${refusedBy})`;
          }
        }
        const kind = outcome.conflict ? 'conflict' : 'failed';
        if (outcome.conflict) result.conflicts += 1;
        result.failed.push(report(c, kind, outcome.message));
        emit({
          type: 'change-failed',
          changeId: c.id,
          address: c.address,
          action: c.action,
          outcome: kind,
          message: outcome.message,
          ...(outcome.code !== undefined ? { code: outcome.code } : {}),
        });
        return kind;
      },
    },
    { concurrency: options.concurrency ?? DEFAULT_CONCURRENCY, signal: runSignal },
  );

  await writer.flush();
  result.interrupted = interrupted && stateFailed === undefined && refusedBy === undefined;
  const stats1 = deps.client.stats();
  result.requests = stats1.requests - stats0.requests;
  result.retries = stats1.retries - stats0.retries;
  result.durationMs = Math.round(performance.now() - t0);
  emit({ type: 'apply-done', result });
}

/** Runs one change and records its effect; every failure becomes an outcome with a message free of secrets. */
async function runOne(ctx: ExecContext, change: Change, record: (effect: AppliedEffect) => void): Promise<Outcome> {
  try {
    await ctx.rebases.beforeRun(change);
    const done = await executeChange(ctx, change);
    if (done.effect) {
      try {
        record(done.effect);
      } catch (err) {
        return { ok: true, releases: done.releases, warnings: [...(done.warnings ?? []), `applied, but not recorded in state: ${(err as Error).message}`] };
      }
    }
    return { ok: true, releases: done.releases, warnings: done.warnings ?? [] };
  } catch (err) {
    if (err instanceof ChangeError && err.effect) {
      try {
        record(err.effect);
      } catch {
        // The failure below is what matters; the next plan shows the object.
      }
    }
    return failure(ctx, err);
  }
}

function failure(ctx: ExecContext, err: unknown): Outcome {
  const clean = (text: string): string => redact(text, desiredSecrets(ctx.desired));
  if (err instanceof PreconditionFailedError || err instanceof ConflictError) {
    return { ok: false, conflict: true, code: 'conflict', message: clean(`changed since plan — run plan again (${err instanceof ConflictError ? err.message : '412 Precondition Failed'})`) };
  }
  if (err instanceof ChangeError) return { ok: false, conflict: false, code: err.code, message: clean(err.message) };
  if (err instanceof HerokuApiError) {
    const refused = err.status === 401 || err.status === 403;
    return { ok: false, conflict: false, code: err.id, message: clean(err.message), ...(refused ? { refused } : {}) };
  }
  if (err instanceof NetworkError) return { ok: false, conflict: false, code: err.code, message: clean(err.message) };
  if (err instanceof AbortedError) {
    // Only a client built with an AbortSignal cuts requests short; the engine itself never does.
    return { ok: false, conflict: false, code: 'aborted', message: 'interrupted while a request was in flight: it may or may not have been applied — run plan to see' };
  }
  return { ok: false, conflict: false, code: 'internal', message: clean(err instanceof Error ? err.message : String(err)) };
}

/** `waiting for a release that defines web and worker`: what a formation left waiting needs. */
function waitingReason(c: Change): string {
  const types = (c.items ?? []).filter((i) => i.action === 'waiting').map((i) => i.key);
  if (types.length === 0) return c.reason ?? 'waiting for a release that defines this process type';
  const list = types.length === 1 ? types[0]! : `${types.slice(0, -1).join(', ')} and ${types[types.length - 1]!}`;
  return `waiting for a release that defines ${list}`;
}
