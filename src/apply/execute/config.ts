import type { InventoryConfigKey } from '../../model/inventory.js';
import type { Change, Operation } from '../../model/plan.js';
import { getConfigVars, patchConfigVars, type ConfigHolder } from '../../providers/heroku/config-vars.js';
import { parsePipelineAddress } from '../../util/address.js';
import type { RebaseSpec } from './rebase.js';
import { appIdOf, ChangeError, ConflictError, valueOf, type ExecContext, type ExecSuccess } from './context.js';

type ConfigOp = Extract<Operation, { type: 'config.patch' | 'stage-config.patch' }>;

/**
 * One PATCH per app (or pipeline stage) with only the changed keys (values)
 * and the deleted owned keys (null). Keys in `own` already hold the
 * declared value: they are only recorded as owned, and a patch of nothing
 * but those sends no request at all.
 */
export async function executeConfig(ctx: ExecContext, change: Change, op: ConfigOp): Promise<ExecSuccess> {
  const owned: Record<string, InventoryConfigKey> = {};
  const body: Record<string, string | null> = {};
  for (const [key, v] of Object.entries(op.set)) {
    const { value, secret } = valueOf(ctx, change, v, key);
    body[key] = value;
    owned[key] = { fingerprint: ctx.fingerprint.sync(value, secret), secret };
  }
  for (const [key, v] of Object.entries(op.own)) {
    const { value, secret } = valueOf(ctx, change, v, key);
    owned[key] = { fingerprint: ctx.fingerprint.sync(value, secret), secret };
  }
  for (const key of op.unset) body[key] = null;
  const remove = [...op.unset, ...(op.forget ?? [])];

  let releases = 0;
  if (Object.keys(body).length > 0) {
    const holder = holderOf(ctx, change, op);
    const ifMatch = await guardFor(ctx, change, op, holder);
    await patchConfigVars(ctx.client, holder, body, ifMatch, { address: change.address });
    // A stage's vars are read by the review apps and CI runs made later: no release now.
    if (op.type === 'config.patch') releases = 1;
  }
  if (op.type === 'config.patch') return { releases, effect: { type: 'config', set: owned, remove } };
  return { releases, effect: { type: 'stage-config', key: pipelineKeyOf(change), stage: op.stage, set: owned, remove } };
}

function pipelineKeyOf(change: Change): string {
  const parsed = parsePipelineAddress(change.address);
  if (!parsed) throw new ChangeError('bad-address', `${change.address} is not a pipeline address`);
  return parsed.pipeline;
}

/** The app, or the pipeline stage (its id from state when the pipeline was created earlier in this run). */
function holderOf(ctx: ExecContext, change: Change, op: ConfigOp): ConfigHolder {
  if (op.type === 'config.patch') return { app: appIdOf(ctx, change) };
  const key = pipelineKeyOf(change);
  const pipeline = op.pipelineId ?? ctx.inventory().pipelines?.[key]?.id;
  if (!pipeline) throw new ChangeError('pipeline-unknown', `pipeline.${key} is not in state, so ${change.address} cannot be applied; run plan again`);
  return { pipeline, stage: op.stage };
}

/**
 * Never an unguarded write. The plan's ETag (rebased when our own earlier
 * changes moved it) goes as If-Match. Without one — the API, or a proxy in
 * front of it, sent none — the plan holds a keyed fingerprint of the live
 * values it saw: re-read them right before the write and compare, then
 * write with whatever ETag the re-read brought. No guard at all is accepted
 * only for the config of an app this very run created.
 */
async function guardFor(ctx: ExecContext, change: Change, op: ConfigOp, holder: ConfigHolder): Promise<string | undefined> {
  if (change.guard.etag !== undefined) return ctx.rebases.ifMatch(change);
  const guard = change.guard.fingerprint;
  if (guard === undefined) {
    if (ctx.createdApps.has(change.app)) return undefined;
    throw new ConflictError(`${change.address}: the plan has no guard for this write (no ETag, no fingerprint); refusing to write unguarded — run plan again`);
  }
  const now = await getConfigVars(ctx.client, holder);
  const fields: Record<string, string | undefined> = {};
  for (const k of touched(op)) fields[k] = now.vars[k];
  const cmp = ctx.fingerprint.checkGuard(fields, guard);
  if (cmp === 'unknown') {
    throw new ConflictError(
      `${change.address}: the API sent no ETag, and the plan's guard was made with a fingerprint key that is not set here (set DYNOFORM_FINGERPRINT_KEY as when the plan was made, or run plan and apply in one step)`,
    );
  }
  if (cmp === 'different') throw new ConflictError(`${change.address} changed since the plan was made`);
  return now.etag;
}

function touched(op: ConfigOp): string[] {
  return [...Object.keys(op.set), ...Object.keys(op.own), ...op.unset];
}

/** What a config change relies on: the live values of the keys it sets, deletes or adopts. */
export function configRebase(ctx: ExecContext, change: Change, op: Extract<ConfigOp, { type: 'config.patch' }>): RebaseSpec<Record<string, string | undefined>> {
  const keys = touched(op);
  return {
    read: async () => {
      const got = await getConfigVars(ctx.client, appIdOf(ctx, change));
      const fields: Record<string, string | undefined> = {};
      for (const k of keys) fields[k] = got.vars[k];
      return { ...(got.etag ? { etag: got.etag } : {}), fields };
    },
    same: (a, b) => keys.every((k) => a[k] === b[k]),
  };
}
