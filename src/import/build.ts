import type { Diagnostic } from '../model/diagnostic.js';
import type { LiveAddon, LiveApp } from '../model/live.js';
import { maskUrlUserinfo } from '../util/mask.js';

/**
 * Pure: what `dynoform import` declares for live apps. Everything here is
 * chosen so that the first plan after the import is empty: the same
 * identities the planner matches by (attachment names, hostnames, drain
 * URLs), the values exactly as live, and add-on config vars left out.
 */

export interface ImportOptions {
  /** Write config values (and credentialed drain URLs) as literals instead of `${env:…}` references. */
  includeValues: boolean;
}

export interface ImportedConfig {
  key: string;
  /** The live value: fingerprinted into state, written to YAML only with includeValues. */
  value: string;
  /** The environment variable the YAML refers to, when not a literal. */
  envName?: string;
}

export interface ImportedAddon {
  /** The key under `addons:`: the attachment name lower-cased. */
  key: string;
  id: string;
  name: string;
  plan: string;
  /** Attachment name on this app. */
  as: string;
}

export interface ImportedFormation {
  type: string;
  quantity: number;
  size: string;
}

export interface ImportedDomain {
  id: string;
  hostname: string;
}

export interface ImportedDrain {
  id: string;
  url: string;
  maskedUrl: string;
  /** Set when the URL holds credentials and values are not included. */
  envName?: string;
}

export interface ImportedApp {
  key: string;
  live: LiveApp;
  region: string;
  stack: string;
  maintenance: boolean;
  config: ImportedConfig[];
  addons: ImportedAddon[];
  formation: ImportedFormation[];
  domains: ImportedDomain[];
  drains: ImportedDrain[];
}

export interface EnvVarNeeded {
  name: string;
  /** What it feeds, for the message: `shop/config.SECRET_KEY_BASE`. */
  uses: string[];
}

export interface ImportPlan {
  apps: ImportedApp[];
  /** Environment variables the YAML refers to, sorted by name. */
  env: EnvVarNeeded[];
  /** Things left out and why. */
  diagnostics: Diagnostic[];
}

const CONFIG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `Standard-1X` → `standard-1X` for the sizes the YAML knows; other names as they came. */
export type SizeCanonicaliser = (size: string) => string | undefined;

export function planImport(apps: readonly LiveApp[], opts: ImportOptions, canonicalSize: SizeCanonicaliser): ImportPlan {
  const diagnostics: Diagnostic[] = [];
  const imported = apps.map((app) => importApp(app, canonicalSize, diagnostics));
  const env = opts.includeValues ? [] : assignEnvNames(imported);
  return { apps: imported, env, diagnostics };
}

function importApp(l: LiveApp, canonicalSize: SizeCanonicaliser, diagnostics: Diagnostic[]): ImportedApp {
  const key = l.name;
  const addonVars = new Set(l.addonConfigVars);
  const config: ImportedConfig[] = [];
  for (const k of Object.keys(l.config.vars).sort()) {
    if (addonVars.has(k)) continue;
    if (!CONFIG_KEY.test(k)) {
      diagnostics.push({
        severity: 'warning',
        code: 'import-config-key-skipped',
        message: `${l.name}: config var ${k} was left out: dynoform config keys must match ${CONFIG_KEY.source}`,
        address: `app.${key}/config.${k}`,
      });
      continue;
    }
    config.push({ key: k, value: l.config.vars[k]! });
  }

  const addons: ImportedAddon[] = [];
  for (const a of [...l.addons].sort((x, y) => cmp(x.name, y.name))) {
    if (a.state === 'deprovisioned') continue;
    const names = a.attachments.filter((t) => t.appId === l.id).map((t) => t.name).sort(cmp);
    if (a.appId !== l.id) {
      // Owning a shared add-on would let this app's YAML delete another app's data.
      diagnostics.push({
        severity: 'info',
        code: 'import-shared-addon-skipped',
        message: `${l.name}: add-on ${a.name} (${a.plan}) is billed to ${a.appName} and only attached here${names.length ? ` as ${names.join(', ')}` : ''}: left out (import ${a.appName} to manage it)`,
      });
      continue;
    }
    const as = names[0] ?? defaultAttachment(a);
    addons.push({ key: as.toLowerCase(), id: a.id, name: a.name, plan: a.plan, as });
  }

  const formation = [...l.formation]
    .sort((x, y) => cmp(x.type, y.type))
    .map((f) => ({ type: f.type, quantity: f.quantity, size: canonicalSize(f.size) ?? f.size }));

  const domains = l.domains
    .filter((d) => d.kind === 'custom')
    .map((d) => ({ id: d.id, hostname: d.hostname.toLowerCase() }))
    .sort((x, y) => cmp(x.hostname, y.hostname));

  const drains = l.drains
    .filter((d) => d.addonId === undefined)
    .map((d) => ({ id: d.id, url: d.url, maskedUrl: maskUrlUserinfo(d.url) }))
    .sort((x, y) => cmp(x.maskedUrl, y.maskedUrl));

  return { key, live: l, region: l.region, stack: l.buildStack, maintenance: l.maintenance, config, addons, formation, domains, drains };
}

/** An add-on billed here with no attachment on this app: Heroku's own name for it would be its service's. */
function defaultAttachment(a: LiveAddon): string {
  const prefix = a.configVars[0]?.replace(/_URL$/, '');
  return prefix && /^[A-Za-z][A-Za-z0-9_]*$/.test(prefix) ? prefix : a.service.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/**
 * One environment variable per config value (named as the key) and per
 * drain URL with credentials (`LOG_DRAIN_URL`, `_2`, …). When apps imported
 * together use one name for different values, each gets the app's name as a
 * prefix (`SHOP_STAGING_SECRET_KEY_BASE`): one shell can then feed them all.
 */
function assignEnvNames(apps: ImportedApp[]): EnvVarNeeded[] {
  interface Want {
    preferred: string;
    value: string;
    app: ImportedApp;
    set: (name: string) => void;
    use: string;
  }
  const wants: Want[] = [];
  for (const app of apps) {
    for (const c of app.config) wants.push({ preferred: c.key, value: c.value, app, set: (n) => (c.envName = n), use: `${app.key}/config.${c.key}` });
    let n = 0;
    for (const d of app.drains) {
      if (d.maskedUrl === d.url) continue; // no credentials: a literal is fine
      n += 1;
      wants.push({ preferred: n === 1 ? 'LOG_DRAIN_URL' : `LOG_DRAIN_URL_${n}`, value: d.url, app, set: (name) => (d.envName = name), use: `${app.key}/drain.${d.maskedUrl}` });
    }
  }
  const valuesByName = new Map<string, Set<string>>();
  for (const w of wants) {
    const s = valuesByName.get(w.preferred) ?? new Set<string>();
    s.add(w.value);
    valuesByName.set(w.preferred, s);
  }
  const taken = new Map<string, string>(); // name → value
  const uses = new Map<string, string[]>();
  for (const w of wants) {
    let name = valuesByName.get(w.preferred)!.size > 1 ? `${envPrefix(w.app.key)}_${w.preferred}` : w.preferred;
    // Two different values must never share a name (a prefixed name could meet a real one).
    for (let i = 2; taken.has(name) && taken.get(name) !== w.value; i++) name = `${w.preferred}_${envPrefix(w.app.key)}_${i}`;
    taken.set(name, w.value);
    w.set(name);
    uses.set(name, [...(uses.get(name) ?? []), w.use]);
  }
  return [...uses.entries()].sort(([a], [b]) => cmp(a, b)).map(([name, u]) => ({ name, uses: u }));
}

function envPrefix(appKey: string): string {
  return appKey.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
