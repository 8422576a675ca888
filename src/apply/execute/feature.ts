import type { Change, Operation } from '../../model/plan.js';
import { getFeature, setFeature } from '../../providers/heroku/features.js';
import { orUndefined } from '../../providers/heroku/paths.js';
import { featureGuard } from '../../util/guard.js';
import { appIdOf, ifMatchFor, type ExecContext, type ExecSuccess } from './context.js';

type FeatureOp = Extract<Operation, { type: 'feature.set' }>;

/** One feature, re-read first when the plan saw it only in the list (the re-read's ETag then guards the PATCH). */
export async function executeFeature(ctx: ExecContext, change: Change, op: FeatureOp): Promise<ExecSuccess> {
  if (op.send) {
    const appId = appIdOf(ctx, change);
    const ifMatch = await ifMatchFor(ctx, change,
      async () => {
        const got = await orUndefined(() => getFeature(ctx.client, appId, op.name));
        return got && { value: got.feature, ...(got.etag ? { etag: got.etag } : {}) };
      },
      featureGuard,
    );
    await setFeature(ctx.client, appId, op.name, op.enabled === true, ifMatch, { address: change.address });
  }
  return { releases: 0, effect: { type: 'feature', name: op.name, enabled: op.enabled === true } };
}
