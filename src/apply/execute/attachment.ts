import type { Change, Operation } from '../../model/plan.js';
import { createAttachment, deleteAttachment, getAttachment } from '../../providers/heroku/attachments.js';
import { orUndefined } from '../../providers/heroku/paths.js';
import { attachmentGuard } from '../../util/guard.js';
import { appIdOf, ChangeError, ifMatchFor, type ExecContext, type ExecSuccess } from './context.js';

type AttachmentOp = Extract<Operation, { type: 'attachment.create' | 'attachment.adopt' | 'attachment.delete' }>;

/** Attachments of another app's add-on; detaching never deletes the add-on. */
export async function executeAttachment(ctx: ExecContext, change: Change, op: AttachmentOp): Promise<ExecSuccess> {
  const appId = appIdOf(ctx, change);
  const address = change.address;
  switch (op.type) {
    case 'attachment.create': {
      // An add-on created earlier in this apply is known only to state by now.
      const addonId = op.addonId ?? ctx.inventory().apps[op.owner.app]?.addons[op.owner.addon]?.id;
      if (addonId === undefined) {
        throw new ChangeError('addon-unknown', `${address}: add-on ${op.owner.app}/${op.owner.addon} is not in state (was it created?), so it cannot be attached; run plan again`);
      }
      const a = await createAttachment(ctx.client, addonId, appId, op.name, { address });
      // Attaching makes a release on this app (the add-on's config vars arrive).
      return { releases: 1, effect: { type: 'attachment', name: op.name, attachment: { id: a.id, addonId, app: op.owner.app, addon: op.owner.addon } } };
    }
    case 'attachment.adopt':
      return { releases: 0, effect: { type: 'attachment', name: op.name, attachment: { id: op.attachmentId, addonId: op.addonId, app: op.owner.app, addon: op.owner.addon } } };
    case 'attachment.delete': {
      const ifMatch = await ifMatchFor(ctx, change, async () => {
        const got = await orUndefined(() => getAttachment(ctx.client, op.attachmentId));
        return got && { value: got.attachment, ...(got.etag ? { etag: got.etag } : {}) };
      }, attachmentGuard);
      await deleteAttachment(ctx.client, op.attachmentId, ifMatch, { address });
      return { releases: 1, effect: { type: 'attachment-deleted', name: op.name } };
    }
  }
}
