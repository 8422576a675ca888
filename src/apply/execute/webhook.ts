import type { InventoryWebhook } from '../../model/inventory.js';
import type { Change, Operation } from '../../model/plan.js';
import { orUndefined } from '../../providers/heroku/paths.js';
import { createWebhook, deleteWebhook, getWebhook, updateWebhook, type WebhookFields } from '../../providers/heroku/webhooks.js';
import { webhookGuard } from '../../util/guard.js';
import { appIdOf, ifMatchFor, valueOf, type ExecContext, type ExecSuccess } from './context.js';

type WebhookOp = Extract<Operation, { type: 'webhook.create' | 'webhook.update' | 'webhook.adopt' | 'webhook.delete' }>;
type UpsertOp = Extract<WebhookOp, { type: 'webhook.create' | 'webhook.update' | 'webhook.adopt' }>;
const SECRET_FIELDS = ['secret', 'authorization'] as const;

/**
 * The secrets to send, re-resolved from the YAML and checked against the
 * plan's fingerprints, and what state records for each afterwards: the
 * fingerprint of what was sent, nothing for a removed one, and the recorded
 * one for a secret that was not sent.
 */
function secrets(ctx: ExecContext, change: Change, op: UpsertOp): { fields: WebhookFields; record: Pick<InventoryWebhook, 'secret' | 'authorization'> } {
  const fields: Record<string, string | null> = {};
  const record: Pick<InventoryWebhook, 'secret' | 'authorization'> = {};
  const prior = ctx.inventory().apps[change.app]?.webhooks?.[op.url];
  for (const f of SECRET_FIELDS) {
    const sent = op.type === 'webhook.create' ? op[f] !== undefined : op.send.includes(f);
    const v = op[f];
    if (!sent) {
      if (prior?.[f] !== undefined && v !== undefined) record[f] = prior[f];
      continue;
    }
    if (v === undefined) {
      fields[f] = null;
      continue;
    }
    const resolved = valueOf(ctx, change, v, undefined, f);
    fields[f] = resolved.value;
    record[f] = ctx.fingerprint.sync(resolved.value, true);
  }
  return { fields: fields as WebhookFields, record };
}

export async function executeWebhook(ctx: ExecContext, change: Change, op: WebhookOp): Promise<ExecSuccess> {
  const appId = appIdOf(ctx, change);
  const address = change.address;
  switch (op.type) {
    case 'webhook.create': {
      const { fields, record } = secrets(ctx, change, op);
      const w = await createWebhook(ctx.client, appId, { url: op.url, include: op.include, level: op.level, ...fields }, { address });
      return { releases: 0, effect: { type: 'webhook', url: op.url, webhook: { id: w.id, include: w.include, level: w.level, ...record, updatedAt: w.updatedAt } } };
    }
    case 'webhook.update':
    case 'webhook.adopt': {
      const { fields, record } = secrets(ctx, change, op);
      if (op.send.length === 0) {
        // Nothing to write: state learns the webhook (adopt) or its new updated_at (an outside write with nothing to undo).
        return { releases: 0, effect: { type: 'webhook', url: op.url, webhook: { id: op.webhookId, include: [...op.include], level: op.level, ...record, updatedAt: op.updatedAt } } };
      }
      let before: string | undefined;
      const reread = async () => {
        const got = await orUndefined(() => getWebhook(ctx.client, appId, op.webhookId));
        before = got?.webhook.updatedAt;
        return got && { value: got.webhook, ...(got.etag ? { etag: got.etag } : {}) };
      };
      const ifMatch = await ifMatchFor(ctx, change, reread, webhookGuard);
      const body: WebhookFields = { ...fields };
      if (op.send.includes('url')) body.url = op.url;
      if (op.send.includes('include')) body.include = op.include;
      if (op.send.includes('level')) body.level = op.level;
      const w = await updateWebhook(ctx.client, appId, op.webhookId, body, before, ifMatch, { address });
      return { releases: 0, effect: { type: 'webhook', url: op.url, webhook: { id: w.id, include: w.include, level: w.level, ...record, updatedAt: w.updatedAt } } };
    }
    case 'webhook.delete': {
      const ifMatch = await ifMatchFor(ctx, change, async () => {
        const got = await orUndefined(() => getWebhook(ctx.client, appId, op.webhookId));
        return got && { value: got.webhook, ...(got.etag ? { etag: got.etag } : {}) };
      }, webhookGuard);
      await deleteWebhook(ctx.client, appId, op.webhookId, ifMatch, { address });
      return { releases: 0, effect: { type: 'webhook-deleted', url: op.url } };
    }
  }
}
