import type { Platform } from '../../platform.js';
import type { AppRecord } from '../../store/records.js';
import { domainsOf } from '../domains/rules.js';

/**
 * Automated Certificate Management: the app's `acm` flag, and on its custom
 * domains an `acm_status` that goes `pending` → `cert issued` a provisioning
 * delay later (as Let's Encrypt validation does), and back to null when off.
 */
export function setAcm(p: Platform, app: AppRecord, on: boolean): AppRecord {
  if (app.acm === on) return app;
  const now = p.now();
  const next: AppRecord = { ...app, acm: on, updatedAt: now };
  p.store.putApp(next);
  for (const d of domainsOf(p, next)) {
    if (d.kind !== 'custom') continue;
    p.store.domains.set(d.id, { ...d, acmStatus: on ? 'pending' : null, acmStatusReason: null, updatedAt: now });
  }
  if (on) issueLater(p, next.id);
  p.changed();
  return next;
}

/** `PATCH /apps/{app}/acm`: retries issuing for domains still waiting. */
export function refreshAcm(p: Platform, app: AppRecord): AppRecord {
  if (app.acm) issueLater(p, app.id);
  return app;
}

function issueLater(p: Platform, appId: string): void {
  p.later(() => {
    const app = p.store.apps.get(appId);
    if (!app?.acm) return;
    for (const d of domainsOf(p, app)) {
      if (d.kind === 'custom' && d.acmStatus === 'pending') p.store.domains.set(d.id, { ...d, acmStatus: 'cert issued', updatedAt: p.now() });
    }
    p.changed();
  });
}
