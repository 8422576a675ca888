import { invalidParams, notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AddonRecord, AppRecord, DrainRecord } from '../../store/records.js';
import { isUuid } from '../catalogue/data.js';

export function drainsOf(p: Platform, app: AppRecord): DrainRecord[] {
  return [...p.store.drains.values()].filter((d) => d.appId === app.id);
}

/** By id, URL or token (`d.<uuid>`). */
export function findDrain(p: Platform, app: AppRecord, key: string): DrainRecord {
  const drains = drainsOf(p, app);
  const found = isUuid(key)
    ? drains.find((d) => d.id === key.toLowerCase())
    : (drains.find((d) => d.token === key) ?? drains.find((d) => d.url === key));
  if (!found) throw notFound("Couldn't find that log drain.", 'log_drain');
  return found;
}

export function createDrain(p: Platform, app: AppRecord, url: string): DrainRecord {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Never echo the URL: drain URLs often carry credentials.
    throw invalidParams('Invalid params: url is not a valid URL.');
  }
  if (!['syslog:', 'syslog+tls:', 'http:', 'https:'].includes(parsed.protocol) || parsed.hostname === '') {
    throw invalidParams('Invalid params: url must be a syslog://, syslog+tls://, http:// or https:// URL with a host.');
  }
  if (drainsOf(p, app).some((d) => d.url === url)) throw invalidParams('Url has already been taken');
  return addDrainRecord(p, app, url, null);
}

function addDrainRecord(p: Platform, app: AppRecord, url: string, addonId: string | null): DrainRecord {
  const now = p.now();
  const id = p.uuid();
  const d: DrainRecord = { id, appId: app.id, url, token: `d.${p.uuid()}`, addonId, createdAt: now, updatedAt: now };
  p.store.drains.set(id, d);
  p.changed();
  return d;
}

/** Logging add-ons (Papertrail) come with a drain of their own on the billing app. */
export function addAddonDrain(p: Platform, addon: AddonRecord): void {
  const app = p.store.apps.get(addon.appId);
  if (!app) return;
  addDrainRecord(p, app, `syslog+tls://logs${1 + p.names.int(9)}.papertrailapp.com:${10000 + p.names.int(50000)}`, addon.id);
}

export function deleteDrain(p: Platform, drain: DrainRecord): DrainRecord {
  if (drain.addonId !== null) {
    const addon = p.store.addons.get(drain.addonId);
    throw invalidParams(`This drain belongs to the add-on ${addon?.name ?? drain.addonId} and can only be removed by removing the add-on.`);
  }
  p.store.drains.delete(drain.id);
  p.changed();
  return drain;
}
