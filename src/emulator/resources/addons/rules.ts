import { invalidParams, notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AccountRecord, AddonRecord, AppRecord, AttachmentRecord } from '../../store/records.js';
import { addAttachmentRecord, attachmentNameFor, attachmentsOf, attachmentsOfAddon, detach, injectVars } from '../addon-attachments/rules.js';
import { appsOf } from '../apps/rules.js';
import { type AddonService, type Plan, findPlan, isUuid, planName, serviceById, serviceByName } from '../catalogue/data.js';
import { addAddonDrain } from '../log-drains/rules.js';
import { cutRelease } from '../releases/rules.js';

export const serviceOf = (addon: AddonRecord): AddonService => serviceById(addon.serviceId);

/** Add-ons billed to, or attached to, an app of the account. */
export function addonsOf(p: Platform, account: AccountRecord): AddonRecord[] {
  const apps = new Set(appsOf(p, account).map((a) => a.id));
  const attached = new Set([...p.store.attachments.values()].filter((a) => apps.has(a.appId)).map((a) => a.addonId));
  return [...p.store.addons.values()].filter((a) => apps.has(a.appId) || attached.has(a.id));
}

export function addonsOfApp(p: Platform, app: AppRecord): AddonRecord[] {
  const attached = new Set(attachmentsOf(p, app).map((a) => a.addonId));
  return [...p.store.addons.values()].filter((a) => a.appId === app.id || attached.has(a.id));
}

/** By id or global name; within an app also by attachment name (`DATABASE`). */
export function findAddon(p: Platform, account: AccountRecord, key: string, app?: AppRecord): AddonRecord {
  const pool = app ? addonsOfApp(p, app) : addonsOf(p, account);
  let found = isUuid(key) ? pool.find((a) => a.id === key.toLowerCase()) : pool.find((a) => a.name === key);
  if (!found && app) {
    const att = attachmentsOf(p, app).find((a) => a.name === key.toUpperCase());
    if (att) found = p.store.addons.get(att.addonId);
  }
  if (!found) throw notFound("Couldn't find that add-on.", 'add_on');
  return found;
}

export function resolvePlan(key: string): Plan {
  const plan = findPlan(key);
  if (!plan) throw invalidParams(`Couldn't find either the add-on service or the add-on plan of ${JSON.stringify(key)}.`);
  return plan;
}

export type AddonCreate = { plan: string; name?: string; attachment?: { name?: string }; config?: Record<string, string> };

export function createAddon(p: Platform, account: AccountRecord, app: AppRecord, body: AddonCreate): AddonRecord {
  const plan = resolvePlan(body.plan);
  const service = serviceByName(plan.serviceName);
  if (!service.supportsMultipleInstallations && [...p.store.addons.values()].some((a) => a.appId === app.id && a.serviceId === service.id)) {
    throw invalidParams(`${service.humanName} is already installed on ${app.name}; this add-on allows one installation per app.`);
  }
  let name = body.name;
  if (name !== undefined && [...p.store.addons.values()].some((a) => a.name === name)) {
    throw invalidParams(`Name ${name} is already taken`);
  }
  name ??= p.names.addon(service.namePrefix, (n) => [...p.store.addons.values()].some((a) => a.name === n));
  const attachmentName = attachmentNameFor(p, app, service, body.attachment?.name);
  const now = p.now();
  const addon: AddonRecord = {
    id: p.uuid(),
    name,
    appId: app.id,
    planId: plan.id,
    serviceId: service.id,
    state: service.async ? 'provisioning' : 'provisioned',
    providerId: `resource${p.names.int(1e9)}@heroku.com`,
    provisionMessage: '',
    options: { ...(body.config ?? {}) },
    values: service.async ? {} : valuesFor(p, service),
    createdAt: now,
    updatedAt: now,
  };
  p.store.addons.set(addon.id, addon);
  const att = addAttachmentRecord(p, addon, app, attachmentName, null);
  injectVars(app, att, addon);
  cutRelease(p, account, app, `Attach ${att.name} (@ref:${addon.name})`);
  if (service.async) {
    p.later(() => finishProvisioning(p, account, addon.id));
  } else if (service.createsDrain) {
    addAddonDrain(p, addon);
  }
  p.changed();
  return addon;
}

function finishProvisioning(p: Platform, account: AccountRecord, addonId: string): void {
  const addon = p.store.addons.get(addonId);
  if (!addon || addon.state !== 'provisioning') return;
  const service = serviceOf(addon);
  const done: AddonRecord = { ...addon, state: 'provisioned', provisionMessage: '', values: valuesFor(p, service), updatedAt: p.now() };
  p.store.addons.set(done.id, done);
  releaseToAttachedApps(p, account, done);
  if (service.createsDrain) addAddonDrain(p, done);
  p.changed();
}

/** The add-on's vars changed: every app it is attached to gets them (under each attachment's name) and one release. */
function releaseToAttachedApps(p: Platform, account: AccountRecord, addon: AddonRecord, removed: readonly string[] = []): void {
  const service = serviceOf(addon);
  const byApp = new Map<string, AttachmentRecord[]>();
  for (const att of attachmentsOfAddon(p, addon)) byApp.set(att.appId, [...(byApp.get(att.appId) ?? []), att]);
  for (const [appId, atts] of byApp) {
    const app = p.store.apps.get(appId);
    if (!app) continue;
    for (const att of atts) {
      if (removed.length > 0) {
        const next = { ...app.config };
        for (const suffix of removed) delete next[`${att.name}_${suffix}`];
        app.config = next;
      }
      injectVars(app, att, addon);
    }
    const owner = p.store.accounts.get(app.ownerId) ?? account;
    cutRelease(p, owner, app, `Update ${atts.map((a) => a.name).join(', ')} by ${service.name}`);
  }
}

/** `GET /addons/{addon}/config`: the add-on's own config, by its names (URL), not the attachments' (DATABASE_URL). */
export function addonConfig(addon: AddonRecord): Array<{ name: string; value: string | null }> {
  return serviceOf(addon)
    .configSuffixes.filter((name) => addon.values[name] !== undefined)
    .map((name) => ({ name, value: addon.values[name] ?? null }));
}

/**
 * `PATCH /addons/{addon}/config`: what a provider does when it rotates a
 * credential or moves a database. Each attached app gets the new values
 * and a release, as on Heroku; a null value removes the var. Only the
 * names the service exposes can be set. (The real API accepts this from
 * the add-on's partner only; the emulator has no partners, so it accepts
 * it from an account with access to the add-on, for tests to play one.)
 */
export function updateAddonConfig(p: Platform, account: AccountRecord, addon: AddonRecord, items: Array<{ name: string; value: string | null }>): AddonRecord {
  const service = serviceOf(addon);
  if (addon.state !== 'provisioned') throw invalidParams(`${addon.name} is ${addon.state}: its config can change once it is provisioned.`);
  const values = { ...addon.values };
  const removed: string[] = [];
  for (const { name, value } of items) {
    if (typeof name !== 'string' || !service.configSuffixes.includes(name)) {
      throw invalidParams(`${name} is not a config var of ${service.name} (it has ${service.configSuffixes.join(', ')}).`);
    }
    if (value === null) {
      delete values[name];
      removed.push(name);
    } else {
      values[name] = value;
    }
  }
  const next: AddonRecord = { ...addon, values, updatedAt: p.now() };
  p.store.addons.set(next.id, next);
  releaseToAttachedApps(p, account, next, removed);
  p.changed();
  return next;
}

/** After loading a data file: add-ons that were provisioning when it was saved finish. */
export function resumeProvisioning(p: Platform): void {
  for (const addon of p.store.addons.values()) {
    if (addon.state !== 'provisioning') continue;
    const app = p.store.apps.get(addon.appId);
    const owner = app ? p.store.accounts.get(app.ownerId) : undefined;
    if (owner) p.later(() => finishProvisioning(p, owner, addon.id));
  }
}

/** Plausible values for each var an add-on exposes (credentials are random, never meaningful). */
function valuesFor(p: Platform, service: AddonService): Record<string, string> {
  const n = (k: number): number => p.names.int(k);
  const host = `ec2-${n(255)}-${n(255)}-${n(255)}-${n(255)}.compute-1.amazonaws.com`;
  const secret = (chars: number): string => p.names.secret(chars);
  const values: Record<string, string> = {};
  for (const suffix of service.configSuffixes) {
    values[suffix] = ((): string => {
      switch (`${service.name}:${suffix}`) {
        case 'heroku-postgresql:URL':
          return `postgres://u${secret(13)}:p${secret(63)}@${host}:5432/d${secret(13)}`;
        case 'heroku-redis:URL':
          return `rediss://:p${secret(63)}@${host}:${10000 + n(50000)}`;
        case 'cloudamqp:URL':
          return `amqps://${secret(8)}:${secret(32)}@lemur.cloudamqp.com/${secret(8)}`;
        case 'memcachier:SERVERS':
          return `mc${1 + n(5)}.dev.ec2.memcachier.com:11211`;
        case 'mailgun:DOMAIN':
          return `sandbox${secret(32)}.mailgun.org`;
        case 'mailgun:SMTP_LOGIN':
          return `postmaster@sandbox${secret(32)}.mailgun.org`;
        case 'mailgun:SMTP_PORT':
          return '587';
        case 'mailgun:SMTP_SERVER':
          return 'smtp.mailgun.org';
        case 'newrelic:LOG':
          return 'stdout';
        default:
          return secret(suffix === 'USERNAME' ? 6 : 32);
      }
    })();
  }
  return values;
}

/** Config var names the add-on exposes to its billing app. */
export function addonConfigVars(p: Platform, addon: AddonRecord): string[] {
  const suffixes = serviceOf(addon).configSuffixes;
  return attachmentsOfAddon(p, addon)
    .filter((a) => a.appId === addon.appId)
    .flatMap((a) => suffixes.map((s) => `${a.name}_${s}`));
}

export function updateAddon(p: Platform, addon: AddonRecord, body: { plan: string; name?: string }): AddonRecord {
  const service = serviceOf(addon);
  const plan = findPlan(body.plan, body.plan.includes(':') || isUuid(body.plan) ? undefined : service);
  if (!plan) throw invalidParams(`Couldn't find either the add-on service or the add-on plan of ${JSON.stringify(body.plan)}.`);
  if (plan.serviceName !== service.name) {
    throw invalidParams(`Cannot change ${addon.name} to ${planName(plan)}: plans can only change within ${service.name}.`);
  }
  const next = { ...addon, planId: plan.id };
  if (body.name !== undefined && body.name !== addon.name) {
    if ([...p.store.addons.values()].some((a) => a.name === body.name)) throw invalidParams(`Name ${body.name} is already taken`);
    next.name = body.name;
  }
  if (next.planId === addon.planId && next.name === addon.name) return addon;
  next.updatedAt = p.now();
  p.store.addons.set(next.id, next);
  p.changed();
  return next;
}

/** Detaches it everywhere (a release on each app) and removes its drains; returns it deprovisioned. */
export function deleteAddon(p: Platform, account: AccountRecord, addon: AddonRecord): AddonRecord {
  for (const att of attachmentsOfAddon(p, addon)) detach(p, account, att, addon);
  for (const [id, d] of p.store.drains) if (d.addonId === addon.id) p.store.drains.delete(id);
  p.store.addons.delete(addon.id);
  p.changed();
  return { ...addon, state: 'deprovisioned', updatedAt: p.now() };
}
