import type { InventoryAddon } from '../../model/inventory.js';
import type { LiveAddon } from '../../model/live.js';
import type { Change, Operation } from '../../model/plan.js';
import { createAddon, deleteAddon, getAddon, updateAddonPlan, waitProvisioned } from '../../providers/heroku/addons.js';
import { AbortedError, ProvisioningError } from '../../providers/heroku/errors.js';
import { orUndefined } from '../../providers/heroku/paths.js';
import { parseAddress } from '../../util/address.js';
import { addonGuard } from '../../util/guard.js';
import type { AppliedEffect } from '../inventory-update.js';
import { appIdOf, ChangeError, ifMatchFor, type ExecContext, type ExecSuccess } from './context.js';

type AddonOp = Extract<Operation, { type: 'addon.create' | 'addon.update' | 'addon.adopt' | 'addon.delete' }>;

/** The add-on's key under `addons:` (its handle in state), from the change address. */
function addonKey(change: Change): string {
  const key = parseAddress(change.address)?.key;
  if (key === undefined) throw new ChangeError('bad-address', `${change.address} does not name an add-on`);
  return key;
}

export async function executeAddon(ctx: ExecContext, change: Change, op: AddonOp): Promise<ExecSuccess> {
  const appId = appIdOf(ctx, change);
  const key = addonKey(change);
  const address = change.address;
  const read = (addonId: string) => async () => {
    const a = await orUndefined(() => getAddon(ctx.client, appId, addonId));
    return a && { value: a, ...(a.etag ? { etag: a.etag } : {}) };
  };
  const record = (a: Pick<LiveAddon, 'id' | 'name' | 'plan'>, as: string | undefined): AppliedEffect => {
    const addon: InventoryAddon = { id: a.id, name: a.name, plan: a.plan };
    if (as !== undefined) addon.attachment = as;
    return { type: 'addon', key, addon };
  };

  switch (op.type) {
    case 'addon.create': {
      const spec = { plan: op.plan, ...(op.as ? { as: op.as } : {}), ...(op.name ? { name: op.name } : {}), ...(op.config ? { config: op.config } : {}) };
      const created = await createAddon(ctx.client, appId, spec, { address });
      // Attaching sets the add-on's config vars: one release.
      const effect = record({ ...created, plan: created.plan || op.plan }, op.as);
      return await untilProvisioned(ctx, change, appId, created, effect, 1);
    }
    case 'addon.update': {
      const ifMatch = await ifMatchFor(ctx, change, read(op.addonId), addonGuard);
      const updated = await updateAddonPlan(ctx.client, appId, op.addonId, op.plan, ifMatch, { address });
      const attachment = ctx.inventory().apps[change.app]?.addons[key]?.attachment;
      return await untilProvisioned(ctx, change, appId, updated, record({ ...updated, plan: updated.plan || op.plan }, attachment), 0);
    }
    case 'addon.adopt': {
      if (op.livePlan === undefined) {
        return { releases: 0, effect: record({ id: op.addonId, name: op.addonName, plan: op.plan }, op.as) };
      }
      // Adopted on another plan than declared: change it, guarded like an update.
      const ifMatch = await ifMatchFor(ctx, change, read(op.addonId), addonGuard);
      const updated = await updateAddonPlan(ctx.client, appId, op.addonId, op.plan, ifMatch, { address });
      return await untilProvisioned(ctx, change, appId, updated, record({ ...updated, plan: updated.plan || op.plan }, op.as), 0);
    }
    case 'addon.delete': {
      if (ctx.inventory().apps[change.app]?.protect !== false) {
        throw new ChangeError('destroy-protected', `${address}: app.${change.app} is protected in state; apply protect: false first`);
      }
      const ifMatch = await ifMatchFor(ctx, change, read(op.addonId), addonGuard);
      await deleteAddon(ctx.client, appId, op.addonId, ifMatch, { address });
      // Detaching removes its config vars: one release.
      return { releases: 1, effect: { type: 'addon-deleted', key } };
    }
  }
}

/**
 * Dependents of an add-on (config, formation) run only once it is
 * provisioned. A timeout fails the change but still records the add-on,
 * which exists and may finish later; a provider failure records nothing
 * (the add-on is gone) and reports the provider's message.
 */
async function untilProvisioned(
  ctx: ExecContext,
  change: Change,
  appId: string,
  addon: LiveAddon,
  effect: AppliedEffect,
  releases: number,
): Promise<ExecSuccess> {
  if (addon.state === 'provisioned') return { releases, effect };
  if (addon.state === 'deprovisioned') throw provisionFailed(change, addon.name, addon.provisionMessage);
  try {
    await waitProvisioned(ctx.client, appId, addon.id, {
      timeoutMs: ctx.provisionTimeoutMs,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onWait: (ms, a) =>
        ctx.emit({ type: 'wait', reason: 'provisioning', ms, address: change.address, detail: `${a.name} is ${a.state}${a.provisionMessage ? `: ${a.provisionMessage}` : ''}` }),
    });
    return { releases, effect };
  } catch (err) {
    if (err instanceof AbortedError) {
      // Interrupted: the add-on exists and is ours; its dependents will not start in this run anyway.
      return { releases, effect, warnings: [`${addon.name} is still provisioning (stopped waiting: interrupted); run plan to check on it`] };
    }
    if (err instanceof ProvisioningError) {
      if (err.timedOut) throw new ChangeError('provision-timeout', err.message, effect);
      throw provisionFailed(change, err.addonName, err.provisionMessage);
    }
    throw err;
  }
}

function provisionFailed(change: Change, name: string, message: string | undefined): ChangeError {
  return new ChangeError('provision-failed', `${change.address}: add-on ${name} failed to provision${message ? `: ${message}` : ' (the provider gave no message)'}`);
}
