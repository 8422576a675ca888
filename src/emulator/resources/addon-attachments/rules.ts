import { invalidParams, notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import { COLOURS } from '../../store/names.js';
import type { AccountRecord, AddonRecord, AppRecord, AttachmentRecord } from '../../store/records.js';
import { appsOf } from '../apps/rules.js';
import { type AddonService, isUuid, serviceById } from '../catalogue/data.js';
import { cutRelease } from '../releases/rules.js';

const ATTACHMENT_NAME = /^[A-Z][A-Z0-9_]*$/;

export function attachmentsOf(p: Platform, app: AppRecord): AttachmentRecord[] {
  return [...p.store.attachments.values()].filter((a) => a.appId === app.id);
}

export function attachmentsOfAddon(p: Platform, addon: AddonRecord): AttachmentRecord[] {
  return [...p.store.attachments.values()].filter((a) => a.addonId === addon.id);
}

export function attachmentsVisibleTo(p: Platform, account: AccountRecord): AttachmentRecord[] {
  const apps = new Set(appsOf(p, account).map((a) => a.id));
  return [...p.store.attachments.values()].filter((a) => apps.has(a.appId));
}

export function findAttachment(p: Platform, account: AccountRecord, key: string, app?: AppRecord): AttachmentRecord {
  const pool = app ? attachmentsOf(p, app) : attachmentsVisibleTo(p, account);
  const found = isUuid(key)
    ? pool.find((a) => a.id === key.toLowerCase())
    : app
      ? pool.find((a) => a.name === key.toUpperCase())
      : undefined;
  if (!found) throw notFound("Couldn't find that add-on attachment.", 'add_on attachment');
  return found;
}

/** Config var names that add-on attachments own on this app. */
export function attachmentKeys(p: Platform, app: AppRecord): Set<string> {
  const keys = new Set<string>();
  for (const att of attachmentsOf(p, app)) {
    const addon = p.store.addons.get(att.addonId);
    if (!addon) continue;
    for (const suffix of serviceById(addon.serviceId).configSuffixes) keys.add(`${att.name}_${suffix}`);
  }
  return keys;
}

/** The requested name, checked, or the service's default, or its first free colour alias. */
export function attachmentNameFor(p: Platform, app: AppRecord, service: AddonService, requested: string | undefined): string {
  const used = new Set(attachmentsOf(p, app).map((a) => a.name));
  const free = (name: string): boolean => !used.has(name) && service.configSuffixes.every((s) => app.config[`${name}_${s}`] === undefined);
  if (requested !== undefined) {
    const name = requested.toUpperCase();
    if (!ATTACHMENT_NAME.test(name)) {
      throw invalidParams('Invalid params: attachment name must start with a letter and contain only letters, digits and underscores.');
    }
    if (used.has(name)) throw invalidParams(`Name ${name} is already used by another attachment on ${app.name}.`);
    const taken = service.configSuffixes.map((s) => `${name}_${s}`).filter((k) => app.config[k] !== undefined);
    if (taken.length > 0) throw invalidParams(`Cannot attach as ${name}: config var ${taken.join(', ')} is already set on ${app.name}.`);
    return name;
  }
  if (free(service.defaultAttachment)) return service.defaultAttachment;
  for (const colour of COLOURS) {
    const name = `${service.aliasPrefix}_${colour}`;
    if (free(name)) return name;
  }
  throw invalidParams(`${app.name} has no free attachment name left for ${service.name}.`);
}

export function addAttachmentRecord(p: Platform, addon: AddonRecord, app: AppRecord, name: string, namespace: string | null): AttachmentRecord {
  const now = p.now();
  const att: AttachmentRecord = { id: p.uuid(), addonId: addon.id, appId: app.id, name, namespace, createdAt: now, updatedAt: now };
  p.store.attachments.set(att.id, att);
  return att;
}

/** Sets the attachment's config vars on its app, once the add-on has values. */
export function injectVars(app: AppRecord, att: AttachmentRecord, addon: AddonRecord): void {
  if (addon.state !== 'provisioned') return;
  const next = { ...app.config };
  for (const suffix of serviceById(addon.serviceId).configSuffixes) {
    const value = addon.values[suffix];
    if (value !== undefined) next[`${att.name}_${suffix}`] = value;
  }
  app.config = next;
}

function removeVars(app: AppRecord, att: AttachmentRecord, addon: AddonRecord): void {
  const next = { ...app.config };
  for (const suffix of serviceById(addon.serviceId).configSuffixes) delete next[`${att.name}_${suffix}`];
  app.config = next;
}

export function attach(p: Platform, account: AccountRecord, addon: AddonRecord, app: AppRecord, name?: string, namespace?: string | null): AttachmentRecord {
  const service = serviceById(addon.serviceId);
  if (addon.appId !== app.id && !service.supportsSharing) {
    throw invalidParams(`${service.humanName} add-ons cannot be shared with other apps.`);
  }
  const attName = attachmentNameFor(p, app, service, name);
  const att = addAttachmentRecord(p, addon, app, attName, namespace ?? null);
  injectVars(app, att, addon);
  cutRelease(p, account, app, `Attach ${att.name} (@ref:${addon.name})`);
  p.changed();
  return att;
}

/** Removes the attachment and its vars, with a release on its app. */
export function detach(p: Platform, account: AccountRecord, att: AttachmentRecord, addon: AddonRecord): void {
  p.store.attachments.delete(att.id);
  const app = p.store.apps.get(att.appId);
  if (!app) return;
  removeVars(app, att, addon);
  cutRelease(p, account, app, `Detach ${att.name} (@ref:${addon.name})`);
}

export function detachById(p: Platform, account: AccountRecord, att: AttachmentRecord): AttachmentRecord {
  const addon = p.store.addons.get(att.addonId);
  if (!addon) throw notFound("Couldn't find that add-on.", 'add_on');
  const onBilling = attachmentsOfAddon(p, addon).filter((a) => a.appId === addon.appId);
  if (att.appId === addon.appId && onBilling.length === 1) {
    throw invalidParams(`Cannot detach ${att.name}: it is the last attachment of ${addon.name} to its billing app. Remove the add-on instead.`);
  }
  detach(p, account, att, addon);
  p.changed();
  return att;
}
