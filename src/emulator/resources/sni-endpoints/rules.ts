import { createHash } from 'node:crypto';
import { notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AppRecord, SniEndpointRecord } from '../../store/records.js';
import { isUuid } from '../catalogue/data.js';
import { checkPair, parseChain, parseKey, summarize } from './pem.js';

export function endpointsOf(p: Platform, app: AppRecord): SniEndpointRecord[] {
  return [...p.store.sniEndpoints.values()].filter((e) => e.appId === app.id);
}

/** By id or name, on this app only (an endpoint of another app is not found, as on Heroku). */
export function findEndpoint(p: Platform, app: AppRecord, key: string): SniEndpointRecord {
  const found = isUuid(key) ? p.store.sniEndpoints.get(key.toLowerCase()) : endpointsOf(p, app).find((e) => e.name === key);
  if (!found || found.appId !== app.id) throw notFound("Couldn't find that SNI endpoint.", 'sni_endpoint');
  return found;
}

/**
 * The certificate and key as sent, checked as Heroku checks them: a chain of
 * real certificates, a key that belongs to the first, not expired. The key
 * itself is not kept (the API never returns it): only a digest of it.
 */
function checked(p: Platform, chainPem: string, keyPem: string): Pick<SniEndpointRecord, 'certificateChain' | 'keyDigest' | 'certId'> {
  const chain = parseChain(chainPem);
  checkPair(chain, parseKey(keyPem), new Date(p.now()));
  return { certificateChain: chainPem, keyDigest: createHash('sha256').update(keyPem).digest('hex'), certId: p.uuid() };
}

export function createEndpoint(p: Platform, app: AppRecord, chainPem: string, keyPem: string): SniEndpointRecord {
  const cert = checked(p, chainPem, keyPem);
  const now = p.now();
  const taken = (name: string) => [...p.store.sniEndpoints.values()].some((e) => e.name === name);
  const rec: SniEndpointRecord = { id: p.uuid(), appId: app.id, name: p.names.app(taken).slice(0, 30).replace(/-+$/, ''), ...cert, createdAt: now, updatedAt: now };
  p.store.sniEndpoints.set(rec.id, rec);
  p.changed();
  return rec;
}

/** A new certificate on the same endpoint: its name, and the domains that point at it, stay. */
export function updateEndpoint(p: Platform, endpoint: SniEndpointRecord, chainPem: string, keyPem: string): SniEndpointRecord {
  const next: SniEndpointRecord = { ...endpoint, ...checked(p, chainPem, keyPem), updatedAt: p.now() };
  p.store.sniEndpoints.set(next.id, next);
  p.changed();
  return next;
}

/** Domains that served this certificate serve none afterwards. */
export function deleteEndpoint(p: Platform, endpoint: SniEndpointRecord): SniEndpointRecord {
  for (const d of p.store.domains.values()) {
    if (d.sniEndpointId === endpoint.id) p.store.domains.set(d.id, { ...d, sniEndpointId: null, updatedAt: p.now() });
  }
  p.store.sniEndpoints.delete(endpoint.id);
  p.changed();
  return endpoint;
}

export const summaryOf = (e: SniEndpointRecord) => summarize(parseChain(e.certificateChain));
