import type { DesiredCertificate } from '../model/desired.js';
import type { LiveSniEndpoint } from '../model/live.js';
import type { Change, PlanValue } from '../model/plan.js';
import { formatAddress } from '../util/address.js';
import { certificateFingerprint, matchEndpoint } from '../util/certificates.js';
import { acmGuard, certificateGuard } from '../util/guard.js';
import { SENSITIVE } from '../util/mask.js';
import { guardReads, listGuard, makeChange, unmanagedNote, type AppScope, type ChangeSpec, type StagedChange } from './context.js';

/** What a plan shows of a certificate: public facts, the key only as "(sensitive)". */
function shown(c: { certDomains: readonly string[]; expiresAt?: string; fingerprint: string }, withKey: boolean): Record<string, string> {
  return {
    domains: c.certDomains.join(', '),
    ...(c.expiresAt ? { expires: c.expiresAt.slice(0, 10) } : {}),
    chain: c.fingerprint.slice(0, 23),
    ...(withKey ? { private_key: SENSITIVE } : {}),
  };
}

const liveShown = (l: LiveSniEndpoint) => ({ name: l.name, ...shown(l, false) });

function keyValue(scope: AppScope, c: DesiredCertificate): PlanValue | undefined {
  const pk = c.privateKey;
  if (!pk || pk.missingEnvRefs) return undefined;
  return { kind: 'secret', fingerprint: scope.fingerprint.sync(pk.value, true), envRefs: pk.envRefs ?? [] };
}

/**
 * SNI endpoints, by YAML key. Identity is state's endpoint id for the key;
 * without one, a live endpoint holding the same chain is adopted. A changed
 * chain (or, when state knows the last key's fingerprint, a changed key) is
 * one guarded PATCH on the same endpoint, so domains keep naming it. Owned
 * endpoints that leave the YAML are deleted after the domains naming them
 * have moved (see linkCertificates); others are reported, never touched.
 */
export function planCertificates(scope: AppScope): StagedChange[] {
  const { key: app, desired, live, inv } = scope;
  const out: StagedChange[] = [];
  const declared = desired.certificates;
  const owned = inv?.certificates ?? {};
  if (declared === undefined && Object.keys(owned).length === 0) return out;
  const liveEps = live?.sniEndpoints ?? [];
  const matched = new Set<string>();
  const push = (stage: StagedChange['stage'], address: string, spec: Omit<ChangeSpec, 'address' | 'app' | 'kind'>) =>
    out.push({ stage, change: makeChange({ address, app, kind: 'certificate', ...spec }) });

  for (const key of Object.keys(declared ?? {}).sort()) {
    const c = declared![key]!;
    const address = formatAddress(app, 'certificate', key);
    const loc = c.loc ? { loc: c.loc } : {};
    const privateKey = keyValue(scope, c);
    // Without its files (or its key) nothing can be compared or sent: the loader has reported why.
    if (c.chain === undefined || !privateKey) continue;
    const fingerprint = certificateFingerprint(c.chain);
    const want = { certDomains: c.certDomains ?? [], ...(c.expiresAt ? { expiresAt: c.expiresAt } : {}), fingerprint };
    const l = matchEndpoint(key, fingerprint, liveEps, owned);
    const o = owned[key];
    if (l) matched.add(l.id);
    if (!l) {
      push('leaves', address, {
        action: 'create',
        before: null,
        after: shown(want, true),
        requests: 1,
        op: { type: 'certificate.create', key, chain: c.chain, fingerprint, privateKey },
        ...(o ? { reason: 'was in state but no longer exists: deleted outside dynoform, so it will be uploaded again' } : {}),
        ...loc,
      });
      continue;
    }
    if (!o) {
      push('leaves', address, {
        action: 'adopt',
        reason: `endpoint ${l.name} already holds this certificate chain: dynoform takes ownership (no request)`,
        before: liveShown(l),
        after: { name: l.name, ...shown(want, true) },
        op: { type: 'certificate.adopt', key, endpointId: l.id, name: l.name, fingerprint, privateKey },
        ...loc,
      });
      continue;
    }
    const chainDiffers = l.fingerprint !== fingerprint;
    const keyDiffers = o.keyFingerprint !== undefined && scope.fingerprint.compare(c.privateKey!.value, true, o.keyFingerprint) === 'different';
    if (!chainDiffers && !keyDiffers) continue;
    const guard = listGuard(undefined, () => certificateGuard(l));
    push('leaves', address, {
      action: 'update',
      reason: chainDiffers ? `a new certificate on endpoint ${l.name} (its name, and the domains naming it, stay)` : `the private key changed: uploaded again to endpoint ${l.name}`,
      before: { name: l.name, ...shown(l, true) },
      after: { name: l.name, ...shown(want, true) },
      items: [
        ...(chainDiffers ? [{ key: 'certificate_chain', action: 'update' as const, before: l.fingerprint.slice(0, 23), after: fingerprint.slice(0, 23) }] : []),
        ...(keyDiffers || chainDiffers ? [{ key: 'private_key', action: 'update' as const, before: SENSITIVE, after: SENSITIVE }] : []),
      ],
      guard,
      requests: 1 + guardReads(guard),
      op: { type: 'certificate.update', key, endpointId: l.id, name: l.name, chain: c.chain, fingerprint, privateKey },
      ...loc,
    });
  }

  for (const key of Object.keys(owned).sort()) {
    if (declared?.[key] !== undefined) continue;
    const o = owned[key]!;
    const address = formatAddress(app, 'certificate', key);
    const l = liveEps.find((e) => e.id === o.id);
    if (live && l) matched.add(l.id);
    if (live && !l) {
      push('forget', address, {
        action: 'delete',
        reason: 'no longer declared and already deleted outside dynoform: only removed from state (no request)',
        before: { name: o.name },
        after: null,
        op: { type: 'state.forget' },
      });
      continue;
    }
    if (!l) continue;
    const guard = listGuard(undefined, () => certificateGuard(l));
    push('leaves', address, {
      action: 'delete',
      reason: 'removed from the YAML: domains still naming it lose their certificate',
      before: liveShown(l),
      after: null,
      guard,
      requests: 1 + guardReads(guard),
      op: { type: 'certificate.delete', key, endpointId: l.id, name: l.name },
    });
  }

  if (live && live.sniEndpoints) {
    const names = liveEps.filter((e) => !matched.has(e.id)).map((e) => e.name);
    unmanagedNote(scope, { code: 'certificate-unmanaged', noun: 'SNI endpoint', names, field: 'certificates', address: formatAddress(app) });
  }
  return out;
}

/** `acm: true|false`: one POST or DELETE, guarded by a re-read of the app (the route takes no If-Match). */
export function planAcm(scope: AppScope): StagedChange[] {
  const { key: app, desired, live, inv } = scope;
  if (desired.acm === undefined) {
    if (inv?.acm === undefined) return [];
    return [
      {
        stage: 'forget',
        change: makeChange({
          address: formatAddress(app, 'acm'),
          app,
          kind: 'acm',
          action: 'delete',
          reason: 'no longer declared: dynoform stops managing ACM and leaves it as it is (state only, no request)',
          before: { acm: inv.acm },
          after: null,
          op: { type: 'state.forget' },
        }),
      },
    ];
  }
  const want = desired.acm;
  // A new app starts with ACM off.
  const current = live ? live.acm === true : false;
  const send = current !== want;
  if (!send && inv?.acm === want) return [];
  const guard = send && live ? listGuard(undefined, () => acmGuard({ acm: current })) : {};
  const action = !live ? 'create' : inv?.acm === undefined ? 'adopt' : 'update';
  const loc = desired.fieldLocs?.acm;
  return [
    {
      stage: 'leaves',
      change: makeChange({
        address: formatAddress(app, 'acm'),
        app,
        kind: 'acm',
        action,
        ...(action === 'adopt' ? { reason: send ? `not in state: dynoform takes ownership and turns ACM ${want ? 'on' : 'off'}` : `ACM is already ${want ? 'on' : 'off'}: dynoform takes ownership (no request)` } : {}),
        before: live ? { acm: current } : null,
        after: { acm: want },
        items: send ? [{ key: 'acm', action: 'update', before: live ? current : null, after: want }] : [],
        guard,
        requests: send ? 1 + guardReads(guard) : 0,
        op: { type: 'acm.set', enabled: want, send },
        ...(loc ? { loc } : {}),
      }),
    },
  ];
}

/**
 * Certificates before the domains that name them, deletions after the
 * domains that move off them: edges added to one app's wired changes.
 */
export function linkCertificates(changes: Change[]): void {
  const certs = new Map<string, Change>();
  for (const c of changes) if (c.kind === 'certificate' && c.op.type !== 'none' && c.op.type !== 'state.forget' && 'key' in c.op) certs.set(c.op.key, c);
  if (certs.size === 0) return;
  const add = (c: Change, id: string) => {
    if (!c.dependsOn.includes(id)) c.dependsOn.push(id);
  };
  for (const c of changes) {
    if (c.kind !== 'domain') continue;
    const op = c.op;
    const named = op.type === 'domain.create' || op.type === 'domain.update' || op.type === 'domain.adopt' ? op.certificate : undefined;
    const cert = named !== undefined ? certs.get(named) : undefined;
    if (cert && cert.op.type !== 'certificate.delete') add(c, cert.id);
    const from = (c.before as { sni_endpoint?: unknown } | null)?.sni_endpoint;
    for (const del of certs.values()) {
      if (del.op.type === 'certificate.delete' && from === del.op.name && c.op.type !== 'none') add(del, c.id);
    }
  }
}
