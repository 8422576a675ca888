/**
 * Pure helpers over the ownership inventory: creating, copying, checking,
 * serialising, listing addresses and forgetting entries. No I/O here.
 */
import { randomUUID } from 'node:crypto';
import { stateSchemaProblem } from './schema.js';
import type { Address, AppChildKind, ResourceKind } from '../model/address.js';
import { INVENTORY_VERSION, type Inventory, type InventoryApp, type InventoryPipeline } from '../model/inventory.js';
import { formatAccountAddress, formatAddress, formatMemberAddress, formatPipelineAddress, parseAccountAddress, parseAddress, parseMemberAddress, parsePipelineAddress } from '../util/address.js';
import { KEYED_PREFIX, LEGACY_SECRET_PREFIX, LITERAL_PREFIX, UNKEYED } from '../util/fingerprint.js';
import { maskUrlUserinfo } from '../util/mask.js';

/** A new, empty state: random lineage, serial 0 (the first write stores serial 1). */
export function newInventory(): Inventory {
  return { version: INVENTORY_VERSION, lineage: randomUUID(), serial: 0, apps: {} };
}

/** A deep copy (inventories are plain JSON data). */
export function cloneInventory(inv: Inventory): Inventory {
  return structuredClone(inv);
}

/** Order of the kinds inside an app in `listAddresses`. */
type RecordKind = Exclude<AppChildKind, 'buildpacks' | 'team' | 'acm'>;

const CHILD_KINDS: readonly RecordKind[] = ['config', 'addon', 'domain', 'drain', 'formation', 'feature', 'certificate', 'collaborator', 'webhook', 'attachment'];

function childKeys(app: InventoryApp, kind: AppChildKind): string[] {
  switch (kind) {
    case 'config':
      return Object.keys(app.config).sort();
    case 'addon':
      return Object.keys(app.addons).sort();
    case 'domain':
      return Object.keys(app.domains).sort();
    case 'formation':
      return Object.keys(app.formation).sort();
    case 'feature':
      return Object.keys(app.features ?? {}).sort();
    case 'certificate':
      return Object.keys(app.certificates ?? {}).sort();
    case 'collaborator':
      return Object.keys(app.collaborators ?? {}).sort();
    case 'webhook':
      return Object.keys(app.webhooks ?? {}).sort();
    case 'attachment':
      return Object.keys(app.attachments ?? {}).sort();
    case 'buildpacks':
    case 'team':
    case 'acm':
      // One object each: the address has no key.
      return [];
    case 'drain':
      // Drains are keyed by id; their address uses the masked URL.
      return Object.values(app.drains)
        .map((d) => d.maskedUrl)
        .sort();
  }
}

/**
 * Every address in the inventory, one per owned object, apps sorted by key
 * and each app followed by its config keys, add-ons, domains, drains and
 * formation entries.
 */
export function listAddresses(inv: Inventory): Address[] {
  const out: Address[] = [];
  for (const key of Object.keys(inv.apps).sort()) {
    const app = inv.apps[key]!;
    out.push(formatAddress(key));
    for (const kind of CHILD_KINDS) for (const k of childKeys(app, kind)) out.push(formatAddress(key, kind, k));
    if (app.buildpacks) out.push(formatAddress(key, 'buildpacks'));
    if (app.acm !== undefined) out.push(formatAddress(key, 'acm'));
    if (app.team !== undefined || app.locked !== undefined) out.push(formatAddress(key, 'team'));
  }
  for (const key of Object.keys(inv.pipelines ?? {}).sort()) {
    out.push(formatPipelineAddress(key));
    out.push(...pipelinePartAddresses(key, inv.pipelines![key]!));
  }
  for (const team of Object.keys(inv.teams ?? {}).sort()) {
    for (const email of Object.keys(inv.teams![team]!.members).sort()) out.push(formatMemberAddress(team, email));
  }
  for (const name of Object.keys(inv.account?.features ?? {}).sort()) out.push(formatAccountAddress(name));
  return out;
}

/** The owned parts of a pipeline: couplings, stage configs, review apps. */
function pipelinePartAddresses(key: string, p: InventoryPipeline): Address[] {
  return [
    ...Object.keys(p.couplings).sort().map((a) => formatPipelineAddress(key, a)),
    ...Object.keys(p.stageConfig ?? {}).sort().map((stage) => formatPipelineAddress(key, { config: stage })),
    ...(p.reviewApps ? [formatPipelineAddress(key, { reviewApps: true })] : []),
  ];
}

/** One inventory entry an address refers to. */
export interface InventoryMatch {
  /** The canonical address of the entry. */
  address: Address;
  app: string;
  kind: ResourceKind;
  /** The key inside its record (a drain's id for drains); absent for the app and for a whole group. */
  key?: string;
  /** The stored entry (a copy). */
  entry: unknown;
}

/**
 * What an address refers to: `app.<key>` (the app with everything under it),
 * `app.<key>/<kind>` (the whole group), or `app.<key>/<kind>.<key>`. A drain
 * is found by its masked URL or its id; several drains may share a masked
 * URL, then all of them match (callers refuse the ambiguity).
 */
export function findAddress(inv: Inventory, address: string): InventoryMatch[] {
  const pipeline = parsePipelineAddress(address.trim());
  if (pipeline) return findPipelineAddress(inv, pipeline);
  const member = parseMemberAddress(address.trim());
  if (member) {
    const members = inv.teams?.[member.team]?.members ?? {};
    return Object.keys(members)
      .filter((email) => member.email === undefined || email === member.email)
      .sort()
      .map((email) => ({ address: formatMemberAddress(member.team, email), app: member.team, kind: 'member' as const, key: email, entry: structuredClone(members[email]) }));
  }
  const account = parseAccountAddress(address.trim());
  if (account) {
    const features = inv.account?.features ?? {};
    return Object.keys(features)
      .filter((name) => account.feature === undefined || name === account.feature)
      .sort()
      .map((name) => ({ address: formatAccountAddress(name), app: 'account', kind: 'account-feature' as const, key: name, entry: structuredClone(features[name]) }));
  }
  const parsed = parseAddress(address.trim());
  if (!parsed) return [];
  const app = inv.apps[parsed.app];
  if (!app) return [];
  const copy = <T>(v: T): T => structuredClone(v);
  if (parsed.kind === 'app') return [{ address: formatAddress(parsed.app), app: parsed.app, kind: 'app', entry: copy(app) }];
  if (parsed.kind === 'team') {
    return (app.team !== undefined || app.locked !== undefined) && parsed.key === undefined
      ? [{ address: formatAddress(parsed.app, 'team'), app: parsed.app, kind: 'team', entry: { ...(app.team !== undefined ? { team: app.team } : {}), ...(app.locked !== undefined ? { locked: app.locked } : {}) } }]
      : [];
  }
  if (parsed.kind === 'acm') {
    return app.acm !== undefined && parsed.key === undefined ? [{ address: formatAddress(parsed.app, 'acm'), app: parsed.app, kind: 'acm', entry: app.acm }] : [];
  }
  if (parsed.kind === 'buildpacks') {
    return app.buildpacks && parsed.key === undefined ? [{ address: formatAddress(parsed.app, 'buildpacks'), app: parsed.app, kind: 'buildpacks', entry: copy(app.buildpacks) }] : [];
  }
  const record = recordOf(app, parsed.kind);
  if (parsed.key === undefined) {
    return [{ address: formatAddress(parsed.app, parsed.kind), app: parsed.app, kind: parsed.kind, entry: copy(record) }];
  }
  if (parsed.kind === 'drain') {
    const wanted = parsed.key;
    return Object.entries(app.drains)
      .filter(([id, d]) => d.maskedUrl === wanted || id === wanted || d.maskedUrl === maskUrlUserinfo(wanted))
      .map(([id, d]) => ({ address: formatAddress(parsed.app, 'drain', d.maskedUrl), app: parsed.app, kind: 'drain' as const, key: id, entry: copy(d) }));
  }
  const entry = (record as Record<string, unknown>)[parsed.key];
  if (entry === undefined || !Object.hasOwn(record, parsed.key)) return [];
  return [{ address: formatAddress(parsed.app, parsed.kind, parsed.key), app: parsed.app, kind: parsed.kind, key: parsed.key, entry: copy(entry) }];
}

function recordOf(app: InventoryApp, kind: RecordKind): Record<string, unknown> {
  switch (kind) {
    case 'collaborator':
      return app.collaborators ?? {};
    case 'webhook':
      return app.webhooks ?? {};
    case 'attachment':
      return app.attachments ?? {};
    case 'feature':
      return app.features ?? {};
    case 'certificate':
      return app.certificates ?? {};
    case 'config':
      return app.config;
    case 'addon':
      return app.addons;
    case 'domain':
      return app.domains;
    case 'drain':
      return app.drains;
    case 'formation':
      return app.formation;
  }
}

/** `pipeline.<key>` (with its parts), `pipeline.<key>/coupling.<app>`, `/config.<stage>` or `/review-apps`; `app` of the match is the pipeline key. */
function findPipelineAddress(inv: Inventory, parsed: NonNullable<ReturnType<typeof parsePipelineAddress>>): InventoryMatch[] {
  const p = inv.pipelines?.[parsed.pipeline];
  if (!p) return [];
  if (parsed.config !== undefined) {
    const c = p.stageConfig?.[parsed.config];
    return c ? [{ address: formatPipelineAddress(parsed.pipeline, { config: parsed.config }), app: parsed.pipeline, kind: 'stage-config', key: parsed.config, entry: structuredClone(c) }] : [];
  }
  if (parsed.reviewApps) {
    return p.reviewApps ? [{ address: formatPipelineAddress(parsed.pipeline, { reviewApps: true }), app: parsed.pipeline, kind: 'review-apps', entry: structuredClone(p.reviewApps) }] : [];
  }
  if (parsed.coupling === undefined) return [{ address: formatPipelineAddress(parsed.pipeline), app: parsed.pipeline, kind: 'pipeline', entry: structuredClone(p) }];
  const c = p.couplings[parsed.coupling];
  if (!c || !Object.hasOwn(p.couplings, parsed.coupling)) return [];
  return [
    {
      address: formatPipelineAddress(parsed.pipeline, parsed.coupling),
      app: parsed.pipeline,
      kind: 'coupling',
      key: parsed.coupling,
      entry: structuredClone(c),
    },
  ];
}

export interface ForgetResult {
  /** A new inventory without the forgotten entries (the input is not changed). */
  inventory: Inventory;
  /** Addresses of every entry removed, children of an app or group included. */
  removed: Address[];
}

/**
 * Removes what an address refers to, so that dynoform stops managing it (an
 * app goes with all its children, a group with all its entries). Nothing on
 * Heroku changes. An address that matches nothing removes nothing.
 */
export function forgetAddress(inv: Inventory, address: string): ForgetResult {
  const matches = findAddress(inv, address);
  const next = cloneInventory(inv);
  const removed: Address[] = [];
  for (const m of matches) {
    if (m.kind === 'member' || m.kind === 'account-feature') {
      // Matches of these kinds always carry their key (one entry each).
      if (m.kind === 'member') delete next.teams?.[m.app]?.members[m.key!];
      else delete next.account?.features[m.key!];
      removed.push(m.address);
      continue;
    }
    if (m.kind === 'pipeline' || m.kind === 'coupling' || m.kind === 'stage-config' || m.kind === 'review-apps') {
      const p = next.pipelines?.[m.app];
      if (!p) continue;
      if (m.kind === 'pipeline') {
        removed.push(m.address, ...pipelinePartAddresses(m.app, p));
        delete next.pipelines![m.app];
      } else if (m.kind === 'stage-config') {
        removed.push(m.address);
        if (p.stageConfig && m.key !== undefined) delete p.stageConfig[m.key];
      } else if (m.kind === 'review-apps') {
        removed.push(m.address);
        delete p.reviewApps;
      } else if (m.key !== undefined) {
        removed.push(m.address);
        delete p.couplings[m.key];
      }
      continue;
    }
    const app = next.apps[m.app];
    if (!app) continue;
    if (m.kind === 'app') {
      removed.push(...listAddresses({ ...next, apps: { [m.app]: app } }));
      delete next.apps[m.app];
    } else if (m.kind === 'buildpacks') {
      removed.push(m.address);
      delete app.buildpacks;
    } else if (m.kind === 'acm') {
      removed.push(m.address);
      delete app.acm;
    } else if (m.kind === 'team') {
      removed.push(m.address);
      delete app.team;
      delete app.locked;
    } else if (m.key === undefined) {
      const record = recordOf(app, m.kind);
      for (const k of childKeys(app, m.kind)) removed.push(formatAddress(m.app, m.kind, k));
      for (const k of Object.keys(record)) delete record[k];
    } else {
      removed.push(m.address);
      delete recordOf(app, m.kind)[m.key];
    }
  }
  return { inventory: next, removed };
}

/** JSON with a stable key order: version, lineage, serial, apps first, then every object's keys sorted. */
export function serializeInventory(inv: Inventory): string {
  const { version, lineage, serial, environment, apps, ...rest } = inv;
  const ordered = { version, lineage, serial, ...(environment !== undefined ? { environment } : {}), apps: sortKeys(apps), ...(sortKeys(rest) as object) };
  return JSON.stringify(ordered, null, 2) + '\n';
}

/** Pretty JSON with every object's keys sorted (for `state show`). */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * The first thing wrong with a would-be inventory, as `path: problem`, or
 * undefined when it is well-formed. Unknown extra fields are allowed (newer
 * optional fields); a fingerprint that is not one (a raw value) is not.
 */
export function checkInventory(value: unknown): string | undefined {
  if (!isObject(value)) return 'the top level must be an object';
  if (!Number.isInteger(value.version) || (value.version as number) < 1) return 'version: must be a positive whole number';
  if (typeof value.lineage !== 'string' || value.lineage === '') return 'lineage: must be a non-empty string';
  if (!Number.isSafeInteger(value.serial) || (value.serial as number) < 0) return 'serial: must be a whole number >= 0';
  if (value.environment !== undefined && (typeof value.environment !== 'string' || !/^[a-z][a-z0-9-]{0,39}$/.test(value.environment))) {
    return 'environment: must be an environment name (lower-case letters, digits and "-")';
  }
  if (!isObject(value.apps)) return 'apps: must be an object';
  // Then the structure and every map's keys (a `__proto__` app key stops here) before the apps are read.
  const structural = stateSchemaProblem(value);
  if (structural) return structural;
  for (const [key, app] of Object.entries(value.apps)) {
    if (!isObject(app)) return `apps.${key}: must be an object`;
    const problem = checkApp(app);
    if (problem) return `apps.${key}.${problem}`;
  }
  if (value.pipelines !== undefined) {
    if (!isObject(value.pipelines)) return 'pipelines: must be an object';
    for (const [key, p] of Object.entries(value.pipelines)) {
      if (!isObject(p)) return `pipelines.${key}: must be an object`;
      const problem = checkPipeline(p);
      if (problem) return `pipelines.${key}.${problem}`;
    }
  }
  return undefined;
}

function checkPipeline(p: Record<string, unknown>): string | undefined {
  for (const f of ['key', 'id', 'name'] as const) if (typeof p[f] !== 'string') return `${f}: must be a string`;
  for (const f of ['protect', 'created'] as const) if (typeof p[f] !== 'boolean') return `${f}: must be true or false`;
  if (!isObject(p.couplings)) return 'couplings: must be an object';
  for (const [k, c] of Object.entries(p.couplings)) {
    if (!isObject(c)) return `couplings.${k}: must be an object`;
    for (const f of ['id', 'appId', 'stage'] as const) if (typeof c[f] !== 'string') return `couplings.${k}.${f}: must be a string`;
  }
  return undefined;
}

function checkApp(app: Record<string, unknown>): string | undefined {
  for (const f of ['key', 'id', 'name'] as const) if (typeof app[f] !== 'string') return `${f}: must be a string`;
  for (const f of ['protect', 'created'] as const) if (typeof app[f] !== 'boolean') return `${f}: must be true or false`;
  for (const f of ['region', 'stack'] as const) if (app[f] !== undefined && typeof app[f] !== 'string') return `${f}: must be a string`;
  if (app.maintenance !== undefined && typeof app.maintenance !== 'boolean') return 'maintenance: must be true or false';
  for (const f of ['config', 'addons', 'domains', 'drains', 'formation'] as const) if (!isObject(app[f])) return `${f}: must be an object`;
  for (const [k, c] of Object.entries(app.config as Record<string, unknown>)) {
    if (!isObject(c)) return `config.${k}: must be an object`;
    if (typeof c.secret !== 'boolean') return `config.${k}.secret: must be true or false`;
    if (!isFingerprint(c.fingerprint)) return `config.${k}.fingerprint: must be a sha256:, hmac:, unkeyed: or scrypt: fingerprint`;
  }
  for (const [k, a] of Object.entries(app.addons as Record<string, unknown>)) {
    if (!isObject(a)) return `addons.${k}: must be an object`;
    for (const f of ['id', 'name', 'plan'] as const) if (typeof a[f] !== 'string') return `addons.${k}.${f}: must be a string`;
    if (a.attachment !== undefined && typeof a.attachment !== 'string') return `addons.${k}.attachment: must be a string`;
  }
  for (const [k, d] of Object.entries(app.domains as Record<string, unknown>)) {
    if (!isObject(d)) return `domains.${k}: must be an object`;
    for (const f of ['id', 'hostname'] as const) if (typeof d[f] !== 'string') return `domains.${k}.${f}: must be a string`;
  }
  for (const [k, d] of Object.entries(app.drains as Record<string, unknown>)) {
    if (!isObject(d)) return `drains.${k}: must be an object`;
    if (typeof d.id !== 'string') return `drains.${k}.id: must be a string`;
    if (!isFingerprint(d.urlFingerprint)) return `drains.${k}.urlFingerprint: must be a sha256:, hmac:, unkeyed: or scrypt: fingerprint`;
    if (typeof d.maskedUrl !== 'string') return `drains.${k}.maskedUrl: must be a string`;
    if (maskUrlUserinfo(d.maskedUrl) !== d.maskedUrl) return `drains.${k}.maskedUrl: holds credentials (must be masked)`;
  }
  for (const [k, f] of Object.entries(app.formation as Record<string, unknown>)) {
    if (!isObject(f)) return `formation.${k}: must be an object`;
    if (f.quantity !== undefined && (!Number.isInteger(f.quantity) || (f.quantity as number) < 0)) return `formation.${k}.quantity: must be a whole number >= 0`;
    if (f.size !== undefined && typeof f.size !== 'string') return `formation.${k}.size: must be a string`;
  }
  if (app.buildpacks !== undefined && !(Array.isArray(app.buildpacks) && app.buildpacks.every((b) => typeof b === 'string'))) {
    return 'buildpacks: must be a list of strings';
  }
  if (app.team !== undefined && typeof app.team !== 'string') return 'team: must be a string';
  if (app.locked !== undefined && typeof app.locked !== 'boolean') return 'locked: must be true or false';
  if (app.collaborators !== undefined) {
    if (!isObject(app.collaborators)) return 'collaborators: must be an object';
    for (const [k, c] of Object.entries(app.collaborators)) {
      if (!isObject(c) || typeof c.id !== 'string') return `collaborators.${k}.id: must be a string`;
      if (c.permissions !== undefined && !(Array.isArray(c.permissions) && c.permissions.every((x) => typeof x === 'string'))) return `collaborators.${k}.permissions: must be a list of strings`;
    }
  }
  if (app.webhooks !== undefined) {
    if (!isObject(app.webhooks)) return 'webhooks: must be an object';
    for (const [k, w] of Object.entries(app.webhooks)) {
      if (!isObject(w)) return `webhooks.${k}: must be an object`;
      for (const f of ['id', 'level', 'updatedAt'] as const) if (typeof w[f] !== 'string') return `webhooks.${k}.${f}: must be a string`;
      if (!(Array.isArray(w.include) && w.include.every((x) => typeof x === 'string'))) return `webhooks.${k}.include: must be a list of strings`;
      for (const f of ['secret', 'authorization'] as const) {
        // Only a keyed or unkeyed secret fingerprint: a literal one would be a plain hash of the secret.
        if (w[f] !== undefined && !(isFingerprint(w[f]) && !(w[f] as string).startsWith(LITERAL_PREFIX))) return `webhooks.${k}.${f}: must be a secret fingerprint`;
      }
    }
  }
  if (app.attachments !== undefined) {
    if (!isObject(app.attachments)) return 'attachments: must be an object';
    for (const [k, a] of Object.entries(app.attachments)) {
      if (!isObject(a)) return `attachments.${k}: must be an object`;
      for (const f of ['id', 'addonId', 'app', 'addon'] as const) if (typeof a[f] !== 'string') return `attachments.${k}.${f}: must be a string`;
    }
  }
  if (app.acm !== undefined && typeof app.acm !== 'boolean') return 'acm: must be true or false';
  if (app.certificates !== undefined) {
    if (!isObject(app.certificates)) return 'certificates: must be an object';
    for (const [k, c] of Object.entries(app.certificates)) {
      if (!isObject(c)) return `certificates.${k}: must be an object`;
      for (const f of ['id', 'name', 'fingerprint'] as const) if (typeof c[f] !== 'string') return `certificates.${k}.${f}: must be a string`;
      if (c.keyFingerprint !== undefined && !isFingerprint(c.keyFingerprint)) return `certificates.${k}.keyFingerprint: must be a sha256:, hmac:, unkeyed: or scrypt: fingerprint`;
    }
  }
  if (app.features !== undefined) {
    if (!isObject(app.features)) return 'features: must be an object';
    for (const [k, f] of Object.entries(app.features)) {
      if (!isObject(f) || typeof f.enabled !== 'boolean') return `features.${k}.enabled: must be true or false`;
    }
  }
  return undefined;
}

function isFingerprint(v: unknown): boolean {
  return typeof v === 'string' && [LITERAL_PREFIX, KEYED_PREFIX, UNKEYED, LEGACY_SECRET_PREFIX].some((p) => v.startsWith(p)) && !/\s/.test(v);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export type ParsedState =
  | { ok: true; inventory: Inventory }
  | { ok: false; kind: 'corrupt'; problem: string }
  | { ok: false; kind: 'newer'; version: number };

/** Parses stored state text: refuses non-JSON, malformed inventories and newer versions (checked before the shape, which may have changed). */
export function parseInventory(text: string): ParsedState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, kind: 'corrupt', problem: `not valid JSON (${(err as Error).message})` };
  }
  return checkParsed(value);
}

/** As parseInventory, for an already-parsed value (e.g. jsonb from postgres). */
export function checkParsed(value: unknown): ParsedState {
  if (isObject(value) && Number.isInteger(value.version) && (value.version as number) > INVENTORY_VERSION) {
    return { ok: false, kind: 'newer', version: value.version as number };
  }
  const problem = checkInventory(value);
  if (problem) return { ok: false, kind: 'corrupt', problem };
  return { ok: true, inventory: value as unknown as Inventory };
}
