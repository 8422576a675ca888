import type { InventoryConfigKey } from '../../model/inventory.js';
import type { Change, Operation } from '../../model/plan.js';
import { getConfigVars, patchConfigVars } from '../../providers/heroku/config-vars.js';
import type { RebaseSpec } from './rebase.js';
import { appIdOf, valueOf, type ExecContext, type ExecSuccess } from './context.js';

type ConfigOp = Extract<Operation, { type: 'config.patch' }>;

/**
 * One PATCH per app with only the changed keys (values) and the deleted
 * owned keys (null). Keys in `own` already hold the declared value: they
 * are only recorded as owned, and a patch of nothing but those sends no
 * request at all.
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
    const appId = appIdOf(ctx, change);
    const ifMatch = await ctx.rebases.ifMatch(change);
    await patchConfigVars(ctx.client, appId, body, ifMatch, { address: change.address });
    releases = 1;
  }
  return { releases, effect: { type: 'config', set: owned, remove } };
}

/** What a config change relies on: the live values of the keys it sets, deletes or adopts. */
export function configRebase(ctx: ExecContext, change: Change, op: ConfigOp): RebaseSpec<Record<string, string | undefined>> {
  const keys = [...Object.keys(op.set), ...Object.keys(op.own), ...op.unset];
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
