import type { LiveFormation } from '../../model/live.js';
import type { Change, Operation } from '../../model/plan.js';
import { batchUpdateFormation, listFormation } from '../../providers/heroku/formation.js';
import type { RebaseSpec } from './rebase.js';
import { formationGuard } from '../../util/guard.js';
import { appIdOf, ConflictError, type ExecContext, type ExecSuccess } from './context.js';

type FormationOp = Extract<Operation, { type: 'formation.batch' }>;

/** One batch PATCH per app, guarded by the ETag of the formation list the plan read. */
export async function executeFormation(ctx: ExecContext, change: Change, op: FormationOp): Promise<ExecSuccess> {
  const record = op.record ? { record: op.record } : {};
  // Only the state learns the declared scale: no request.
  if (op.updates.length === 0) return { releases: 0, ...(op.record ? { effect: { type: 'formation', updates: [], ...record } } : {}) };
  const appId = appIdOf(ctx, change);
  const ifMatch = await guardFor(ctx, change, appId);
  await batchUpdateFormation(ctx.client, appId, op.updates, ifMatch, { address: change.address });
  // Scaling restarts nothing else and makes no release.
  return { releases: 0, effect: { type: 'formation', updates: op.updates, ...record } };
}

/** The plan's ETag (rebased when needed); without one, a re-read checked against the plan's fingerprint; never no guard for an app that existed at plan time. */
async function guardFor(ctx: ExecContext, change: Change, appId: string): Promise<string | undefined> {
  if (change.guard.etag !== undefined) return ctx.rebases.ifMatch(change);
  if (change.guard.fingerprint === undefined) {
    if (ctx.createdApps.has(change.app)) return undefined;
    throw new ConflictError(`${change.address}: the plan has no guard for this write (no ETag, no fingerprint); refusing to write unguarded — run plan again`);
  }
  const got = await listFormation(ctx.client, appId);
  if (formationGuard(got.items) !== change.guard.fingerprint) throw new ConflictError(`${change.address} changed since the plan was made`);
  return got.etag;
}

/** What a formation change relies on: every process type's scale and size. */
export function formationRebase(ctx: ExecContext, change: Change): RebaseSpec<string> {
  return {
    read: async () => {
      const got = await listFormation(ctx.client, appIdOf(ctx, change));
      return { ...(got.etag ? { etag: got.etag } : {}), fields: canonical(got.items) };
    },
    same: (a, b) => a === b,
  };
}

function canonical(items: LiveFormation[]): string {
  return JSON.stringify(items.map((f) => [f.type, f.quantity, f.size.toLowerCase()]).sort());
}
