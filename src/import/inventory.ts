import type { InventoryApp } from '../model/inventory.js';
import type { Fingerprinter, FingerprintInput } from '../util/fingerprint.js';
import type { ImportPlan, ImportedApp } from './build.js';

/** Values whose fingerprints the state entries need; the caller prepares them (secrets take ~10 ms each). */
export function importFingerprintInputs(plan: ImportPlan): FingerprintInput[] {
  const out: FingerprintInput[] = [];
  for (const app of plan.apps) {
    for (const c of app.config) out.push({ value: c.value, secret: c.envName !== undefined });
    for (const d of app.drains) out.push({ value: d.url, secret: d.envName !== undefined });
  }
  return out;
}

/**
 * Pure: the ownership record of an imported app, as apply would have
 * written it had it adopted the app from this YAML: every declared object
 * owned, with the fingerprint of its live value — so the first plan sees
 * nothing to do. Values that the YAML refers to through `${env:…}` are
 * fingerprinted as secrets, the same scheme apply uses for them.
 */
export function inventoryForImport(app: ImportedApp, fp: Pick<Fingerprinter, 'sync'>): InventoryApp {
  return {
    key: app.key,
    id: app.live.id,
    name: app.live.name,
    protect: true,
    created: false,
    region: app.region,
    stack: app.stack,
    maintenance: app.maintenance,
    config: Object.fromEntries(
      app.config.map((c) => {
        const secret = c.envName !== undefined;
        return [c.key, { fingerprint: fp.sync(c.value, secret), secret }];
      }),
    ),
    addons: Object.fromEntries(app.addons.map((a) => [a.key, { id: a.id, name: a.name, plan: a.plan, attachment: a.as }])),
    domains: Object.fromEntries(app.domains.map((d) => [d.hostname, { id: d.id, hostname: d.hostname }])),
    drains: Object.fromEntries(
      app.drains.map((d) => [d.id, { id: d.id, urlFingerprint: fp.sync(d.url, d.envName !== undefined), maskedUrl: d.maskedUrl }]),
    ),
    formation: Object.fromEntries(app.formation.map((f) => [f.type, { quantity: f.quantity, size: f.size }])),
    ...(app.buildpacks ? { buildpacks: [...app.buildpacks] } : {}),
    ...(app.features.length + (app.disabledFeatures?.length ?? 0) > 0
      ? {
          features: Object.fromEntries([
            ...app.features.map((f) => [f, { enabled: true }] as const),
            ...(app.disabledFeatures ?? []).map((f) => [f, { enabled: false }] as const),
          ]),
        }
      : {}),
    ...(app.certificates && app.certificates.length > 0
      ? { certificates: Object.fromEntries(app.certificates.map((c) => [c.key, { id: c.id, name: c.key, fingerprint: c.fingerprint }])) }
      : {}),
    ...(app.acm ? { acm: true } : {}),
    ...(app.team !== undefined ? { team: app.team, ...(app.locked !== undefined ? { locked: app.locked } : {}) } : {}),
    ...((app.collaborators ?? []).length > 0
      ? { collaborators: Object.fromEntries(app.collaborators!.map((c) => [c.email, { id: c.id, ...(c.permissions ? { permissions: [...c.permissions].sort() } : {}) }])) }
      : {}),
    ...((app.webhooks ?? []).length > 0
      ? { webhooks: Object.fromEntries(app.webhooks!.map((w) => [w.url, { id: w.id, include: [...w.include].sort(), level: w.level, updatedAt: w.updatedAt }])) }
      : {}),
    ...((app.attachments ?? []).length > 0
      ? { attachments: Object.fromEntries(app.attachments!.map((a) => [a.name, { id: a.id, addonId: a.addonId, app: a.app, addon: a.addon }])) }
      : {}),
  };
}
