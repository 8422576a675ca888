import type { LiveDomain } from '../model/live.js';
import type { ChangeItem } from '../model/plan.js';
import { formatAddress } from '../util/address.js';
import { domainEndpoint } from '../util/certificates.js';
import { domainGuard } from '../util/guard.js';
import { guardReads, listGuard, makeChange, unmanagedNote, type AppScope, type StagedChange } from './context.js';

function snapshot(hostname: string, sni: string | null): Record<string, string | null> {
  return { hostname, sni_endpoint: sni };
}

/**
 * Custom domains by hostname (Heroku's own `*.herokuapp.com` domain is not
 * ours to manage). Deleting a domain loses no data, so owned domains
 * removed from the YAML are deleted without further consent.
 */
export function planDomains(scope: AppScope): StagedChange[] {
  const { key: app, desired, live, inv } = scope;
  const out: StagedChange[] = [];
  const liveCustom = (live?.domains ?? []).filter((d) => d.kind === 'custom');
  const byHost = new Map(liveCustom.map((d) => [d.hostname.toLowerCase(), d]));
  const owned = inv?.domains ?? {};
  const declared = new Set<string>();

  const endpoints = live?.sniEndpoints ?? [];
  const certs = inv?.certificates ?? {};
  /** The endpoint name a declaration means, and the certificate key when it names one of this app's certificates. */
  const resolve = (ref: string | null | undefined): { want: string | null | undefined; certificate?: string; pending?: boolean } => {
    if (typeof ref !== 'string') return { want: ref };
    const r = domainEndpoint(ref, desired.certificates, endpoints, certs);
    if (r.certificate === undefined) return { want: r.name ?? ref };
    return r.name !== undefined ? { want: r.name, certificate: r.certificate } : { want: ref, certificate: r.certificate, pending: true };
  };
  for (const d of [...desired.domains].sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0))) {
    if (declared.has(d.hostname)) continue;
    declared.add(d.hostname);
    const address = formatAddress(app, 'domain', d.hostname);
    const l = byHost.get(d.hostname);
    const loc = d.loc ? { loc: d.loc } : {};
    const r = resolve(d.sniEndpoint);
    const cert = r.certificate !== undefined ? { certificate: r.certificate } : {};
    if (!l) {
      const sni = r.want ?? null;
      out.push({
        stage: 'leaves',
        change: makeChange({
          address,
          app,
          kind: 'domain',
          action: 'create',
          before: null,
          after: snapshot(d.hostname, r.pending ? `${sni} (new certificate)` : sni),
          requests: 1,
          op: { type: 'domain.create', hostname: d.hostname, sniEndpoint: sni, ...cert },
          ...(owned[d.hostname] ? { reason: 'was in state but no longer exists: deleted outside dynoform, so it will be added again' } : {}),
          ...loc,
        }),
      });
      continue;
    }
    const isOwned = owned[d.hostname]?.id === l.id;
    const sniDiffers = r.want !== undefined && (r.pending === true || r.want !== l.sniEndpoint);
    const shownWant = r.pending ? `${r.want} (new certificate)` : (r.want ?? null);
    const items: ChangeItem[] = sniDiffers ? [{ key: 'sni_endpoint', action: 'update', before: l.sniEndpoint, after: shownWant }] : [];
    const guard = sniDiffers ? listGuard(l.etag, () => domainGuard(l)) : {};
    const before = snapshot(l.hostname, l.sniEndpoint);
    const after = snapshot(l.hostname, sniDiffers ? shownWant : l.sniEndpoint);
    if (isOwned && !sniDiffers) continue;
    out.push({
      stage: 'leaves',
      change: makeChange({
        address,
        app,
        kind: 'domain',
        action: isOwned ? 'update' : 'adopt',
        before,
        after,
        items,
        guard,
        requests: sniDiffers ? 1 + guardReads(guard) : 0,
        op: isOwned
          ? { type: 'domain.update', domainId: l.id, hostname: l.hostname, sniEndpoint: r.want ?? null, ...cert }
          : { type: 'domain.adopt', domainId: l.id, hostname: l.hostname, ...(sniDiffers ? { sniEndpoint: r.want ?? null, ...cert } : {}) },
        ...(isOwned ? {} : { reason: `exists but is not in state: dynoform takes ownership${sniDiffers ? ' and updates its certificate' : ''}` }),
        ...loc,
      }),
    });
  }

  for (const host of Object.keys(owned).sort()) {
    if (declared.has(host)) continue;
    const o = owned[host]!;
    const address = formatAddress(app, 'domain', host);
    const l: LiveDomain | undefined = byHost.get(host);
    if (!l || l.id !== o.id) {
      out.push({
        stage: 'forget',
        change: makeChange({
          address,
          app,
          kind: 'domain',
          action: 'delete',
          reason: 'no longer declared and already deleted outside dynoform: only removed from state (no request)',
          before: { hostname: host },
          after: null,
          op: { type: 'state.forget' },
        }),
      });
      continue;
    }
    const guard = listGuard(l.etag, () => domainGuard(l));
    out.push({
      stage: 'leaves',
      change: makeChange({
        address,
        app,
        kind: 'domain',
        action: 'delete',
        reason: 'removed from the YAML',
        before: snapshot(l.hostname, l.sniEndpoint),
        after: null,
        guard,
        requests: 1 + guardReads(guard),
        op: { type: 'domain.delete', domainId: l.id, hostname: l.hostname },
      }),
    });
  }

  const unmanaged = liveCustom
    .filter((l) => !declared.has(l.hostname.toLowerCase()) && owned[l.hostname.toLowerCase()]?.id !== l.id)
    .map((l) => l.hostname)
    .sort();
  if (live) unmanagedNote(scope, { code: 'domain-unmanaged', noun: 'custom domain', names: unmanaged, field: 'domains', address: formatAddress(app) });
  return out;
}
