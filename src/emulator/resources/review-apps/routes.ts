import { notFound } from '../../http/errors.js';
import type { PipelineRecord, ReviewAppsRecord } from '../../store/records.js';
import { findPipeline } from '../pipelines/rules.js';
import { accountOf, bodyOf, created, ok, param, type Ctx, type Json, type RouteDef } from '../types.js';
import {
  disableReviewApps,
  enableReviewApps,
  patchStageConfig,
  reviewAppsOf,
  stageConfigOf,
  updateReviewApps,
  type ReviewAppsBody,
} from './rules.js';

const pipelineParam = (ctx: Ctx): PipelineRecord => findPipeline(ctx.platform, accountOf(ctx), param(ctx, 'pipeline'));

/** As the schema has it: the repository by id only. */
function render(pipeline: PipelineRecord, r: ReviewAppsRecord): Json {
  return {
    automatic_review_apps: r.automaticReviewApps,
    base_name: r.baseName,
    deploy_target: r.deployTarget,
    destroy_stale_apps: r.destroyStaleApps,
    pipeline_id: pipeline.id,
    repo: { id: pipeline.repo?.id ?? null },
    stale_days: r.staleDays,
    wait_for_ci: r.waitForCi,
  };
}

/** The Heroku CLI sends `pipeline` (the id) with review-app settings; the link schemas have no such field. */
function dropPipeline(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const { pipeline: _pipeline, ...rest } = body as Record<string, unknown>;
  return rest;
}

export const reviewAppRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/pipelines/{pipeline}/stage/{stage}/config-vars',
    handler: (ctx) => ok(stageConfigOf(pipelineParam(ctx), param(ctx, 'stage'))),
  },
  {
    method: 'PATCH',
    pattern: '/pipelines/{pipeline}/stage/{stage}/config-vars',
    handler: (ctx) => ok(patchStageConfig(ctx.platform, pipelineParam(ctx), param(ctx, 'stage'), bodyOf<Record<string, string | null>>(ctx))),
  },
  {
    method: 'GET',
    pattern: '/pipelines/{pipeline}/review-app-config',
    handler: (ctx) => {
      const p = pipelineParam(ctx);
      return ok(render(p, reviewAppsOf(p)));
    },
  },
  {
    method: 'POST',
    pattern: '/pipelines/{pipeline}/review-app-config',
    normalize: dropPipeline,
    handler: (ctx) => {
      const p = enableReviewApps(ctx.platform, pipelineParam(ctx), bodyOf<ReviewAppsBody>(ctx));
      return created(render(p, p.reviewApps!));
    },
  },
  {
    method: 'PATCH',
    pattern: '/pipelines/{pipeline}/review-app-config',
    normalize: dropPipeline,
    handler: (ctx) => {
      const p = updateReviewApps(ctx.platform, pipelineParam(ctx), bodyOf<ReviewAppsBody>(ctx));
      return ok(render(p, p.reviewApps!));
    },
  },
  {
    method: 'DELETE',
    pattern: '/pipelines/{pipeline}/review-app-config',
    handler: (ctx) => {
      const { pipeline, was } = disableReviewApps(ctx.platform, pipelineParam(ctx));
      return ok(render(pipeline, was));
    },
  },
  /**
   * Not in the official schema: the repositories-api variant the Heroku CLI's
   * reviewapps:enable/disable read the connected repository from. The CLI
   * falls back to Kolkrabbi (kolkrabbi.heroku.com, GitHub integration, a
   * fixed host outside the Platform API) when the account feature
   * dashboard-repositories-api is off; the emulator answers here instead,
   * with the fields the CLI reads.
   */
  {
    method: 'GET',
    pattern: '/pipelines/{pipeline}/repo',
    handler: (ctx) => {
      const p = pipelineParam(ctx);
      if (!p.repo) throw notFound("Couldn't find a repository connected to that pipeline.", 'repository');
      return ok({ id: p.repo.id, full_name: p.repo.fullName, name: p.repo.fullName.split('/')[1] ?? p.repo.fullName, owner: { login: p.repo.fullName.split('/')[0] ?? '' } });
    },
  },
];
