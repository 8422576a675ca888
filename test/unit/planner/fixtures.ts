import { createHash } from 'node:crypto';
import type { DesiredApp, DesiredConfigValue, DesiredState } from '../../../src/model/desired.js';
import type { Inventory, InventoryApp } from '../../../src/model/inventory.js';
import type { LiveAddon, LiveApp, LiveDomain, LiveDrain, LiveFormation, LiveState } from '../../../src/model/live.js';
import type { Change, Plan } from '../../../src/model/plan.js';
import { createPlan } from '../../../src/planner/index.js';
import type { PlannerInput } from '../../../src/planner/index.js';
import type { FingerprintFn } from '../../../src/planner/context.js';

/**
 * Builders for planner inputs. Each takes only what a test cares about and
 * fills the rest with plausible values, so a test reads as its scenario.
 */

/** Deterministic stand-in for the real fingerprinter's `sync`: distinct prefixes, never the value itself. */
export function fingerprint(value: string, secret: boolean): string {
  const h = createHash('sha256').update(value).digest('hex');
  return secret ? `hmac:testkey:salt:${h.slice(0, 24)}` : `sha256:${h}`;
}

/** The planner's fingerprinter, deterministic so that plans compare byte for byte; keyed under `testkey`. */
export const fingerprints: FingerprintFn = {
  keyed: true,
  sync: fingerprint,
  compare(value, _secret, fp) {
    if (fp.startsWith('sha256:')) return fp === fingerprint(value, false) ? 'same' : 'different';
    if (fp.startsWith('hmac:testkey:')) return fp === fingerprint(value, true) ? 'same' : 'different';
    return 'unknown';
  },
  matches(value, secret, fp) {
    return this.compare(value, secret, fp) === 'same';
  },
  isCurrent: (fp) => fp.startsWith('sha256:') || fp.startsWith('hmac:testkey:'),
  guard: (fields) => `gk:testkey:salt:${createHash('sha256').update(JSON.stringify(Object.entries(fields).sort())).digest('hex').slice(0, 24)}`,
};

let nextId = 1;
/** A UUID-shaped id, unique within the test run. */
export function uuid(prefix = '0'): string {
  const n = String(nextId++).padStart(12, '0');
  return `${prefix.padEnd(8, '0').slice(0, 8)}-0000-4000-8000-${n}`;
}

export function lit(value: string): DesiredConfigValue {
  return { value, secret: false };
}

export function secret(value: string, envRefs: string[] = ['SECRET_ENV']): DesiredConfigValue {
  return { value, secret: true, envRefs };
}

type ConfigInput = Record<string, string | DesiredConfigValue>;

export function desiredApp(key: string, over: Partial<Omit<DesiredApp, 'config'>> & { config?: ConfigInput } = {}): DesiredApp {
  const config: Record<string, DesiredConfigValue> = {};
  for (const [k, v] of Object.entries(over.config ?? {})) config[k] = typeof v === 'string' ? lit(v) : v;
  return {
    key,
    name: over.name ?? key,
    protect: over.protect ?? true,
    configMode: over.configMode ?? 'merge',
    addons: over.addons ?? {},
    formation: over.formation ?? {},
    domains: over.domains ?? [],
    drains: over.drains ?? [],
    ...(over.region !== undefined ? { region: over.region } : {}),
    ...(over.stack !== undefined ? { stack: over.stack } : {}),
    ...(over.maintenance !== undefined ? { maintenance: over.maintenance } : {}),
    ...(over.loc !== undefined ? { loc: over.loc } : {}),
    ...(over.fieldLocs !== undefined ? { fieldLocs: over.fieldLocs } : {}),
    ...(over.buildpacks !== undefined ? { buildpacks: over.buildpacks } : {}),
    ...(over.features !== undefined ? { features: over.features } : {}),
    config,
  };
}

export function liveApp(name: string, over: Partial<Omit<LiveApp, 'config'>> & { vars?: Record<string, string>; configEtag?: string } = {}): LiveApp {
  return {
    id: over.id ?? uuid('a'),
    name,
    region: over.region ?? 'us',
    stack: over.stack ?? 'heroku-24',
    buildStack: over.buildStack ?? over.stack ?? 'heroku-24',
    maintenance: over.maintenance ?? false,
    config: { vars: { ...(over.vars ?? {}) }, etag: over.configEtag ?? `"cfg-${name}"` },
    formation: over.formation ?? [],
    formationEtag: over.formationEtag ?? `"frm-${name}"`,
    domains: over.domains ?? [],
    drains: over.drains ?? [],
    addons: over.addons ?? [],
    addonConfigVars: over.addonConfigVars ?? [],
    ...(over.etag !== undefined ? { etag: over.etag } : {}),
    ...(over.buildpacks !== undefined ? { buildpacks: over.buildpacks } : {}),
    ...(over.features !== undefined ? { features: over.features } : {}),
  };
}

export function liveAddon(
  app: LiveApp,
  plan: string,
  over: Partial<LiveAddon> & { attachAs?: string | string[] } = {},
): LiveAddon {
  const id = over.id ?? uuid('b');
  const names = over.attachAs === undefined ? [] : Array.isArray(over.attachAs) ? over.attachAs : [over.attachAs];
  return {
    id,
    name: over.name ?? `${plan.split(':')[0]}-${id.slice(-4)}`,
    plan,
    service: plan.split(':')[0]!,
    state: over.state ?? 'provisioned',
    appId: over.appId ?? app.id,
    appName: over.appName ?? app.name,
    configVars: over.configVars ?? names.map((n) => `${n}_URL`),
    attachments:
      over.attachments ?? names.map((n) => ({ id: uuid('c'), name: n, appId: app.id, appName: app.name })),
  };
}

export function liveFormation(type: string, quantity: number, size = 'basic'): LiveFormation {
  return { id: uuid('f'), type, quantity, size };
}

export function liveDomain(hostname: string, over: Partial<LiveDomain> = {}): LiveDomain {
  return { id: over.id ?? uuid('d'), hostname, kind: over.kind ?? 'custom', sniEndpoint: over.sniEndpoint ?? null, cname: over.cname ?? `${hostname}.herokudns.com` };
}

export function liveDrain(url: string, over: Partial<LiveDrain> = {}): LiveDrain {
  return { id: over.id ?? uuid('e'), url, token: over.token ?? 'd.token', ...(over.addonId !== undefined ? { addonId: over.addonId } : {}) };
}

/** The state entry dynoform would hold for a live app it manages. */
export function invApp(key: string, live: Pick<LiveApp, 'id' | 'name'>, over: Partial<InventoryApp> = {}): InventoryApp {
  return {
    key,
    id: live.id,
    name: live.name,
    protect: over.protect ?? true,
    created: over.created ?? true,
    config: over.config ?? {},
    addons: over.addons ?? {},
    domains: over.domains ?? {},
    drains: over.drains ?? {},
    formation: over.formation ?? {},
    ...(over.region !== undefined ? { region: over.region } : {}),
    ...(over.buildpacks !== undefined ? { buildpacks: over.buildpacks } : {}),
    ...(over.features !== undefined ? { features: over.features } : {}),
  };
}

/** Marks config keys as owned, with the fingerprint of the value last applied. */
export function ownedConfig(values: Record<string, string | DesiredConfigValue>): InventoryApp['config'] {
  const out: InventoryApp['config'] = {};
  for (const [k, v] of Object.entries(values)) {
    const d = typeof v === 'string' ? lit(v) : v;
    out[k] = { fingerprint: fingerprint(d.value, d.secret), secret: d.secret };
  }
  return out;
}

export interface World {
  desired?: DesiredApp[];
  /** Live apps keyed by the app key they belong to (as the live reader returns them). */
  live?: Record<string, LiveApp>;
  inventory?: InventoryApp[];
  /** Other apps visible to the account (name → id), besides those in `live`. */
  otherApps?: Record<string, string>;
  rateLimitRemaining?: number;
  targets?: string[];
  lineage?: string;
  serial?: number;
}

export function input(w: World): PlannerInput {
  const desired: DesiredState = { apps: {}, files: ['dynoform.yaml'] };
  for (const a of w.desired ?? []) desired.apps[a.key] = a;
  const appIds: Record<string, string> = { ...(w.otherApps ?? {}) };
  for (const a of Object.values(w.live ?? {})) appIds[a.name] = a.id;
  const live: LiveState = { apps: { ...(w.live ?? {}) }, appIds, requests: 0, ...(w.rateLimitRemaining !== undefined ? { rateLimitRemaining: w.rateLimitRemaining } : {}) };
  const inventory: Inventory = { version: 1, lineage: w.lineage ?? 'lineage-1', serial: w.serial ?? 7, apps: {} };
  for (const a of w.inventory ?? []) inventory.apps[a.key] = a;
  return {
    desired,
    live,
    inventory,
    fingerprint: fingerprints,
    options: {
      apiUrl: 'https://api.heroku.com',
      dynoformVersion: '0.1.0-test',
      now: '2026-01-02T03:04:05.000Z',
      ...(w.targets ? { targets: w.targets } : {}),
    },
  };
}

export function plan(w: World): Plan {
  return createPlan(input(w));
}

/** The change at an address; fails the test when absent. */
export function change(p: Plan, address: string): Change {
  const c = p.changes.find((x) => x.address === address);
  if (!c) throw new Error(`no change at ${address}; the plan has: ${p.changes.map((x) => `${x.address} (${x.action})`).join(', ') || 'nothing'}`);
  return c;
}

export function addresses(p: Plan): string[] {
  return p.changes.map((c) => c.address);
}

/** A managed app in sync: live, state and YAML agree. The usual starting point. */
export function managed(key: string, over: { desired?: Parameters<typeof desiredApp>[1]; live?: Parameters<typeof liveApp>[1]; inv?: Partial<InventoryApp> } = {}) {
  const l = liveApp(over.desired?.name ?? key, over.live);
  const d = desiredApp(key, over.desired);
  const i = invApp(key, l, over.inv);
  return { live: l, desired: d, inv: i };
}
