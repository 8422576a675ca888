import { GENERATIONS } from '../catalogue/data.js';
import type { CouplingRecord, PipelineRecord } from '../../store/records.js';
import { appParam } from '../apps/routes.js';
import { findApp } from '../apps/rules.js';
import { accountOf, bodyOf, created, list, ok, param, type Ctx, type Json, type RouteDef } from '../types.js';
import { notFound } from '../../http/errors.js';
import {
  couplingOfApp,
  couplingsOf,
  createCoupling,
  createPipeline,
  deleteCoupling,
  deletePipeline,
  findCoupling,
  findPipeline,
  pipelinesOf,
  renamePipeline,
  updateCoupling,
  visibleCouplings,
} from './rules.js';

export function renderPipeline(p: PipelineRecord): Json {
  return {
    created_at: p.createdAt,
    generation: { ...GENERATIONS.cedar },
    id: p.id,
    name: p.name,
    owner: { id: p.ownerId, type: p.ownerType },
    updated_at: p.updatedAt,
  };
}

/** As the schema has it: app and pipeline by id only (`heroku apps:info` would like `pipeline.name`, which the schema does not list). */
export function renderCoupling(c: CouplingRecord): Json {
  return {
    app: { id: c.appId },
    created_at: c.createdAt,
    id: c.id,
    pipeline: { id: c.pipelineId },
    stage: c.stage,
    updated_at: c.updatedAt,
  };
}

const pipelineParam = (ctx: Ctx): PipelineRecord => findPipeline(ctx.platform, accountOf(ctx), param(ctx, 'pipeline'));

/** The Heroku CLI sends `generation` with a new pipeline (the platform generation); the link schema has no such field. */
function dropGeneration(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const { generation: _generation, ...rest } = body as Record<string, unknown>;
  return rest;
}

const couplingList = (items: CouplingRecord[]) => list(items.map(renderCoupling), ['id']);

export const pipelineRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/pipelines',
    handler: (ctx) => {
      // The Heroku CLI looks pipelines up by name with `?eq[name]=…`.
      const eq = ctx.query.get('eq[name]');
      const all = pipelinesOf(ctx.platform, accountOf(ctx)).filter((p) => eq === null || p.name === eq);
      return list(all.map(renderPipeline), ['id', 'name']);
    },
  },
  {
    method: 'POST',
    pattern: '/pipelines',
    normalize: dropGeneration,
    handler: (ctx) =>
      created(renderPipeline(createPipeline(ctx.platform, accountOf(ctx), bodyOf<{ name: string; owner?: { id: string; type: string } | null }>(ctx)))),
  },
  { method: 'GET', pattern: '/pipelines/{pipeline}', handler: (ctx) => ok(renderPipeline(pipelineParam(ctx))) },
  {
    method: 'PATCH',
    pattern: '/pipelines/{pipeline}',
    handler: (ctx) => ok(renderPipeline(renamePipeline(ctx.platform, pipelineParam(ctx), bodyOf<{ name?: string }>(ctx).name))),
  },
  { method: 'DELETE', pattern: '/pipelines/{pipeline}', handler: (ctx) => ok(renderPipeline(deletePipeline(ctx.platform, pipelineParam(ctx)))) },

  { method: 'GET', pattern: '/pipeline-couplings', handler: (ctx) => couplingList(visibleCouplings(ctx.platform, accountOf(ctx))) },
  { method: 'GET', pattern: '/users/~/pipeline-couplings', handler: (ctx) => couplingList(visibleCouplings(ctx.platform, accountOf(ctx))) },
  { method: 'GET', pattern: '/pipelines/{pipeline}/pipeline-couplings', handler: (ctx) => couplingList(couplingsOf(ctx.platform, pipelineParam(ctx))) },
  {
    method: 'POST',
    pattern: '/pipeline-couplings',
    handler: (ctx) => {
      const body = bodyOf<{ app: string; pipeline: string; stage: string }>(ctx);
      const account = accountOf(ctx);
      const app = findApp(ctx.platform, account, body.app);
      const pipeline = findPipeline(ctx.platform, account, body.pipeline);
      return created(renderCoupling(createCoupling(ctx.platform, app, pipeline, body.stage)));
    },
  },
  {
    method: 'GET',
    pattern: '/pipeline-couplings/{coupling}',
    handler: (ctx) => ok(renderCoupling(findCoupling(ctx.platform, accountOf(ctx), param(ctx, 'coupling')))),
  },
  {
    method: 'PATCH',
    pattern: '/pipeline-couplings/{coupling}',
    handler: (ctx) => {
      const c = findCoupling(ctx.platform, accountOf(ctx), param(ctx, 'coupling'));
      return ok(renderCoupling(updateCoupling(ctx.platform, c, bodyOf<{ stage?: string }>(ctx).stage)));
    },
  },
  {
    method: 'DELETE',
    pattern: '/pipeline-couplings/{coupling}',
    handler: (ctx) => ok(renderCoupling(deleteCoupling(ctx.platform, findCoupling(ctx.platform, accountOf(ctx), param(ctx, 'coupling'))))),
  },
  // An app outside a pipeline answers 404 here, which is what the Heroku CLI expects.
  {
    method: 'GET',
    pattern: '/apps/{app}/pipeline-couplings',
    handler: (ctx) => {
      const c = couplingOfApp(ctx.platform, appParam(ctx));
      if (!c) throw notFound("Couldn't find that pipeline coupling.", 'pipeline_coupling');
      return ok(renderCoupling(c));
    },
  },
];
