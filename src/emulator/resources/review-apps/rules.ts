import { invalidParams, notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { PipelineRecord, ReviewAppsRecord } from '../../store/records.js';
import { findRegion } from '../catalogue/data.js';
import { STAGES } from '../pipelines/rules.js';

/** The fields POST and PATCH take (the Heroku CLI also sends `pipeline` and `repo`, which PATCH ignores). */
export interface ReviewAppsBody {
  repo?: string;
  automatic_review_apps?: boolean;
  destroy_stale_apps?: boolean;
  stale_days?: number;
  wait_for_ci?: boolean;
  base_name?: string | null;
  deploy_target?: { id: string; type: string } | null;
}

const DEFAULTS: ReviewAppsRecord = { automaticReviewApps: false, destroyStaleApps: false, staleDays: 5, waitForCi: false, baseName: null, deployTarget: null };

function put(p: Platform, next: PipelineRecord): PipelineRecord {
  const stored = { ...next, updatedAt: p.now() };
  p.store.pipelines.set(stored.id, stored);
  p.changed();
  return stored;
}

/** A stable repository id per name, as GitHub's are: the emulator has no GitHub to ask. */
function repoIdOf(fullName: string): number {
  let h = 0;
  for (const ch of fullName.toLowerCase()) h = (h * 31 + ch.charCodeAt(0)) % 900_000_000;
  return 100_000_000 + h;
}

function checkStage(stage: string): string {
  if (!(STAGES as readonly string[]).includes(stage)) throw notFound("Couldn't find that pipeline stage.", 'pipeline_stage');
  return stage;
}

export function stageConfigOf(pipeline: PipelineRecord, stage: string): Record<string, string> {
  return pipeline.stageConfig?.[checkStage(stage)] ?? {};
}

/** A merge-PATCH, as an app's config vars: a string sets, null deletes. */
export function patchStageConfig(p: Platform, pipeline: PipelineRecord, stage: string, body: Record<string, string | null>): Record<string, string> {
  const vars = { ...stageConfigOf(pipeline, stage) };
  for (const [k, v] of Object.entries(body)) {
    if (v === null) delete vars[k];
    else vars[k] = v;
  }
  const stored = put(p, { ...pipeline, stageConfig: { ...pipeline.stageConfig, [stage]: vars } });
  return stored.stageConfig![stage]!;
}

export function reviewAppsOf(pipeline: PipelineRecord): ReviewAppsRecord {
  if (!pipeline.reviewApps) throw notFound("Couldn't find that review app config.", 'review_app_config');
  return pipeline.reviewApps;
}

/** The settings after applying a body, with the API's checks. */
function apply(current: ReviewAppsRecord, body: ReviewAppsBody): ReviewAppsRecord {
  const next = { ...current };
  if (body.automatic_review_apps !== undefined) next.automaticReviewApps = body.automatic_review_apps;
  if (body.destroy_stale_apps !== undefined) next.destroyStaleApps = body.destroy_stale_apps;
  if (body.wait_for_ci !== undefined) next.waitForCi = body.wait_for_ci;
  if (body.stale_days !== undefined) {
    if (!Number.isInteger(body.stale_days) || body.stale_days < 1 || body.stale_days > 30) throw invalidParams('Stale days must be between 1 and 30.');
    next.staleDays = body.stale_days;
  }
  if (body.base_name !== undefined) {
    if (body.base_name !== null && !/^[a-z][a-z0-9-]{0,19}$/.test(body.base_name)) {
      throw invalidParams('Base name must start with a letter and contain only lowercase letters, numbers and dashes (at most 20 characters).');
    }
    next.baseName = body.base_name;
  }
  if (body.deploy_target !== undefined) {
    const t = body.deploy_target;
    if (t === null) next.deployTarget = null;
    else if (t.type === 'region') {
      const region = findRegion(t.id);
      if (!region) throw invalidParams(`Couldn't find that region: ${t.id}.`);
      next.deployTarget = { id: region.name, type: 'region' };
    } else if (t.type === 'space') {
      // The emulator has no private spaces.
      throw invalidParams(`Couldn't find that space: ${t.id}.`);
    } else throw invalidParams('Deploy target type must be region or space.');
  }
  return next;
}

/**
 * Enabling connects the pipeline to `repo` when it is not connected yet;
 * a pipeline connected to another repository refuses (the real API lets
 * review apps come only from the connected one).
 */
export function enableReviewApps(p: Platform, pipeline: PipelineRecord, body: ReviewAppsBody): PipelineRecord {
  if (pipeline.reviewApps) throw invalidParams(`Review apps are already enabled for the pipeline ${pipeline.name}.`);
  const repo = body.repo ?? '';
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo)) throw invalidParams('Invalid params: repo must be the full name of a GitHub repository (owner/name).');
  if (pipeline.repo && pipeline.repo.fullName.toLowerCase() !== repo.toLowerCase()) {
    throw invalidParams(`The pipeline ${pipeline.name} is connected to ${pipeline.repo.fullName}, not ${repo}.`);
  }
  const settings = apply(DEFAULTS, body);
  return put(p, { ...pipeline, repo: pipeline.repo ?? { id: repoIdOf(repo), fullName: repo }, reviewApps: settings });
}

export function updateReviewApps(p: Platform, pipeline: PipelineRecord, body: ReviewAppsBody): PipelineRecord {
  return put(p, { ...pipeline, reviewApps: apply(reviewAppsOf(pipeline), body) });
}

/** Disabling keeps the repository connection (as the real API does); the emulator creates no review apps to delete. */
export function disableReviewApps(p: Platform, pipeline: PipelineRecord): { pipeline: PipelineRecord; was: ReviewAppsRecord } {
  const was = reviewAppsOf(pipeline);
  const { reviewApps: _gone, ...rest } = pipeline;
  return { pipeline: put(p, rest), was };
}
