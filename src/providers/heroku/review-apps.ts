import type { LiveReviewApps } from '../../model/live.js';
import type { ReviewAppSettings } from '../../model/plan.js';
import type { ApiReviewAppConfig } from './api-types.js';
import type { HerokuClient } from './client.js';
import { orUndefined, seg, type WriteOptions } from './paths.js';

export function toLiveReviewApps(r: ApiReviewAppConfig, etag?: string): LiveReviewApps {
  return {
    repoId: typeof r.repo?.id === 'number' ? r.repo.id : null,
    automaticReviewApps: r.automatic_review_apps,
    destroyStaleApps: r.destroy_stale_apps,
    staleDays: r.stale_days ?? null,
    waitForCi: r.wait_for_ci,
    baseName: r.base_name ?? null,
    deployTarget: r.deploy_target ? { id: r.deploy_target.id, type: r.deploy_target.type } : null,
    ...(etag ? { etag } : {}),
  };
}

const path = (pipelineId: string): string => `/pipelines/${seg(pipelineId)}/review-app-config`;

/** A pipeline's review-app settings; null when review apps are not enabled (the API answers 404). */
export async function getReviewApps(client: HerokuClient, pipelineId: string, opts: { signal?: AbortSignal } = {}): Promise<{ value: LiveReviewApps; etag?: string } | null> {
  const res = await orUndefined(() => client.get<ApiReviewAppConfig>(path(pipelineId), { ...opts, shape: 'review-app-config' }));
  if (!res) return null;
  return { value: toLiveReviewApps(res.body, res.etag), ...(res.etag ? { etag: res.etag } : {}) };
}

/** Whether every field of `set` reads back as sent. */
function applied(got: LiveReviewApps, set: ReviewAppSettings): boolean {
  const now: Record<string, unknown> = {
    automatic_review_apps: got.automaticReviewApps,
    destroy_stale_apps: got.destroyStaleApps,
    stale_days: got.staleDays,
    wait_for_ci: got.waitForCi,
    base_name: got.baseName,
    deploy_target: got.deployTarget,
  };
  return Object.entries(set).every(([k, v]) => JSON.stringify(now[k] ?? null) === JSON.stringify(v ?? null));
}

/** Enables review apps from `repo` with the given settings; after an ambiguous failure the settings are read back first. */
export async function enableReviewApps(client: HerokuClient, pipelineId: string, repo: string, set: ReviewAppSettings, opts: WriteOptions = {}): Promise<LiveReviewApps> {
  const res = await client.request<ApiReviewAppConfig>('POST', path(pipelineId), {
    shape: 'review-app-config',
    body: { repo, ...set },
    ...opts,
    readBack: async () => {
      const got = await orUndefined(() => client.get<ApiReviewAppConfig>(path(pipelineId), { signal: opts.signal, shape: 'review-app-config' }));
      return got && applied(toLiveReviewApps(got.body), set) ? got.body : undefined;
    },
  });
  return toLiveReviewApps(res.body, res.etag);
}

export async function updateReviewApps(client: HerokuClient, pipelineId: string, set: ReviewAppSettings, ifMatch?: string, opts: WriteOptions = {}): Promise<LiveReviewApps> {
  const res = await client.request<ApiReviewAppConfig>('PATCH', path(pipelineId), {
    shape: 'review-app-config',
    body: set,
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...opts,
    readBack: async () => {
      const got = await orUndefined(() => client.get<ApiReviewAppConfig>(path(pipelineId), { signal: opts.signal, shape: 'review-app-config' }));
      return got && applied(toLiveReviewApps(got.body), set) ? got.body : undefined;
    },
  });
  return toLiveReviewApps(res.body, res.etag);
}

/** Disables review apps (the API deletes the review apps that exist); resolves also when a retry finds them disabled. */
export async function disableReviewApps(client: HerokuClient, pipelineId: string, ifMatch?: string, opts: WriteOptions = {}): Promise<void> {
  await client.request<ApiReviewAppConfig>('DELETE', path(pipelineId), { ...(ifMatch !== undefined ? { ifMatch } : {}), ...opts });
}

/**
 * The GitHub repository (`owner/name`) a pipeline is connected to, read from
 * the repositories-api variant the Heroku CLI uses (review-app settings name
 * it by id only); undefined when the API does not say.
 */
export async function getPipelineRepo(client: HerokuClient, pipelineId: string, opts: { signal?: AbortSignal } = {}): Promise<string | undefined> {
  const res = await orUndefined(() =>
    client.get<{ full_name: string }>(`/pipelines/${seg(pipelineId)}/repo`, { ...opts, shape: 'pipeline-repo', variant: 'repositories-api' }),
  );
  return res?.body.full_name;
}
