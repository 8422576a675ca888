import type { LiveCoupling, LivePipeline } from '../../model/live.js';
import type { ApiPipeline, ApiPipelineCoupling, ApiTeam } from './api-types.js';
import type { HerokuClient } from './client.js';
import { orUndefined, seg, type WriteOptions } from './paths.js';

/** A response that lacks what dynoform needs is refused here, not carried into a plan. */
class BadPipelineResponse extends Error {
  override readonly name = 'BadPipelineResponse';
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string' || v === '') throw new BadPipelineResponse(`the API answered with a ${what} that is not a string`);
  return v;
}

export function toLivePipeline(p: ApiPipeline): LivePipeline {
  const owner = p.owner && typeof p.owner === 'object' ? p.owner : null;
  return {
    id: str(p.id, 'pipeline id'),
    name: str(p.name, 'pipeline name'),
    owner: owner ? { id: str(owner.id, 'pipeline owner id'), type: owner.type === 'team' ? 'team' : 'user' } : null,
  };
}

export function toLiveCoupling(c: ApiPipelineCoupling): LiveCoupling {
  return {
    id: str(c.id, 'coupling id'),
    appId: str(c.app?.id, 'coupling app id'),
    pipelineId: str(c.pipeline?.id, 'coupling pipeline id'),
    stage: str(c.stage, 'coupling stage'),
  };
}

/** Every pipeline visible to the account (paged). */
export async function listPipelines(client: HerokuClient, opts: { signal?: AbortSignal } = {}): Promise<LivePipeline[]> {
  const { items } = await client.list<ApiPipeline>('/pipelines', { ...opts, shape: 'pipeline' });
  return items.map(toLivePipeline);
}

/** Every coupling visible to the account, in one list: cheaper than one list per pipeline. */
export async function listCouplings(client: HerokuClient, opts: { signal?: AbortSignal } = {}): Promise<LiveCoupling[]> {
  const { items } = await client.list<ApiPipelineCoupling>('/pipeline-couplings', { ...opts, shape: 'pipeline-coupling' });
  return items.map(toLiveCoupling);
}

/** Team name → id for the teams the account belongs to. */
export async function listTeamIds(client: HerokuClient, opts: { signal?: AbortSignal } = {}): Promise<Record<string, string>> {
  const { items } = await client.list<ApiTeam>('/teams', { ...opts, shape: 'team' });
  const out: Record<string, string> = {};
  for (const t of items) out[str(t.name, 'team name')] = str(t.id, 'team id');
  return out;
}

export async function getPipeline(client: HerokuClient, id: string, opts: { signal?: AbortSignal } = {}): Promise<{ value: LivePipeline; etag?: string } | undefined> {
  const res = await orUndefined(() => client.get<ApiPipeline>(`/pipelines/${seg(id)}`, { ...opts, shape: 'pipeline' }));
  return res && { value: toLivePipeline(res.body), ...(res.etag ? { etag: res.etag } : {}) };
}

/** Creates a pipeline; after an ambiguous failure it is looked up by name before the create is sent again. */
export async function createPipeline(
  client: HerokuClient,
  spec: { name: string; owner?: { id: string; type: 'user' | 'team' } },
  opts: WriteOptions = {},
): Promise<LivePipeline> {
  const res = await client.request<ApiPipeline>('POST', '/pipelines', {
    shape: 'pipeline',
    body: { name: spec.name, ...(spec.owner ? { owner: spec.owner } : {}) },
    ...opts,
    readBack: async () => (await orUndefined(() => client.get<ApiPipeline>(`/pipelines/${seg(spec.name)}`, { signal: opts.signal, shape: 'pipeline' })))?.body,
  });
  return toLivePipeline(res.body);
}

export async function renamePipeline(client: HerokuClient, id: string, name: string, ifMatch?: string, opts: WriteOptions = {}): Promise<LivePipeline> {
  const res = await client.request<ApiPipeline>('PATCH', `/pipelines/${seg(id)}`, {
    body: { name },
    shape: 'pipeline',
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...opts,
    readBack: async () => {
      const got = await orUndefined(() => client.get<ApiPipeline>(`/pipelines/${seg(id)}`, { signal: opts.signal, shape: 'pipeline' }));
      return got?.body.name === name ? got.body : undefined;
    },
  });
  return toLivePipeline(res.body);
}

/** Deletes a pipeline by id (its couplings go with it, its apps stay); resolves also when a retry finds it gone. */
export async function deletePipeline(client: HerokuClient, id: string, ifMatch?: string, opts: WriteOptions = {}): Promise<void> {
  await client.request<ApiPipeline>('DELETE', `/pipelines/${seg(id)}`, { ...(ifMatch !== undefined ? { ifMatch } : {}), ...opts });
}

export async function getCoupling(client: HerokuClient, id: string, opts: { signal?: AbortSignal } = {}): Promise<{ value: LiveCoupling; etag?: string } | undefined> {
  const res = await orUndefined(() => client.get<ApiPipelineCoupling>(`/pipeline-couplings/${seg(id)}`, { ...opts, shape: 'pipeline-coupling' }));
  return res && { value: toLiveCoupling(res.body), ...(res.etag ? { etag: res.etag } : {}) };
}

/** Couples an app; after an ambiguous failure the app's coupling is read back before the create is sent again. */
export async function createCoupling(
  client: HerokuClient,
  spec: { appId: string; pipelineId: string; stage: string },
  opts: WriteOptions = {},
): Promise<LiveCoupling> {
  const res = await client.request<ApiPipelineCoupling>('POST', '/pipeline-couplings', {
    shape: 'pipeline-coupling',
    body: { app: spec.appId, pipeline: spec.pipelineId, stage: spec.stage },
    ...opts,
    readBack: async () => {
      const got = await orUndefined(() => client.get<ApiPipelineCoupling>(`/apps/${seg(spec.appId)}/pipeline-couplings`, { signal: opts.signal, shape: 'pipeline-coupling' }));
      return got && got.body.pipeline?.id === spec.pipelineId && got.body.stage === spec.stage ? got.body : undefined;
    },
  });
  return toLiveCoupling(res.body);
}

export async function updateCouplingStage(client: HerokuClient, id: string, stage: string, ifMatch?: string, opts: WriteOptions = {}): Promise<LiveCoupling> {
  const res = await client.request<ApiPipelineCoupling>('PATCH', `/pipeline-couplings/${seg(id)}`, {
    body: { stage },
    shape: 'pipeline-coupling',
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...opts,
    readBack: async () => {
      const got = await orUndefined(() => client.get<ApiPipelineCoupling>(`/pipeline-couplings/${seg(id)}`, { signal: opts.signal, shape: 'pipeline-coupling' }));
      return got?.body.stage === stage ? got.body : undefined;
    },
  });
  return toLiveCoupling(res.body);
}

export async function deleteCoupling(client: HerokuClient, id: string, ifMatch?: string, opts: WriteOptions = {}): Promise<void> {
  await client.request<ApiPipelineCoupling>('DELETE', `/pipeline-couplings/${seg(id)}`, { ...(ifMatch !== undefined ? { ifMatch } : {}), ...opts });
}

/** One pipeline by name or id; undefined when the account cannot see it. */
export async function findPipeline(client: HerokuClient, nameOrId: string, opts: { signal?: AbortSignal } = {}): Promise<LivePipeline | undefined> {
  return (await getPipeline(client, nameOrId, opts))?.value;
}

/** The couplings of one pipeline. */
export async function listPipelineCouplings(client: HerokuClient, pipelineId: string, opts: { signal?: AbortSignal } = {}): Promise<LiveCoupling[]> {
  const { items } = await client.list<ApiPipelineCoupling>(`/pipelines/${seg(pipelineId)}/pipeline-couplings`, { ...opts, shape: 'pipeline-coupling' });
  return items.map(toLiveCoupling);
}
