import type { Change, Operation } from '../../model/plan.js';
import { listBuildpacks, setBuildpacks } from '../../providers/heroku/buildpacks.js';
import { orUndefined } from '../../providers/heroku/paths.js';
import { buildpacksGuard } from '../../util/guard.js';
import { appIdOf, ChangeError, ifMatchFor, type ExecContext, type ExecSuccess } from './context.js';

type BuildpacksOp = Extract<Operation, { type: 'buildpacks.set' }>;

/** The whole list in one guarded PUT; the next build uses it (no release now). */
export async function executeBuildpacks(ctx: ExecContext, change: Change, op: BuildpacksOp): Promise<ExecSuccess> {
  if (!Array.isArray(op.buildpacks) || !op.buildpacks.every((b) => typeof b === 'string')) {
    throw new ChangeError('plan-malformed', `${change.address}: the plan's buildpack list is not a list of strings`);
  }
  if (op.send) {
    const appId = appIdOf(ctx, change);
    const ifMatch = await ifMatchFor(ctx, change,
      async () => {
        const got = await orUndefined(() => listBuildpacks(ctx.client, appId));
        return got && { value: got, ...(got.etag ? { etag: got.etag } : {}) };
      },
      buildpacksGuard,
    );
    await setBuildpacks(ctx.client, appId, op.buildpacks, ifMatch, { address: change.address });
  }
  return { releases: 0, effect: { type: 'buildpacks', buildpacks: [...op.buildpacks] } };
}
