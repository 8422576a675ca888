import type { LiveDomain } from '../../model/live.js';
import type { ApiDomain } from './api-types.js';
import type { HerokuClient } from './client.js';
import { orUndefined, seg, type WriteOptions } from './paths.js';

export function toLiveDomain(d: ApiDomain, etag?: string): LiveDomain {
  return {
    id: d.id,
    hostname: d.hostname,
    kind: d.kind,
    sniEndpoint: d.sni_endpoint ? (d.sni_endpoint.name ?? d.sni_endpoint.id) : null,
    cname: d.cname ?? null,
    ...(etag ? { etag } : {}),
  };
}

/** All domains of an app, the built-in `kind: heroku` one included. */
export async function listDomains(client: HerokuClient, app: string, opts: { signal?: AbortSignal } = {}): Promise<LiveDomain[]> {
  const { items } = await client.list<ApiDomain>(`/apps/${seg(app)}/domains`, { ...opts, shape: 'domain' });
  return items.map((d) => toLiveDomain(d));
}

export async function getDomain(
  client: HerokuClient,
  app: string,
  domainIdOrHostname: string,
  opts: { signal?: AbortSignal } = {},
): Promise<LiveDomain> {
  const res = await client.get<ApiDomain>(`/apps/${seg(app)}/domains/${seg(domainIdOrHostname)}`, { ...opts, shape: 'domain' });
  return toLiveDomain(res.body, res.etag);
}

/** Adds a custom domain; after an ambiguous failure it is looked up by hostname before the create is sent again. */
export async function createDomain(
  client: HerokuClient,
  app: string,
  spec: { hostname: string; sniEndpoint?: string | null },
  opts: WriteOptions = {},
): Promise<LiveDomain> {
  const base = `/apps/${seg(app)}/domains`;
  const hostname = spec.hostname.toLowerCase();
  const res = await client.request<ApiDomain>('POST', base, {
    body: { hostname, sni_endpoint: spec.sniEndpoint ?? null },
    shape: 'domain',
    ...opts,
    readBack: async () => (await orUndefined(() => client.get<ApiDomain>(`${base}/${seg(hostname)}`, { signal: opts.signal, shape: 'domain' })))?.body,
  });
  return toLiveDomain(res.body, res.etag);
}

/** Points a domain at an SNI endpoint (or none): the only in-place change a domain has. */
export async function updateSni(
  client: HerokuClient,
  app: string,
  domainIdOrHostname: string,
  sniEndpoint: string | null,
  ifMatch?: string,
  opts: WriteOptions = {},
): Promise<LiveDomain> {
  const path = `/apps/${seg(app)}/domains/${seg(domainIdOrHostname)}`;
  let readBackEtag: string | undefined;
  const res = await client.request<ApiDomain>('PATCH', path, {
    body: { sni_endpoint: sniEndpoint },
    shape: 'domain',
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...opts,
    readBack: async () => {
      const got = await orUndefined(() => client.get<ApiDomain>(path, { signal: opts.signal, shape: 'domain' }));
      if (!got) return undefined;
      readBackEtag = got.etag;
      return toLiveDomain(got.body).sniEndpoint === sniEndpoint || got.body.sni_endpoint?.id === sniEndpoint ? got.body : undefined;
    },
  });
  return toLiveDomain(res.body, res.recovered ? readBackEtag : res.etag);
}

/** Removes a domain by id; resolves also when a retry finds it already gone. */
export async function deleteDomain(
  client: HerokuClient,
  app: string,
  domainId: string,
  ifMatch?: string,
  opts: WriteOptions = {},
): Promise<void> {
  await client.request<ApiDomain>('DELETE', `/apps/${seg(app)}/domains/${seg(domainId)}`, {
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...opts,
  });
}
