import type { Change, Operation } from '../../model/plan.js';
import {
  createCoupling,
  createPipeline,
  deleteCoupling,
  deletePipeline,
  getCoupling,
  getPipeline,
  renamePipeline,
  updateCouplingStage,
} from '../../providers/heroku/pipelines.js';
import { parsePipelineAddress } from '../../util/address.js';
import { couplingGuard, pipelineGuard } from '../../util/guard.js';
import { ChangeError, ifMatchFor, type ExecContext, type ExecSuccess } from './context.js';

type PipelineOp = Extract<Operation, { type: 'pipeline.create' | 'pipeline.update' | 'pipeline.adopt' | 'pipeline.delete' }>;
type CouplingOp = Extract<Operation, { type: 'coupling.create' | 'coupling.update' | 'coupling.adopt' | 'coupling.delete' }>;

/** The pipeline's YAML key, from the change's address. */
function pipelineKeyOf(change: Change): string {
  const parsed = parsePipelineAddress(change.address);
  if (!parsed) throw new ChangeError('bad-address', `${change.address} is not a pipeline address`);
  return parsed.pipeline;
}

export async function executePipeline(ctx: ExecContext, change: Change, op: PipelineOp): Promise<ExecSuccess> {
  const key = pipelineKeyOf(change);
  const address = change.address;
  if (op.type === 'pipeline.create') {
    const p = await createPipeline(ctx.client, { name: op.name, ...(op.owner ? { owner: op.owner } : {}) }, { address });
    return { releases: 0, effect: { type: 'pipeline', key, id: p.id, name: p.name, created: true, protect: op.protect } };
  }
  const read = () => getPipeline(ctx.client, op.pipelineId);
  if (op.type === 'pipeline.delete') {
    const ifMatch = await ifMatchFor(ctx, change, read, pipelineGuard);
    await deletePipeline(ctx.client, op.pipelineId, ifMatch, { address });
    return { releases: 0, effect: { type: 'pipeline-deleted', key } };
  }
  let name = ctx.inventory().pipelines?.[key]?.name;
  if (op.name !== undefined) {
    const ifMatch = await ifMatchFor(ctx, change, read, pipelineGuard);
    name = (await renamePipeline(ctx.client, op.pipelineId, op.name, ifMatch, { address })).name;
  } else if (name === undefined) {
    // Adopting without a rename sends nothing: the name comes from the plan's snapshot.
    name = typeof change.before?.['name'] === 'string' ? change.before['name'] : key;
  }
  return { releases: 0, effect: { type: 'pipeline', key, id: op.pipelineId, name, created: false, protect: op.protect } };
}

export async function executeCoupling(ctx: ExecContext, change: Change, op: CouplingOp): Promise<ExecSuccess> {
  const key = pipelineKeyOf(change);
  const address = change.address;
  const inv = ctx.inventory();
  switch (op.type) {
    case 'coupling.create': {
      const pipelineId = op.pipelineId ?? inv.pipelines?.[key]?.id;
      const appId = op.appId ?? inv.apps[op.app]?.id;
      if (!pipelineId) throw new ChangeError('pipeline-unknown', `pipeline.${key} is not in state, so ${address} cannot be applied; run plan again`);
      if (!appId) throw new ChangeError('app-unknown', `app.${op.app} is not in state, so ${address} cannot be applied; run plan again`);
      const c = await createCoupling(ctx.client, { appId, pipelineId, stage: op.stage }, { address });
      return { releases: 0, effect: { type: 'coupling', key, app: op.app, coupling: { id: c.id, appId: c.appId, stage: c.stage } } };
    }
    case 'coupling.update':
    case 'coupling.adopt': {
      let stage = op.type === 'coupling.adopt' ? op.liveStage : undefined;
      if (op.type === 'coupling.update' || op.liveStage !== op.stage) {
        const ifMatch = await ifMatchFor(ctx, change, () => getCoupling(ctx.client, op.couplingId), couplingGuard);
        stage = (await updateCouplingStage(ctx.client, op.couplingId, op.stage, ifMatch, { address })).stage;
      }
      return { releases: 0, effect: { type: 'coupling', key, app: op.app, coupling: { id: op.couplingId, appId: op.appId, stage: stage ?? op.stage } } };
    }
    case 'coupling.delete': {
      const ifMatch = await ifMatchFor(ctx, change, () => getCoupling(ctx.client, op.couplingId), couplingGuard);
      await deleteCoupling(ctx.client, op.couplingId, ifMatch, { address });
      return { releases: 0, effect: { type: 'coupling-deleted', key, app: op.app } };
    }
  }
}
