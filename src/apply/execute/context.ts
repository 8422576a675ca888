import type { ApplyEvent } from '../../model/apply.js';
import type { DesiredState } from '../../model/desired.js';
import type { Inventory } from '../../model/inventory.js';
import type { Change, PlanValue } from '../../model/plan.js';
import type { HerokuClient } from '../../providers/heroku/client.js';
import type { Fingerprinter } from '../../util/fingerprint.js';
import type { AppliedEffect } from '../inventory-update.js';
import { resolveValue } from '../secrets.js';
import type { Rebases } from './rebase.js';

/** What an executor may use. Executors never print and never write state: they return an effect. */
export interface ExecContext {
  client: HerokuClient;
  desired: DesiredState;
  fingerprint: Fingerprinter;
  /** The working inventory: every change that succeeded so far is in it. */
  inventory(): Inventory;
  /** Aborts waits (add-on provisioning), never a request in flight. */
  signal?: AbortSignal;
  provisionTimeoutMs: number;
  emit(e: ApplyEvent): void;
  rebases: Rebases;
  /** App keys whose app.create succeeded in this run: their config did not exist at plan time, so it needs no guard. */
  createdApps: ReadonlySet<string>;
}

export interface ExecSuccess {
  effect?: AppliedEffect;
  /** Releases (dyno restarts) the change caused. */
  releases: number;
  /** Said after the change, e.g. "still provisioning". */
  warnings?: string[];
}

/** The live object differs from what the plan was computed from; nothing was written. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/** A failure with a stable code (secret mismatch, provisioning failed…). */
export class ChangeError extends Error {
  override readonly name = 'ChangeError';
  constructor(
    readonly code: string,
    message: string,
    /** What the failed change nevertheless created and state must remember (e.g. an add-on still provisioning). */
    readonly effect?: AppliedEffect,
  ) {
    super(message);
  }
}

/** The app's id: from state (set by its create/adopt earlier in this run), else from the op. */
export function appIdOf(ctx: ExecContext, change: Change): string {
  const id = ctx.inventory().apps[change.app]?.id ?? ('appId' in change.op ? change.op.appId : undefined);
  if (!id) throw new ChangeError('app-unknown', `app.${change.app} is not in state, so ${change.address} cannot be applied; run plan again`);
  return id;
}

/** A plan value to send: literal as planned, secret re-resolved from the YAML and checked against its fingerprint. */
export function valueOf(ctx: ExecContext, change: Change, value: PlanValue, configKey?: string, webhookField?: 'secret' | 'authorization'): { value: string; secret: boolean } {
  const r = resolveValue(ctx.desired, ctx.fingerprint, change, value, configKey, webhookField);
  if (!r.ok) throw new ChangeError(r.code, r.message);
  return { value: r.value, secret: r.secret };
}

/**
 * Guard for an object read from a list (no per-object ETag at plan time):
 * re-read it, compare its guard fingerprint with the plan's, and return the
 * fresh ETag to write with. A mismatch is a conflict: nothing is written.
 */
export async function checkFingerprint<T>(
  change: Change,
  read: () => Promise<{ value: T; etag?: string } | undefined>,
  guard: (v: T) => string,
): Promise<{ value: T; etag?: string }> {
  const got = await read();
  if (!got) throw new ConflictError(`${change.address} no longer exists`);
  if (change.guard.fingerprint === undefined || guard(got.value) !== change.guard.fingerprint) {
    throw new ConflictError(`${change.address} changed since the plan was made`);
  }
  return got;
}

/**
 * If-Match for a write guarded per the plan: the plan's ETag, or a fresh one
 * after a fingerprint check. No guard at all is accepted only for an object
 * of an app this very run created (nothing existed for the plan to read).
 */
export async function ifMatchFor<T>(
  ctx: ExecContext,
  change: Change,
  read: () => Promise<{ value: T; etag?: string } | undefined>,
  guard: (v: T) => string,
): Promise<string | undefined> {
  if (change.guard.etag !== undefined) return change.guard.etag;
  if (change.guard.fingerprint !== undefined) return (await checkFingerprint(change, read, guard)).etag;
  if (ctx.createdApps.has(change.app)) return undefined;
  // Every planned write to an existing object carries a guard: a plan without one was not made by this planner.
  throw new ConflictError(`${change.address}: the plan has no guard for this write (no ETag, no fingerprint); refusing to write unguarded — run plan again`);
}
