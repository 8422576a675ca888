import type { Change, Operation } from '../../model/plan.js';
import { getApp } from '../../providers/heroku/apps.js';
import { orUndefined } from '../../providers/heroku/paths.js';
import { setLocked, transferApp } from '../../providers/heroku/teams.js';
import { teamGuard } from '../../util/guard.js';
import { appIdOf, checkFingerprint, type ExecContext, type ExecSuccess } from './context.js';

type TeamOp = Extract<Operation, { type: 'team.set' }>;

/** A transfer (after re-checking who owns the app), then the lock; neither restarts anything. */
export async function executeTeam(ctx: ExecContext, change: Change, op: TeamOp): Promise<ExecSuccess> {
  const appId = appIdOf(ctx, change);
  if (op.transferTo !== undefined) {
    if (change.guard.fingerprint !== undefined) {
      await checkFingerprint(change, async () => {
        const got = await orUndefined(() => getApp(ctx.client, appId));
        return got && { value: got.app };
      }, teamGuard);
    }
    await transferApp(ctx.client, appId, op.transferTo, undefined, { address: change.address });
  }
  if (op.sendLocked === true && op.locked !== undefined) {
    // After our own transfer the plan's ETag is spent by us: the re-checked owner is the guard then.
    const ifMatch = op.transferTo === undefined ? change.guard.etag : undefined;
    await setLocked(ctx.client, appId, op.locked, ifMatch, { address: change.address });
  }
  return { releases: 0, effect: { type: 'team', team: op.team, ...(op.locked !== undefined ? { locked: op.locked } : {}) } };
}
