import type { Change, Operation } from '../../model/plan.js';
import { createDrain, deleteDrain, getDrain } from '../../providers/heroku/drains.js';
import { orUndefined } from '../../providers/heroku/paths.js';
import { drainGuard } from '../../util/guard.js';
import { appIdOf, checkFingerprint, valueOf, type ExecContext, type ExecSuccess } from './context.js';

type DrainOp = Extract<Operation, { type: 'drain.create' | 'drain.adopt' | 'drain.delete' }>;

/** Drains cannot be updated: a URL change is planned as delete + create. */
export async function executeDrain(ctx: ExecContext, change: Change, op: DrainOp): Promise<ExecSuccess> {
  const appId = appIdOf(ctx, change);
  switch (op.type) {
    case 'drain.create':
    case 'drain.adopt': {
      const { value: url, secret } = valueOf(ctx, change, op.url);
      const id = op.type === 'drain.create' ? (await createDrain(ctx.client, appId, url, { address: change.address })).id : op.drainId;
      return { releases: 0, effect: { type: 'drain', drain: { id, maskedUrl: op.maskedUrl, urlFingerprint: ctx.fingerprint.sync(url, secret) } } };
    }
    case 'drain.delete': {
      if (change.guard.etag === undefined) {
        // A drain is immutable: the same id is the same drain, so checking it is still there is the whole guard.
        await checkFingerprint(change, async () => {
          const d = await orUndefined(() => getDrain(ctx.client, appId, op.drainId));
          return d && { value: d };
        }, drainGuard);
      }
      await deleteDrain(ctx.client, appId, op.drainId, change.guard.etag, { address: change.address });
      return { releases: 0, effect: { type: 'drain-deleted', id: op.drainId } };
    }
  }
}
