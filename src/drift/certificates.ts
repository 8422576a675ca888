import { certificateFingerprint, matchEndpoint } from '../util/certificates.js';
import { appLoc, type AppScope } from './context.js';

const short = (fp: string | undefined): string | null => (fp === undefined ? null : fp.slice(0, 23));

/**
 * SNI endpoints against what dynoform last uploaded (state keeps each
 * endpoint's id and chain fingerprint): one replaced or deleted by hand is
 * changed outside; a YAML change not applied yet is pending. Endpoints
 * dynoform does not own are reported as unmanaged only when the app
 * declares certificates.
 */
export function classifyCertificates(scope: AppScope): void {
  const { desired: d, owned: inv, live: l } = scope;
  if (!d || !l) return;
  const declared = d.certificates ?? {};
  const owned = inv?.certificates ?? {};
  const liveEps = l.sniEndpoints ?? [];
  if (l.sniEndpoints === undefined) return;
  const fieldLoc = d.fieldLocs?.['certificates'] ?? appLoc(scope);
  const seen = new Set<string>();
  for (const key of [...new Set([...Object.keys(declared), ...Object.keys(owned)])].sort()) {
    const dc = declared[key];
    const o = owned[key];
    const loc = dc?.fieldLocs?.certificate_chain ?? dc?.loc ?? fieldLoc;
    const want = dc?.chain !== undefined ? certificateFingerprint(dc.chain) : undefined;
    const le = matchEndpoint(key, want, liveEps, owned);
    if (le) seen.add(le.id);
    if (o && !le) {
      scope.add({ class: 'missing', kind: 'certificate', key, message: `certificate ${key} (endpoint ${o.name}) was deleted outside dynoform`, loc, before: o.name, after: null });
      continue;
    }
    if (o && le && le.fingerprint !== o.fingerprint) {
      scope.add({
        class: 'changed-outside',
        kind: 'certificate',
        key,
        field: 'certificate_chain',
        message: `certificate ${key}: endpoint ${le.name} holds another certificate (${le.certDomains.join(', ') || 'no names'}) than dynoform uploaded`,
        loc,
        before: short(o.fingerprint),
        after: short(le.fingerprint),
      });
      continue;
    }
    if (!dc) {
      scope.add({ class: 'pending', kind: 'certificate', key, message: `certificate ${key} was removed from the YAML and not applied: apply will delete endpoint ${o!.name}`, loc: fieldLoc, before: o!.name, after: null });
      continue;
    }
    if (want === undefined) continue;
    if (!o) {
      scope.add({
        class: 'pending',
        kind: 'certificate',
        key,
        message: le ? `certificate ${key} is not in state: apply will adopt endpoint ${le.name}, which holds it` : `certificate ${key} is declared but not uploaded yet`,
        loc,
        before: null,
        after: short(want),
      });
    } else if (want !== o.fingerprint) {
      scope.add({ class: 'pending', kind: 'certificate', key, field: 'certificate_chain', message: `certificate ${key} has a new chain in the YAML, not uploaded yet`, loc, before: short(o.fingerprint), after: short(want) });
    }
  }
  if (d.certificates === undefined) return;
  for (const le of liveEps) {
    if (seen.has(le.id)) continue;
    scope.add({ class: 'unmanaged', kind: 'certificate', key: le.name, message: `SNI endpoint ${le.name} (${le.certDomains.join(', ') || 'no names'}) is not declared`, loc: fieldLoc, before: null, after: le.name });
  }
}

/** `acm:` against what dynoform last set. */
export function classifyAcm(scope: AppScope): void {
  const { desired: d, owned: inv, live: l } = scope;
  if (!d || !l || d.acm === undefined) return;
  const loc = d.fieldLocs?.['acm'] ?? appLoc(scope);
  const now = l.acm === true;
  if (inv?.acm !== undefined && now !== inv.acm) {
    scope.add({ class: 'changed-outside', kind: 'acm', field: 'acm', message: `ACM was turned ${now ? 'on' : 'off'} outside dynoform`, loc, before: inv.acm, after: now });
    return;
  }
  const base = inv?.acm ?? now;
  if (d.acm !== base) scope.add({ class: 'pending', kind: 'acm', field: 'acm', message: `ACM is declared ${d.acm ? 'on' : 'off'} and not applied yet`, loc, before: base, after: d.acm });
}
