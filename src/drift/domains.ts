import { domainEndpoint } from '../util/certificates.js';
import { appLoc, type AppScope } from './context.js';

/**
 * Custom domains (the app's own `*.herokuapp.com` domain is never reported).
 * State keeps no certificate, so a certificate that differs from the
 * declaration is reported as pending: apply will set it.
 */
export function classifyDomains(scope: AppScope): void {
  const { desired: d, owned: inv, live: l } = scope;
  if (!d || !l) return;
  const fieldLoc = d.fieldLocs?.['domains'] ?? appLoc(scope);
  const custom = l.domains.filter((x) => x.kind === 'custom');
  const owned = inv?.domains ?? {};
  const declared = new Map(d.domains.map((x) => [x.hostname.toLowerCase(), x]));

  for (const [hostname, io] of Object.entries(owned)) {
    const dd = declared.get(hostname.toLowerCase());
    const loc = dd?.loc ?? fieldLoc;
    const ld = custom.find((x) => x.id === io.id) ?? custom.find((x) => x.hostname.toLowerCase() === hostname.toLowerCase());
    if (!ld) {
      scope.add({ class: 'missing', kind: 'domain', key: hostname, message: `domain ${hostname} was deleted outside dynoform`, loc, before: hostname, after: null });
    }
    if (!dd) {
      scope.add({
        class: 'pending',
        kind: 'domain',
        key: hostname,
        message: `domain ${hostname} was removed from the YAML and not applied: apply will delete it`,
        loc: fieldLoc,
        before: hostname,
        after: null,
      });
    }
  }

  for (const dd of d.domains) {
    const hostname = dd.hostname.toLowerCase();
    const loc = dd.loc ?? fieldLoc;
    const ld = custom.find((x) => x.hostname.toLowerCase() === hostname);
    if (!ld) {
      if (!owned[hostname]) {
        scope.add({ class: 'pending', kind: 'domain', key: hostname, message: `domain ${hostname} is declared but not added yet`, loc, before: null, after: hostname });
      }
      continue;
    }
    const want = typeof dd.sniEndpoint === 'string' ? domainEndpoint(dd.sniEndpoint, d.certificates, l.sniEndpoints ?? [], inv?.certificates ?? {}) : undefined;
    const wantName = want ? (want.name ?? `${dd.sniEndpoint} (not uploaded yet)`) : dd.sniEndpoint;
    if (wantName !== undefined && wantName !== ld.sniEndpoint) {
      scope.add({
        class: 'pending',
        kind: 'domain',
        key: hostname,
        field: 'sni_endpoint',
        message: `domain ${hostname} has another certificate (sni_endpoint) than the YAML says`,
        loc,
        before: ld.sniEndpoint,
        after: wantName,
      });
    }
  }

  const ownedIds = new Set(Object.values(owned).map((o) => o.id));
  for (const ld of custom) {
    const hostname = ld.hostname.toLowerCase();
    if (ownedIds.has(ld.id) || owned[hostname] || declared.has(hostname)) continue;
    scope.add({ class: 'unmanaged', kind: 'domain', key: hostname, message: `domain ${hostname} is not declared`, loc: appLoc(scope), before: null, after: hostname });
  }
}
