import type { Change, Operation } from '../../model/plan.js';
import { disableReviewApps, enableReviewApps, getReviewApps, updateReviewApps } from '../../providers/heroku/review-apps.js';
import { parsePipelineAddress } from '../../util/address.js';
import { reviewAppsGuard } from '../../util/guard.js';
import { ChangeError, ifMatchFor, type ExecContext, type ExecSuccess } from './context.js';

type ReviewAppsOp = Extract<Operation, { type: 'review-apps.enable' | 'review-apps.update' | 'review-apps.adopt' | 'review-apps.disable' }>;

/** Enables, updates, adopts or disables a pipeline's review apps; state records the repository as declared and its id as the API said. */
export async function executeReviewApps(ctx: ExecContext, change: Change, op: ReviewAppsOp): Promise<ExecSuccess> {
  const key = parsePipelineAddress(change.address)?.pipeline;
  if (key === undefined) throw new ChangeError('bad-address', `${change.address} is not a pipeline address`);
  const address = change.address;
  if (op.type === 'review-apps.enable') {
    const pipelineId = op.pipelineId ?? ctx.inventory().pipelines?.[key]?.id;
    if (!pipelineId) throw new ChangeError('pipeline-unknown', `pipeline.${key} is not in state, so ${address} cannot be applied; run plan again`);
    const r = await enableReviewApps(ctx.client, pipelineId, op.repo, op.set, { address });
    return { releases: 0, effect: { type: 'review-apps', key, reviewApps: { repo: op.repo, repoId: r.repoId, created: true, applied: op.set } } };
  }
  const read = async () => (await getReviewApps(ctx.client, op.pipelineId)) ?? undefined;
  const ifMatch = () => ifMatchFor(ctx, change, read, reviewAppsGuard);
  if (op.type === 'review-apps.disable') {
    await disableReviewApps(ctx.client, op.pipelineId, await ifMatch(), { address });
    return { releases: 0, effect: { type: 'review-apps-disabled', key } };
  }
  let repoId = op.repoId;
  if (Object.keys(op.set).length > 0) repoId = (await updateReviewApps(ctx.client, op.pipelineId, op.set, await ifMatch(), { address })).repoId;
  const created = ctx.inventory().pipelines?.[key]?.reviewApps?.created ?? false;
  return { releases: 0, effect: { type: 'review-apps', key, reviewApps: { repo: op.repo, repoId, created, applied: op.record } } };
}
