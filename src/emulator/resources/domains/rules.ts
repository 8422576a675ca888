import { invalidParams, notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AppRecord, DomainRecord } from '../../store/records.js';
import { isUuid } from '../catalogue/data.js';
import { endpointsOf } from '../sni-endpoints/rules.js';

const HOSTNAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

export function domainsOf(p: Platform, app: AppRecord): DomainRecord[] {
  return [...p.store.domains.values()].filter((d) => d.appId === app.id);
}

export function findDomain(p: Platform, app: AppRecord, key: string): DomainRecord {
  const k = key.toLowerCase();
  const found = isUuid(k) ? p.store.domains.get(k) : domainsOf(p, app).find((d) => d.hostname === k);
  if (!found || found.appId !== app.id) throw notFound("Couldn't find that domain.", 'domain');
  return found;
}

export function addDomainRecord(p: Platform, app: AppRecord, hostname: string, kind: 'heroku' | 'custom'): DomainRecord {
  const now = p.now();
  const d: DomainRecord = {
    id: p.uuid(),
    appId: app.id,
    hostname,
    kind,
    cname: kind === 'custom' ? p.names.cname() : null,
    status: kind === 'custom' ? 'pending' : 'none',
    sniEndpointId: null,
    acmStatus: null,
    acmStatusReason: null,
    createdAt: now,
    updatedAt: now,
  };
  p.store.domains.set(d.id, d);
  return d;
}

/** A custom domain is `pending` until its DNS target "verifies", a provisioning delay later. */
function verifyLater(p: Platform, id: string): void {
  p.later(() => {
    const cur = p.store.domains.get(id);
    if (cur?.status === 'pending') {
      // With ACM on, the certificate comes with the verified DNS target.
      const acmStatus = cur.acmStatus === 'pending' ? 'cert issued' : cur.acmStatus;
      p.store.domains.set(id, { ...cur, status: 'succeeded', acmStatus, updatedAt: p.now() });
      p.changed();
    }
  });
}

export function createDomain(p: Platform, app: AppRecord, hostnameIn: string, sniEndpoint: string | null): DomainRecord {
  const hostname = hostnameIn.trim().toLowerCase().replace(/\.$/, '');
  if (hostname.length > 253 || !HOSTNAME.test(hostname)) throw invalidParams(`Invalid params: hostname ${JSON.stringify(hostnameIn)} is not a valid domain name.`);
  if (hostname.endsWith('.herokuapp.com')) throw invalidParams(`Invalid params: ${hostname} is a herokuapp.com domain and cannot be added.`);
  const sniEndpointId = endpointIdFor(p, app, sniEndpoint);
  const existing = [...p.store.domains.values()].find((d) => d.hostname === hostname);
  if (existing) {
    throw invalidParams(existing.appId === app.id ? `Domain ${hostname} has already been added to this app.` : `${hostname} is currently in use by another app.`);
  }
  const added = addDomainRecord(p, app, hostname, 'custom');
  const d: DomainRecord = { ...added, sniEndpointId, ...(app.acm ? { acmStatus: 'pending' } : {}) };
  p.store.domains.set(d.id, d);
  verifyLater(p, d.id);
  p.changed();
  return d;
}

/** A domain names its endpoint by id or name; only an endpoint of the same app will do. */
function endpointIdFor(p: Platform, app: AppRecord, sniEndpoint: string | null): string | null {
  if (sniEndpoint === null) return null;
  const found = endpointsOf(p, app).find((e) => e.id === sniEndpoint.toLowerCase() || e.name === sniEndpoint);
  if (!found) throw invalidParams(`Couldn't find that SNI endpoint: ${sniEndpoint}.`);
  return found.id;
}

export function updateDomain(p: Platform, app: AppRecord, domain: DomainRecord, sniEndpoint: string | null): DomainRecord {
  const sniEndpointId = endpointIdFor(p, app, sniEndpoint);
  if (sniEndpointId === domain.sniEndpointId) return domain;
  const next: DomainRecord = { ...domain, sniEndpointId, updatedAt: p.now() };
  p.store.domains.set(next.id, next);
  p.changed();
  return next;
}

export function deleteDomain(p: Platform, domain: DomainRecord): DomainRecord {
  if (domain.kind === 'heroku') throw invalidParams(`${domain.hostname} is the app's default domain and cannot be removed.`);
  p.store.domains.delete(domain.id);
  p.changed();
  return domain;
}

/** After loading a data file: domains that were pending when it was saved verify. */
export function resumeVerification(p: Platform): void {
  for (const d of p.store.domains.values()) if (d.status === 'pending') verifyLater(p, d.id);
}
