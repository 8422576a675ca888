import { randomUUID } from 'node:crypto';
import {
  DEFAULT_DYNO_SIZE,
  DYNO_SIZES,
  type AddonService,
  type DynoSize,
  type DynoTier,
  type Plan,
  defaultStack,
  dynoSizeById,
  findDynoSize,
  findPlan,
  findRegion,
  findStack,
  isUuid,
  planById,
  planName,
  serviceByName,
  ADDON_SERVICES,
} from './catalogue.js';
import { forbidden, invalidParams, notFound } from './http/errors.js';
import { Random } from './random.js';
import { COLOURS, NameGenerator } from './store/names.js';
import type {
  AccountRecord,
  AddonRecord,
  AppRecord,
  AttachmentRecord,
  DomainRecord,
  DrainRecord,
  FormationRecord,
  ReleaseRecord,
  SlugRecord,
} from './store/records.js';
import { Store } from './store/store.js';

export interface PlatformOptions {
  /** How long async add-ons stay `provisioning` and new domains `pending`. */
  provisionDelayMs: number;
  /** Seed for generated ids and names; undefined → random. */
  seed: number | undefined;
}

/** A formation change as the HTTP layer normalised it. */
export interface FormationUpdate {
  type: string;
  /** An absolute quantity, or a relative one (`+1`, `-1` from the Heroku CLI). */
  quantity?: { absolute: number } | { delta: number };
  /** Size name or id, any case. */
  size?: string;
}

const notFoundIn = (resource: string, message: string) => notFound(message, resource);

/** Config vars on Heroku are limited to 32 kB per app. */
const CONFIG_LIMIT_BYTES = 32 * 1024;
const HOSTNAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const ATTACHMENT_NAME = /^[A-Z][A-Z0-9_]*$/;
const PROCESS_TYPE = /^[-\w]{1,128}$/;

export function isoNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The platform's rules: what creating an app, changing config, attaching an
 * add-on, … does to the store, including the releases those changes cut.
 * Every method is synchronous, so each request is atomic. Errors are the
 * API's (422, 404, 403) and carry the messages clients show to users.
 */
export class Platform {
  private readonly names: NameGenerator;
  private readonly idRng: Random | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    readonly store: Store,
    private readonly opts: PlatformOptions,
  ) {
    // Mixed with the size of loaded data so that a reloaded --data file and
    // the same --seed never hand out an id that already exists.
    const base = opts.seed === undefined ? Random.randomSeed() : (opts.seed ^ Math.imul(store.countObjects(), 0x27d4eb2d)) >>> 0;
    this.names = new NameGenerator(new Random(base, 3));
    this.idRng = opts.seed === undefined ? undefined : new Random(base, 4);
    this.resumePending();
  }

  now(): string {
    return isoNow();
  }

  uuid(): string {
    return this.idRng ? this.idRng.uuid() : randomUUID();
  }

  private changed(): void {
    this.store.touch();
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private later(fn: () => void): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, this.opts.provisionDelayMs);
    t.unref();
    this.timers.add(t);
  }

  // ---------------------------------------------------------------- accounts

  ensureAccount(id: string, email: string): AccountRecord {
    let account = this.store.accounts.get(id);
    if (!account) {
      const now = this.now();
      account = { id, email, name: null, allowTracking: true, beta: false, createdAt: now, updatedAt: now };
      this.store.accounts.set(id, account);
      this.changed();
    }
    return account;
  }

  updateAccount(account: AccountRecord, body: { allow_tracking?: boolean; beta?: boolean; name?: string | null }): AccountRecord {
    const next = { ...account };
    if (body.allow_tracking !== undefined) next.allowTracking = body.allow_tracking;
    if (body.beta !== undefined) next.beta = body.beta;
    if (body.name !== undefined) next.name = body.name;
    if (JSON.stringify(next) !== JSON.stringify(account)) {
      next.updatedAt = this.now();
      this.store.accounts.set(next.id, next);
      this.changed();
    }
    return next;
  }

  // -------------------------------------------------------------------- apps

  appsOf(account: AccountRecord): AppRecord[] {
    return [...this.store.apps.values()].filter((a) => a.ownerId === account.id);
  }

  findApp(account: AccountRecord, key: string): AppRecord {
    const app = isUuid(key) ? this.store.apps.get(key.toLowerCase()) : this.store.appByName(key);
    if (!app) throw notFoundIn('app', "Couldn't find that app.");
    if (app.ownerId !== account.id) throw forbidden(`You do not have access to the app ${app.name}.`);
    return app;
  }

  createApp(account: AccountRecord, body: { name?: string; region?: string; stack?: string }): AppRecord {
    const name = body.name ?? this.names.app((n) => this.store.appIdsByName.has(n));
    if (this.store.appIdsByName.has(name)) throw invalidParams(`Name ${name} is already taken`);
    const region = findRegion(body.region ?? 'us');
    if (!region) throw invalidParams(`Couldn't find that region: ${body.region ?? ''}.`);
    if (region.privateCapable) throw invalidParams(`Region ${region.name} is only available to apps in a Private Space.`);
    const stack = body.stack === undefined ? defaultStack() : findStack(body.stack);
    if (!stack) throw invalidParams(`Couldn't find that stack: ${body.stack ?? ''}.`);
    const now = this.now();
    const app: AppRecord = {
      id: this.uuid(),
      name,
      ownerId: account.id,
      regionId: region.id,
      stackId: stack.id,
      buildStackId: stack.id,
      maintenance: false,
      acm: false,
      createdAt: now,
      updatedAt: now,
      releasedAt: null,
      config: {},
      processTypes: {},
      slugId: null,
      version: 0,
    };
    this.store.putApp(app);
    this.addDomainRecord(app, `${name}.herokuapp.com`, 'heroku');
    this.cutRelease(account, app, 'Initial release');
    this.changed();
    return app;
  }

  updateApp(app: AppRecord, body: { name?: string; maintenance?: boolean; build_stack?: string }): AppRecord {
    const next: AppRecord = { ...app };
    if (body.name !== undefined && body.name !== app.name) {
      if (this.store.appIdsByName.has(body.name)) throw invalidParams(`Name ${body.name} is already taken`);
      next.name = body.name;
    }
    if (body.maintenance !== undefined) next.maintenance = body.maintenance;
    if (body.build_stack !== undefined) {
      const stack = findStack(body.build_stack);
      if (!stack) throw invalidParams(`Couldn't find that stack: ${body.build_stack}.`);
      next.buildStackId = stack.id;
    }
    if (next.name === app.name && next.maintenance === app.maintenance && next.buildStackId === app.buildStackId) return app;
    next.updatedAt = this.now();
    this.store.putApp(next, app.name);
    if (next.name !== app.name) {
      for (const d of this.domainsOf(next)) {
        if (d.kind === 'heroku') this.store.domains.set(d.id, { ...d, hostname: `${next.name}.herokuapp.com`, updatedAt: next.updatedAt });
      }
    }
    this.changed();
    return next;
  }

  /** Deletes the app with everything that lives only through it; returns the record as it was. */
  deleteApp(account: AccountRecord, app: AppRecord): AppRecord {
    for (const addon of [...this.store.addons.values()]) {
      if (addon.appId === app.id) this.deleteAddon(account, addon);
    }
    for (const att of this.attachmentsOf(app)) this.store.attachments.delete(att.id);
    const drop = <T extends { appId: string }>(map: Map<string, T>): void => {
      for (const [id, rec] of map) if (rec.appId === app.id) map.delete(id);
    };
    drop(this.store.formations);
    drop(this.store.domains);
    drop(this.store.drains);
    drop(this.store.releases);
    drop(this.store.slugs);
    this.store.deleteApp(app);
    this.changed();
    return app;
  }

  // ------------------------------------------------------- releases & config

  releasesOf(app: AppRecord): ReleaseRecord[] {
    return [...this.store.releases.values()].filter((r) => r.appId === app.id);
  }

  findRelease(app: AppRecord, key: string): ReleaseRecord {
    const found = isUuid(key)
      ? this.store.releases.get(key.toLowerCase())
      : /^v?\d+$/.test(key)
        ? this.releasesOf(app).find((r) => r.version === Number(key.replace(/^v/, '')))
        : undefined;
    if (!found || found.appId !== app.id) throw notFoundIn('release', "Couldn't find that release.");
    return found;
  }

  private cutRelease(account: AccountRecord, app: AppRecord, description: string): ReleaseRecord {
    const now = this.now();
    const plans = new Set<string>();
    for (const att of this.attachmentsOf(app)) {
      const addon = this.store.addons.get(att.addonId);
      if (addon) plans.add(planName(planById(addon.planId)));
    }
    app.version += 1;
    const release: ReleaseRecord = {
      id: this.uuid(),
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
    this.store.releases.set(release.id, release);
    app.releasedAt = now;
    app.updatedAt = now;
    this.changed();
    return release;
  }

  /** Config var names that add-on attachments own on this app. */
  attachmentKeys(app: AppRecord): Set<string> {
    const keys = new Set<string>();
    for (const att of this.attachmentsOf(app)) {
      const addon = this.store.addons.get(att.addonId);
      if (!addon) continue;
      for (const suffix of this.serviceOf(addon).configSuffixes) keys.add(`${att.name}_${suffix}`);
    }
    return keys;
  }

  /** Merge-patch semantics: a string sets, null deletes; one release when anything changed. */
  setConfig(account: AccountRecord, app: AppRecord, changes: Record<string, string | null>): Record<string, string> {
    const owned = this.attachmentKeys(app);
    const clash = Object.keys(changes).filter((k) => owned.has(k));
    if (clash.length > 0) throw invalidParams(`Cannot overwrite attachment values ${clash.join(', ')}.`);
    const next = { ...app.config };
    const set: string[] = [];
    const removed: string[] = [];
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) {
        if (key in next) {
          delete next[key];
          removed.push(key);
        }
      } else if (next[key] !== value) {
        next[key] = value;
        set.push(key);
      }
    }
    if (set.length === 0 && removed.length === 0) return app.config;
    const bytes = Object.entries(next).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
    if (bytes > CONFIG_LIMIT_BYTES) {
      throw invalidParams(`Config vars are limited to ${CONFIG_LIMIT_BYTES / 1024} kB per app; this change would make them ${bytes} bytes.`);
    }
    app.config = next;
    const description =
      removed.length === 0
        ? `Set ${set.join(', ')} config vars`
        : set.length === 0
          ? `Remove ${removed.join(', ')} config vars`
          : `Set ${set.join(', ')} and remove ${removed.join(', ')} config vars`;
    this.cutRelease(account, app, description);
    return app.config;
  }

  createSlug(
    app: AppRecord,
    body: {
      process_types: Record<string, unknown>;
      stack?: string;
      commit?: string | null;
      commit_description?: string | null;
      checksum?: string | null;
      buildpack_provided_description?: string | null;
    },
  ): SlugRecord {
    const types: Record<string, string> = {};
    for (const [type, command] of Object.entries(body.process_types)) {
      if (!PROCESS_TYPE.test(type)) throw invalidParams(`Invalid params: process_types: ${JSON.stringify(type)} is not a valid process type name.`);
      if (typeof command !== 'string' || command.trim() === '') {
        throw invalidParams(`Invalid params: process_types.${type} must be a command string.`);
      }
      types[type] = command;
    }
    const stack = body.stack === undefined ? undefined : findStack(body.stack);
    if (body.stack !== undefined && !stack) throw invalidParams(`Couldn't find that stack: ${body.stack}.`);
    const now = this.now();
    const slug: SlugRecord = {
      id: this.uuid(),
      appId: app.id,
      processTypes: types,
      stackId: stack?.id ?? app.stackId,
      commit: body.commit ?? null,
      commitDescription: body.commit_description ?? null,
      checksum: body.checksum ?? null,
      buildpackProvidedDescription: body.buildpack_provided_description ?? null,
      size: null,
      createdAt: now,
      updatedAt: now,
    };
    this.store.slugs.set(slug.id, slug);
    this.changed();
    return slug;
  }

  findSlug(app: AppRecord, key: string): SlugRecord {
    const slug = isUuid(key) ? this.store.slugs.get(key.toLowerCase()) : undefined;
    if (!slug || slug.appId !== app.id) throw notFoundIn('slug', "Couldn't find that slug.");
    return slug;
  }

  /** `POST /apps/{app}/releases {slug}`: releases the slug; its process types become the formation. */
  deploy(account: AccountRecord, app: AppRecord, slugKey: string, description?: string): ReleaseRecord {
    const slug = this.findSlug(app, slugKey);
    app.slugId = slug.id;
    this.syncFormation(app, slug.processTypes);
    return this.cutRelease(account, app, description ?? `Deploy ${slug.commit ? slug.commit.slice(0, 8) : slug.id.slice(0, 8)}`);
  }

  /** `POST /apps/{app}/releases {release}`: a new release with that release's slug and config. */
  rollback(account: AccountRecord, app: AppRecord, releaseKey: string): ReleaseRecord {
    const target = this.findRelease(app, releaseKey);
    const owned = this.attachmentKeys(app);
    const config: Record<string, string> = {};
    for (const [k, v] of Object.entries(target.config)) if (!owned.has(k)) config[k] = v;
    for (const k of owned) if (app.config[k] !== undefined) config[k] = app.config[k];
    app.config = config;
    if (target.slugId !== app.slugId) {
      app.slugId = target.slugId;
      const slug = target.slugId ? this.store.slugs.get(target.slugId) : undefined;
      this.syncFormation(app, slug?.processTypes ?? {});
    }
    return this.cutRelease(account, app, `Rollback to v${target.version}`);
  }

  // --------------------------------------------------------------- formation

  formationOf(app: AppRecord): FormationRecord[] {
    return [...this.store.formations.values()].filter((f) => f.appId === app.id);
  }

  findFormation(app: AppRecord, key: string): FormationRecord {
    const f = isUuid(key)
      ? this.store.formations.get(key.toLowerCase())
      : this.formationOf(app).find((x) => x.type === key);
    if (!f || f.appId !== app.id) throw notFoundIn('formation', `Couldn't find that process type (${key}).`);
    return f;
  }

  private syncFormation(app: AppRecord, processTypes: Record<string, string>): void {
    app.processTypes = { ...processTypes };
    const now = this.now();
    const current = this.formationOf(app);
    const inherit = current.find((f) => f.type === 'web') ?? current[0];
    const sizeId = inherit?.sizeId ?? (findDynoSize(DEFAULT_DYNO_SIZE) ?? dynoSizeById(DYNO_SIZES[0]?.id ?? '')).id;
    for (const f of current) {
      const command = processTypes[f.type];
      if (command === undefined) this.store.formations.delete(f.id);
      else if (command !== f.command) this.store.formations.set(f.id, { ...f, command, updatedAt: now });
    }
    for (const [type, command] of Object.entries(processTypes)) {
      if (current.some((f) => f.type === type)) continue;
      const rec: FormationRecord = {
        id: this.uuid(),
        appId: app.id,
        type,
        quantity: type === 'web' ? 1 : 0,
        sizeId,
        command,
        createdAt: now,
        updatedAt: now,
      };
      this.store.formations.set(rec.id, rec);
    }
    this.changed();
  }

  /** All updates are checked before any is applied; scaling cuts no release. */
  updateFormation(app: AppRecord, updates: FormationUpdate[]): FormationRecord[] {
    const next = new Map(this.formationOf(app).map((f) => [f.id, { ...f }]));
    const touched: FormationRecord[] = [];
    for (const u of updates) {
      const current = this.findFormation(app, u.type);
      const rec = next.get(current.id);
      if (!rec) continue;
      if (u.size !== undefined) {
        const size = findDynoSize(u.size);
        if (!size) {
          throw invalidParams(`Invalid dyno size ${JSON.stringify(u.size)}. Valid sizes: ${DYNO_SIZES.filter((s) => !s.privateSpaceOnly).map((s) => s.name).join(', ')}.`);
        }
        if (size.privateSpaceOnly) throw invalidParams(`${size.displayName} dynos are only available to apps in a Private Space.`);
        rec.sizeId = size.id;
      }
      if (u.quantity !== undefined) {
        const q = 'absolute' in u.quantity ? u.quantity.absolute : rec.quantity + u.quantity.delta;
        if (!Number.isInteger(q) || q < 0) throw invalidParams(`Invalid params: quantity for ${rec.type} must be a non-negative integer.`);
        rec.quantity = q;
      }
      if (!touched.includes(rec)) touched.push(rec);
    }
    for (const rec of touched) {
      const size = dynoSizeById(rec.sizeId);
      if (rec.quantity > size.maxQuantity) {
        throw invalidParams(`Cannot scale to more than ${size.maxQuantity} ${size.displayName} size dyno${size.maxQuantity === 1 ? '' : 's'} per process type.`);
      }
    }
    checkTierMix([...next.values()].filter((f) => f.quantity > 0).map((f) => dynoSizeById(f.sizeId)));

    const now = this.now();
    const result: FormationRecord[] = [];
    for (const rec of touched) {
      const before = this.store.formations.get(rec.id);
      const changed = before === undefined || before.quantity !== rec.quantity || before.sizeId !== rec.sizeId;
      const saved = changed ? { ...rec, updatedAt: now } : (before ?? rec);
      this.store.formations.set(saved.id, saved);
      result.push(saved);
    }
    if (result.length > 0) this.changed();
    return result;
  }

  // ------------------------------------------------------------------ add-ons

  serviceOf(addon: AddonRecord): AddonService {
    const s = ADDON_SERVICES.find((x) => x.id === addon.serviceId);
    if (!s) throw new Error(`add-on ${addon.name} has unknown service ${addon.serviceId}`);
    return s;
  }

  attachmentsOf(app: AppRecord): AttachmentRecord[] {
    return [...this.store.attachments.values()].filter((a) => a.appId === app.id);
  }

  attachmentsOfAddon(addon: AddonRecord): AttachmentRecord[] {
    return [...this.store.attachments.values()].filter((a) => a.addonId === addon.id);
  }

  /** Add-ons billed to, or attached to, an app of the account. */
  addonsOf(account: AccountRecord): AddonRecord[] {
    const apps = new Set(this.appsOf(account).map((a) => a.id));
    const attached = new Set([...this.store.attachments.values()].filter((a) => apps.has(a.appId)).map((a) => a.addonId));
    return [...this.store.addons.values()].filter((a) => apps.has(a.appId) || attached.has(a.id));
  }

  addonsOfApp(app: AppRecord): AddonRecord[] {
    const attached = new Set(this.attachmentsOf(app).map((a) => a.addonId));
    return [...this.store.addons.values()].filter((a) => a.appId === app.id || attached.has(a.id));
  }

  /** By id or global name; within an app also by attachment name (`DATABASE`). */
  findAddon(account: AccountRecord, key: string, app?: AppRecord): AddonRecord {
    const pool = app ? this.addonsOfApp(app) : this.addonsOf(account);
    let found = isUuid(key) ? pool.find((a) => a.id === key.toLowerCase()) : pool.find((a) => a.name === key);
    if (!found && app) {
      const att = this.attachmentsOf(app).find((a) => a.name === key.toUpperCase());
      if (att) found = this.store.addons.get(att.addonId);
    }
    if (!found) throw notFoundIn('add-on', "Couldn't find that add-on.");
    return found;
  }

  resolvePlan(key: string): Plan {
    const plan = findPlan(key);
    if (!plan) throw invalidParams(`Couldn't find either the add-on service or the add-on plan of ${JSON.stringify(key)}.`);
    return plan;
  }

  private attachmentNameFor(app: AppRecord, service: AddonService, requested: string | undefined): string {
    const used = new Set(this.attachmentsOf(app).map((a) => a.name));
    const free = (name: string): boolean =>
      !used.has(name) && service.configSuffixes.every((s) => app.config[`${name}_${s}`] === undefined);
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

  createAddon(
    account: AccountRecord,
    app: AppRecord,
    body: { plan: string; name?: string; attachment?: { name?: string }; config?: Record<string, string> },
  ): AddonRecord {
    const plan = this.resolvePlan(body.plan);
    const service = serviceByName(plan.serviceName);
    if (!service.supportsMultipleInstallations && [...this.store.addons.values()].some((a) => a.appId === app.id && a.serviceId === service.id)) {
      throw invalidParams(`${service.humanName} is already installed on ${app.name}; this add-on allows one installation per app.`);
    }
    let name = body.name;
    if (name !== undefined && [...this.store.addons.values()].some((a) => a.name === name)) {
      throw invalidParams(`Name ${name} is already taken`);
    }
    name ??= this.names.addon(service.namePrefix, (n) => [...this.store.addons.values()].some((a) => a.name === n));
    const attachmentName = this.attachmentNameFor(app, service, body.attachment?.name);
    const now = this.now();
    const addon: AddonRecord = {
      id: this.uuid(),
      name,
      appId: app.id,
      planId: plan.id,
      serviceId: service.id,
      state: service.async ? 'provisioning' : 'provisioned',
      providerId: `resource${this.names.int(1e9)}@heroku.com`,
      provisionMessage: '',
      options: { ...(body.config ?? {}) },
      values: service.async ? {} : this.valuesFor(service),
      createdAt: now,
      updatedAt: now,
    };
    this.store.addons.set(addon.id, addon);
    const att = this.addAttachmentRecord(addon, app, attachmentName, null);
    this.injectVars(app, att, addon);
    this.cutRelease(account, app, `Attach ${att.name} (@ref:${addon.name})`);
    if (service.async) {
      this.later(() => this.finishProvisioning(account, addon.id));
    } else if (service.createsDrain) {
      this.addAddonDrain(addon);
    }
    this.changed();
    return addon;
  }

  private finishProvisioning(account: AccountRecord, addonId: string): void {
    const addon = this.store.addons.get(addonId);
    if (!addon || addon.state !== 'provisioning') return;
    const service = this.serviceOf(addon);
    const done: AddonRecord = { ...addon, state: 'provisioned', provisionMessage: '', values: this.valuesFor(service), updatedAt: this.now() };
    this.store.addons.set(done.id, done);
    const byApp = new Map<string, AttachmentRecord[]>();
    for (const att of this.attachmentsOfAddon(done)) byApp.set(att.appId, [...(byApp.get(att.appId) ?? []), att]);
    for (const [appId, atts] of byApp) {
      const app = this.store.apps.get(appId);
      if (!app) continue;
      for (const att of atts) this.injectVars(app, att, done);
      const owner = this.store.accounts.get(app.ownerId) ?? account;
      this.cutRelease(owner, app, `Update ${atts.map((a) => a.name).join(', ')} by ${service.name}`);
    }
    if (service.createsDrain) this.addAddonDrain(done);
    this.changed();
  }

  /** Plausible values for each var an add-on exposes (credentials are random, never meaningful). */
  private valuesFor(service: AddonService): Record<string, string> {
    const n = (k: number): number => this.names.int(k);
    const host = `ec2-${n(255)}-${n(255)}-${n(255)}-${n(255)}.compute-1.amazonaws.com`;
    const secret = (chars: number): string => this.names.secret(chars);
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

  private injectVars(app: AppRecord, att: AttachmentRecord, addon: AddonRecord): void {
    if (addon.state !== 'provisioned') return;
    const next = { ...app.config };
    for (const suffix of this.serviceOf(addon).configSuffixes) {
      const value = addon.values[suffix];
      if (value !== undefined) next[`${att.name}_${suffix}`] = value;
    }
    app.config = next;
  }

  private removeVars(app: AppRecord, att: AttachmentRecord, addon: AddonRecord): void {
    const next = { ...app.config };
    for (const suffix of this.serviceOf(addon).configSuffixes) delete next[`${att.name}_${suffix}`];
    app.config = next;
  }

  /** Config var names the add-on exposes to its billing app. */
  addonConfigVars(addon: AddonRecord): string[] {
    const suffixes = this.serviceOf(addon).configSuffixes;
    return this.attachmentsOfAddon(addon)
      .filter((a) => a.appId === addon.appId)
      .flatMap((a) => suffixes.map((s) => `${a.name}_${s}`));
  }

  updateAddon(addon: AddonRecord, body: { plan: string; name?: string }): AddonRecord {
    const service = this.serviceOf(addon);
    const plan = findPlan(body.plan, body.plan.includes(':') || isUuid(body.plan) ? undefined : service);
    if (!plan) throw invalidParams(`Couldn't find either the add-on service or the add-on plan of ${JSON.stringify(body.plan)}.`);
    if (plan.serviceName !== service.name) {
      throw invalidParams(`Cannot change ${addon.name} to ${planName(plan)}: plans can only change within ${service.name}.`);
    }
    const next = { ...addon, planId: plan.id };
    if (body.name !== undefined && body.name !== addon.name) {
      if ([...this.store.addons.values()].some((a) => a.name === body.name)) throw invalidParams(`Name ${body.name} is already taken`);
      next.name = body.name;
    }
    if (next.planId === addon.planId && next.name === addon.name) return addon;
    next.updatedAt = this.now();
    this.store.addons.set(next.id, next);
    this.changed();
    return next;
  }

  /** Detaches it everywhere (a release on each app) and removes its drains; returns it deprovisioned. */
  deleteAddon(account: AccountRecord, addon: AddonRecord): AddonRecord {
    for (const att of this.attachmentsOfAddon(addon)) this.detach(account, att, addon);
    for (const [id, d] of this.store.drains) if (d.addonId === addon.id) this.store.drains.delete(id);
    this.store.addons.delete(addon.id);
    this.changed();
    return { ...addon, state: 'deprovisioned', updatedAt: this.now() };
  }

  private detach(account: AccountRecord, att: AttachmentRecord, addon: AddonRecord): void {
    this.store.attachments.delete(att.id);
    const app = this.store.apps.get(att.appId);
    if (!app) return;
    this.removeVars(app, att, addon);
    this.cutRelease(account, app, `Detach ${att.name} (@ref:${addon.name})`);
  }

  // -------------------------------------------------------------- attachments

  attachmentsVisibleTo(account: AccountRecord): AttachmentRecord[] {
    const apps = new Set(this.appsOf(account).map((a) => a.id));
    return [...this.store.attachments.values()].filter((a) => apps.has(a.appId));
  }

  findAttachment(account: AccountRecord, key: string, app?: AppRecord): AttachmentRecord {
    const pool = app ? this.attachmentsOf(app) : this.attachmentsVisibleTo(account);
    const found = isUuid(key)
      ? pool.find((a) => a.id === key.toLowerCase())
      : app
        ? pool.find((a) => a.name === key.toUpperCase())
        : undefined;
    if (!found) throw notFoundIn('add-on attachment', "Couldn't find that add-on attachment.");
    return found;
  }

  private addAttachmentRecord(addon: AddonRecord, app: AppRecord, name: string, namespace: string | null): AttachmentRecord {
    const now = this.now();
    const att: AttachmentRecord = { id: this.uuid(), addonId: addon.id, appId: app.id, name, namespace, createdAt: now, updatedAt: now };
    this.store.attachments.set(att.id, att);
    return att;
  }

  attach(account: AccountRecord, addon: AddonRecord, app: AppRecord, name?: string, namespace?: string | null): AttachmentRecord {
    const service = this.serviceOf(addon);
    if (addon.appId !== app.id && !service.supportsSharing) {
      throw invalidParams(`${service.humanName} add-ons cannot be shared with other apps.`);
    }
    const attName = this.attachmentNameFor(app, service, name);
    const att = this.addAttachmentRecord(addon, app, attName, namespace ?? null);
    this.injectVars(app, att, addon);
    this.cutRelease(account, app, `Attach ${att.name} (@ref:${addon.name})`);
    this.changed();
    return att;
  }

  detachById(account: AccountRecord, att: AttachmentRecord): AttachmentRecord {
    const addon = this.store.addons.get(att.addonId);
    if (!addon) throw notFoundIn('add-on', "Couldn't find that add-on.");
    const onBilling = this.attachmentsOfAddon(addon).filter((a) => a.appId === addon.appId);
    if (att.appId === addon.appId && onBilling.length === 1) {
      throw invalidParams(`Cannot detach ${att.name}: it is the last attachment of ${addon.name} to its billing app. Remove the add-on instead.`);
    }
    this.detach(account, att, addon);
    this.changed();
    return att;
  }

  // ------------------------------------------------------------------ domains

  domainsOf(app: AppRecord): DomainRecord[] {
    return [...this.store.domains.values()].filter((d) => d.appId === app.id);
  }

  findDomain(app: AppRecord, key: string): DomainRecord {
    const k = key.toLowerCase();
    const found = isUuid(k) ? this.store.domains.get(k) : this.domainsOf(app).find((d) => d.hostname === k);
    if (!found || found.appId !== app.id) throw notFoundIn('domain', "Couldn't find that domain.");
    return found;
  }

  private addDomainRecord(app: AppRecord, hostname: string, kind: 'heroku' | 'custom'): DomainRecord {
    const now = this.now();
    const d: DomainRecord = {
      id: this.uuid(),
      appId: app.id,
      hostname,
      kind,
      cname: kind === 'custom' ? this.names.cname() : null,
      status: kind === 'custom' ? 'pending' : 'none',
      sniEndpointId: null,
      acmStatus: null,
      acmStatusReason: null,
      createdAt: now,
      updatedAt: now,
    };
    this.store.domains.set(d.id, d);
    return d;
  }

  createDomain(app: AppRecord, hostnameIn: string, sniEndpoint: string | null): DomainRecord {
    const hostname = hostnameIn.trim().toLowerCase().replace(/\.$/, '');
    if (hostname.length > 253 || !HOSTNAME.test(hostname)) throw invalidParams(`Invalid params: hostname ${JSON.stringify(hostnameIn)} is not a valid domain name.`);
    if (hostname.endsWith('.herokuapp.com')) throw invalidParams(`Invalid params: ${hostname} is a herokuapp.com domain and cannot be added.`);
    if (sniEndpoint !== null) throw invalidParams(`Couldn't find that SNI endpoint: ${sniEndpoint}.`);
    const existing = [...this.store.domains.values()].find((d) => d.hostname === hostname);
    if (existing) {
      throw invalidParams(existing.appId === app.id ? `Domain ${hostname} has already been added to this app.` : `${hostname} is currently in use by another app.`);
    }
    const d = this.addDomainRecord(app, hostname, 'custom');
    this.later(() => {
      const cur = this.store.domains.get(d.id);
      if (cur && cur.status === 'pending') {
        this.store.domains.set(d.id, { ...cur, status: 'succeeded', updatedAt: this.now() });
        this.changed();
      }
    });
    this.changed();
    return d;
  }

  updateDomain(domain: DomainRecord, sniEndpoint: string | null): DomainRecord {
    if (sniEndpoint !== null) throw invalidParams(`Couldn't find that SNI endpoint: ${sniEndpoint}.`);
    return domain;
  }

  deleteDomain(domain: DomainRecord): DomainRecord {
    if (domain.kind === 'heroku') throw invalidParams(`${domain.hostname} is the app's default domain and cannot be removed.`);
    this.store.domains.delete(domain.id);
    this.changed();
    return domain;
  }

  // --------------------------------------------------------------- log drains

  drainsOf(app: AppRecord): DrainRecord[] {
    return [...this.store.drains.values()].filter((d) => d.appId === app.id);
  }

  /** By id, URL or token (`d.<uuid>`). */
  findDrain(app: AppRecord, key: string): DrainRecord {
    const drains = this.drainsOf(app);
    const found = isUuid(key)
      ? drains.find((d) => d.id === key.toLowerCase())
      : (drains.find((d) => d.token === key) ?? drains.find((d) => d.url === key));
    if (!found) throw notFoundIn('log-drain', "Couldn't find that log drain.");
    return found;
  }

  createDrain(app: AppRecord, url: string): DrainRecord {
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
    if (this.drainsOf(app).some((d) => d.url === url)) throw invalidParams('Url has already been taken');
    return this.addDrainRecord(app, url, null);
  }

  private addDrainRecord(app: AppRecord, url: string, addonId: string | null): DrainRecord {
    const now = this.now();
    const id = this.uuid();
    const d: DrainRecord = { id, appId: app.id, url, token: `d.${this.uuid()}`, addonId, createdAt: now, updatedAt: now };
    this.store.drains.set(id, d);
    this.changed();
    return d;
  }

  private addAddonDrain(addon: AddonRecord): void {
    const app = this.store.apps.get(addon.appId);
    if (!app) return;
    this.addDrainRecord(app, `syslog+tls://logs${1 + this.names.int(9)}.papertrailapp.com:${10000 + this.names.int(50000)}`, addon.id);
  }

  deleteDrain(drain: DrainRecord): DrainRecord {
    if (drain.addonId !== null) {
      const addon = this.store.addons.get(drain.addonId);
      throw invalidParams(`This drain belongs to the add-on ${addon?.name ?? drain.addonId} and can only be removed by removing the add-on.`);
    }
    this.store.drains.delete(drain.id);
    this.changed();
    return drain;
  }

  // ------------------------------------------------------------------ loading

  /** After loading a data file: finish what was in flight when it was saved. */
  private resumePending(): void {
    for (const addon of this.store.addons.values()) {
      if (addon.state === 'provisioning') {
        const app = this.store.apps.get(addon.appId);
        const owner = app ? this.store.accounts.get(app.ownerId) : undefined;
        if (owner) this.later(() => this.finishProvisioning(owner, addon.id));
      }
    }
    for (const d of this.store.domains.values()) {
      if (d.status === 'pending') {
        this.later(() => {
          const cur = this.store.domains.get(d.id);
          if (cur?.status === 'pending') {
            this.store.domains.set(d.id, { ...cur, status: 'succeeded', updatedAt: this.now() });
            this.changed();
          }
        });
      }
    }
  }
}

/** Eco and Basic dynos cannot run beside other tiers; Standard and Performance mix. */
function checkTierMix(sizes: DynoSize[]): void {
  const tiers = new Set<DynoTier>(sizes.map((s) => s.tier));
  for (const lone of ['eco', 'basic'] as const) {
    if (tiers.has(lone) && tiers.size > 1) {
      const name = lone === 'eco' ? 'Eco' : 'Basic';
      throw invalidParams(`${name} dynos cannot be mixed with other dyno types. Scale every process type to the same tier.`);
    }
  }
}
