import type { LiveSniEndpoint } from '../../model/live.js';
import { certificateFingerprint } from '../../util/certificates.js';
import type { ApiApp, ApiSniEndpoint } from './api-types.js';
import type { HerokuClient } from './client.js';
import { orUndefined, scrubError, seg, type WriteOptions } from './paths.js';

export function toLiveSniEndpoint(e: ApiSniEndpoint): LiveSniEndpoint {
  return {
    id: e.id,
    name: e.name,
    chain: e.certificate_chain,
    fingerprint: certificateFingerprint(e.certificate_chain),
    certDomains: [...(e.ssl_cert?.cert_domains ?? [])].map(String),
    ...(e.ssl_cert?.expires_at ? { expiresAt: String(e.ssl_cert.expires_at) } : {}),
  };
}

export async function listSniEndpoints(client: HerokuClient, app: string, opts: { signal?: AbortSignal } = {}): Promise<LiveSniEndpoint[]> {
  const { items } = await client.list<ApiSniEndpoint>(`/apps/${seg(app)}/sni-endpoints`, { ...opts, shape: 'sni-endpoint' });
  return items.map(toLiveSniEndpoint);
}

/** One endpoint with the ETag that guards its PATCH. */
export async function getSniEndpoint(
  client: HerokuClient,
  app: string,
  endpoint: string,
  opts: { signal?: AbortSignal } = {},
): Promise<{ endpoint: LiveSniEndpoint; etag?: string }> {
  const res = await client.get<ApiSniEndpoint>(`/apps/${seg(app)}/sni-endpoints/${seg(endpoint)}`, { ...opts, shape: 'sni-endpoint' });
  return { endpoint: toLiveSniEndpoint(res.body), ...(res.etag ? { etag: res.etag } : {}) };
}

/**
 * Uploads a certificate. The key is in the body only: an error the API
 * sends back is scrubbed of it before it travels up. After an ambiguous
 * failure the endpoints are listed: one holding this chain means the
 * upload landed (a second would be a duplicate endpoint).
 */
export async function createSniEndpoint(
  client: HerokuClient,
  app: string,
  chain: string,
  privateKey: string,
  opts: WriteOptions & { notIds?: ReadonlySet<string> } = {},
): Promise<LiveSniEndpoint> {
  const path = `/apps/${seg(app)}/sni-endpoints`;
  const fingerprint = certificateFingerprint(chain);
  try {
    const res = await client.request<ApiSniEndpoint>('POST', path, {
      body: { certificate_chain: chain, private_key: privateKey },
      shape: 'sni-endpoint',
      ...(opts.address !== undefined ? { address: opts.address } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      readBack: async () => {
        const got = await client.list<ApiSniEndpoint>(path, { signal: opts.signal, shape: 'sni-endpoint' });
        return got.items.find((e) => !opts.notIds?.has(e.id) && certificateFingerprint(e.certificate_chain) === fingerprint);
      },
    });
    return toLiveSniEndpoint(res.body);
  } catch (err) {
    throw scrubError(err, [privateKey]);
  }
}

/** A new chain and key on the same endpoint (its name, and the domains naming it, stay). */
export async function updateSniEndpoint(
  client: HerokuClient,
  app: string,
  endpointId: string,
  chain: string,
  privateKey: string,
  ifMatch?: string,
  opts: WriteOptions = {},
): Promise<LiveSniEndpoint> {
  const path = `/apps/${seg(app)}/sni-endpoints/${seg(endpointId)}`;
  const fingerprint = certificateFingerprint(chain);
  try {
    const res = await client.request<ApiSniEndpoint>('PATCH', path, {
      body: { certificate_chain: chain, private_key: privateKey },
      shape: 'sni-endpoint',
      ...(ifMatch !== undefined ? { ifMatch } : {}),
      ...opts,
      readBack: async () => {
        const got = await orUndefined(() => client.get<ApiSniEndpoint>(path, { signal: opts.signal, shape: 'sni-endpoint' }));
        return got && certificateFingerprint(got.body.certificate_chain) === fingerprint ? got.body : undefined;
      },
    });
    return toLiveSniEndpoint(res.body);
  } catch (err) {
    throw scrubError(err, [privateKey]);
  }
}

export async function deleteSniEndpoint(client: HerokuClient, app: string, endpointId: string, ifMatch?: string, opts: WriteOptions = {}): Promise<void> {
  await client.request<ApiSniEndpoint>('DELETE', `/apps/${seg(app)}/sni-endpoints/${seg(endpointId)}`, {
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...opts,
  });
}

/** The app's ACM setting (re-read before a switch: the route takes no If-Match). */
export async function getAcm(client: HerokuClient, app: string, opts: { signal?: AbortSignal } = {}): Promise<{ acm: boolean; etag?: string }> {
  const res = await client.get<ApiApp>(`/apps/${seg(app)}`, { ...opts, shape: 'app' });
  return { acm: res.body.acm === true, ...(res.etag ? { etag: res.etag } : {}) };
}

/** `heroku certs:auto:enable` (POST) / `certs:auto:disable` (DELETE); both answer the app. */
export async function setAcm(client: HerokuClient, app: string, enabled: boolean, opts: WriteOptions = {}): Promise<boolean> {
  const res = await client.request<ApiApp>(enabled ? 'POST' : 'DELETE', `/apps/${seg(app)}/acm`, {
    ...(enabled ? { body: {} } : {}),
    shape: 'app',
    ...opts,
    readBack: async () => {
      const got = await client.get<ApiApp>(`/apps/${seg(app)}`, { signal: opts.signal, shape: 'app' });
      return got.body.acm === enabled ? got.body : undefined;
    },
  });
  return res.body?.acm === true;
}
