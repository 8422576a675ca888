import type { LiveReviewApps } from '../model/live.js';
import { createHash } from 'node:crypto';

/**
 * Guards for objects the plan read from a list, where the API gave no
 * per-object ETag: the planner records a fingerprint of the fields it based
 * the change on, and apply re-reads the object and compares before writing
 * with the fresh ETag as If-Match. Planner and apply must use these same
 * functions, so they live here rather than in either module.
 */
function digest(fields: Record<string, string | number | boolean | null>): string {
  const canonical = JSON.stringify(Object.keys(fields).sort().map((k) => [k, fields[k]]));
  return 'g1:' + createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

export function appGuard(a: { id: string; name: string; maintenance: boolean; buildStack: string }): string {
  return digest({ id: a.id, name: a.name, maintenance: a.maintenance, buildStack: a.buildStack });
}

export function addonGuard(a: { id: string; plan: string }): string {
  return digest({ id: a.id, plan: a.plan });
}

export function domainGuard(d: { id: string; hostname: string; sniEndpoint: string | null }): string {
  return digest({ id: d.id, hostname: d.hostname, sniEndpoint: d.sniEndpoint });
}

/** Drains cannot be updated, only deleted: the same id means the same drain (the URL may hold credentials, so it is left out). */
export function drainGuard(d: { id: string }): string {
  return digest({ id: d.id });
}

/** The whole buildpack list, in order (it is written whole). */
export function buildpacksGuard(b: { urls: readonly string[] }): string {
  return digest({ urls: JSON.stringify(b.urls) });
}

export function featureGuard(f: { id: string; name: string; enabled: boolean }): string {
  return digest({ id: f.id, name: f.name, enabled: f.enabled });
}

export function pipelineGuard(p: { id: string; name: string; owner: { id: string; type: string } | null }): string {
  return digest({ id: p.id, name: p.name, owner: p.owner ? `${p.owner.type}:${p.owner.id}` : null });
}

export function couplingGuard(c: { id: string; pipelineId: string; stage: string }): string {
  return digest({ id: c.id, pipelineId: c.pipelineId, stage: c.stage });
}

/** Who owns the app: a transfer is guarded by the app's id, name and team. */
export function teamGuard(a: { id: string; name: string; team?: string }): string {
  return digest({ id: a.id, name: a.name, team: a.team ?? null });
}

export function collaboratorGuard(c: { id: string; email: string; permissions: readonly string[] }): string {
  return digest({ id: c.id, email: c.email, permissions: [...c.permissions].sort().join(',') });
}

/** The scale of every process type of an app, for a formation batch read without an ETag. */
export function formationGuard(items: ReadonlyArray<{ type: string; quantity: number; size: string }>): string {
  const canonical = JSON.stringify(items.map((f) => [f.type, f.quantity, f.size.toLowerCase()]).sort());
  return 'g1:' + createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

/** `updated_at` is in: it is the only trace of an outside write to the secret or authorization. */
export function webhookGuard(w: { id: string; url: string; include: readonly string[]; level: string; updatedAt: string }): string {
  return digest({ id: w.id, url: w.url, include: [...w.include].sort().join(','), level: w.level, updatedAt: w.updatedAt });
}

export function attachmentGuard(a: { id: string; name: string; appId: string; addonId: string }): string {
  return digest({ id: a.id, name: a.name, appId: a.appId, addonId: a.addonId });
}

/** A pipeline's review-app settings as read, for a write when the read gave no ETag. */
export function reviewAppsGuard(r: Omit<LiveReviewApps, 'etag'>): string {
  return digest({
    repoId: r.repoId,
    automatic: r.automaticReviewApps,
    destroy: r.destroyStaleApps,
    staleDays: r.staleDays,
    waitForCi: r.waitForCi,
    baseName: r.baseName,
    deployTarget: r.deployTarget ? `${r.deployTarget.type}:${r.deployTarget.id}` : null,
  });
}

/** An SNI endpoint: the same id holding the same chain. */
export function certificateGuard(e: { id: string; fingerprint: string }): string {
  return digest({ id: e.id, fingerprint: e.fingerprint });
}

export function acmGuard(a: { acm: boolean }): string {
  return digest({ acm: a.acm });
}

export function memberGuard(m: { id: string; email: string; role: string | null }): string {
  return digest({ id: m.id, email: m.email.toLowerCase(), role: m.role });
}
