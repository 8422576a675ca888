import { notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AccountRecord, AppRecord, ReleaseRecord } from '../../store/records.js';
import { attachmentKeys, attachmentsOf } from '../addon-attachments/rules.js';
import { isUuid, planById, planName } from '../catalogue/data.js';
import { syncFormation } from '../formation/rules.js';
import { releasableSlug } from '../slugs/rules.js';

export function releasesOf(p: Platform, app: AppRecord): ReleaseRecord[] {
  return [...p.store.releases.values()].filter((r) => r.appId === app.id);
}

export function findRelease(p: Platform, app: AppRecord, key: string): ReleaseRecord {
  const found = isUuid(key)
    ? p.store.releases.get(key.toLowerCase())
    : /^v?\d+$/.test(key)
      ? releasesOf(p, app).find((r) => r.version === Number(key.replace(/^v/, '')))
      : undefined;
  if (!found || found.appId !== app.id) throw notFound("Couldn't find that release.", 'release');
  return found;
}

/** Every change to what an app runs (config, add-ons, slug) cuts one of these. */
export function cutRelease(p: Platform, account: AccountRecord, app: AppRecord, description: string): ReleaseRecord {
  const now = p.now();
  const plans = new Set<string>();
  for (const att of attachmentsOf(p, app)) {
    const addon = p.store.addons.get(att.addonId);
    if (addon) plans.add(planName(planById(addon.planId)));
  }
  app.version += 1;
  const release: ReleaseRecord = {
    id: p.uuid(),
    appId: app.id,
    version: app.version,
    description,
    slugId: app.slugId,
    config: { ...app.config },
    addonPlanNames: [...plans].sort(),
    userId: account.id,
    userEmail: account.email,
    status: 'succeeded',
    createdAt: now,
    updatedAt: now,
  };
  p.store.releases.set(release.id, release);
  app.releasedAt = now;
  app.updatedAt = now;
  // The app changed in place (version, and whatever the caller set before
  // cutting this release); putting it back tells persistence.
  p.store.putApp(app);
  p.changed();
  return release;
}

/** `POST /apps/{app}/releases {slug}`: releases the slug; its process types become the formation. */
export function deploy(p: Platform, account: AccountRecord, app: AppRecord, slugKey: string, description?: string): ReleaseRecord {
  const slug = releasableSlug(p, account, app, slugKey);
  app.slugId = slug.id;
  // The app runs on the stack its slug was built for (a slug of another stack moves it).
  app.stackId = slug.stackId;
  syncFormation(p, app, slug.processTypes);
  return cutRelease(p, account, app, description ?? `Deploy ${slug.commit ? slug.commit.slice(0, 8) : slug.id.slice(0, 8)}`);
}

/** `POST /apps/{app}/releases {release}`: a new release with that release's slug and config. */
export function rollback(p: Platform, account: AccountRecord, app: AppRecord, releaseKey: string): ReleaseRecord {
  const target = findRelease(p, app, releaseKey);
  const owned = attachmentKeys(p, app);
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(target.config)) if (!owned.has(k)) config[k] = v;
  for (const k of owned) if (app.config[k] !== undefined) config[k] = app.config[k];
  app.config = config;
  if (target.slugId !== app.slugId) {
    app.slugId = target.slugId;
    const slug = target.slugId ? p.store.slugs.get(target.slugId) : undefined;
    if (slug) app.stackId = slug.stackId;
    syncFormation(p, app, slug?.processTypes ?? {});
  }
  return cutRelease(p, account, app, `Rollback to v${target.version}`);
}
