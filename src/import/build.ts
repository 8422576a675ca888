import type { DirectoryImport } from './members.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { LiveAddon, LiveApp } from '../model/live.js';
import { maskUrlUserinfo } from '../util/mask.js';
import type { ImportedPipeline } from './pipelines.js';
import { DEFAULT_SECRET_RULE, describeSecretReason, envNameFor, secretReason, valueSecretReason, type SecretReason, type SecretRule } from './secret-rule.js';

/**
 * Pure: what `dynoform import` declares for live apps. Everything here is
 * chosen so that the first plan after the import is empty: the same
 * identities the planner matches by (attachment names, hostnames, drain
 * URLs), the values exactly as live, and add-on config vars left out.
 */

export interface ImportOptions {
  /** Write every config value (and credentialed drain URL) as a literal, secret-looking or not. */
  includeValues: boolean;
  /** Which values are secret-looking (secret-rule.ts): those become `${env:…}` references. Default: the default patterns. */
  secretRule?: SecretRule;
}

export interface ImportedConfig {
  key: string;
  /** The live value: fingerprinted into state, written to YAML only with includeValues. */
  value: string;
  /** The environment variable the YAML refers to, when not a literal. */
  envName?: string;
  /** Marked sensitive by the source (a Terraform `sensitive_*` attribute): never a literal. */
  sensitive?: boolean;
}

export interface ImportedAddon {
  /** The key under `addons:`: the attachment name lower-cased. */
  key: string;
  id: string;
  name: string;
  plan: string;
  /** Attachment name on this app. */
  as: string;
  /** Write `name:` (a name someone chose, not one Heroku generated). */
  declareName?: boolean;
  /** Provisioning options to declare (literals only: the loader reads no `${env:…}` there). */
  config?: Record<string, string>;
}

export interface ImportedFormation {
  type: string;
  quantity: number;
  size: string;
}

export interface ImportedDomain {
  id: string;
  hostname: string;
  /** Declared certificate (name or id; null = none); undefined = not managed. */
  sniEndpoint?: string | null;
}

/** An SNI endpoint, imported under its Heroku name; its chain goes to a file beside the YAML. */
export interface ImportedCertificate {
  key: string;
  id: string;
  chain: string;
  fingerprint: string;
  /** Where the chain is written, relative to the YAML file. */
  file: string;
  /** The variable the YAML reads the private key from (the API never returns a key). */
  envName?: string;
}

export interface ImportedDrain {
  id: string;
  url: string;
  maskedUrl: string;
  /** Set when the URL holds credentials and values are not included. */
  envName?: string;
  /** Marked sensitive by the source (Terraform's `sensitive_url`): never a literal. */
  sensitive?: boolean;
}

export interface ImportedApp {
  key: string;
  live: LiveApp;
  region: string;
  stack: string;
  /** Undefined: not declared (a source that does not manage it, such as Terraform). */
  maintenance?: boolean;
  config: ImportedConfig[];
  addons: ImportedAddon[];
  formation: ImportedFormation[];
  domains: ImportedDomain[];
  drains: ImportedDrain[];
  /** The buildpack list in order; absent when the app has none (then it is not managed). */
  buildpacks?: string[];
  /** Enabled features: the ones a user turned on (every app lists dozens that are off). */
  features: string[];
  /** Features declared off (a Terraform heroku_app_feature with enabled = false). */
  disabledFeatures?: string[];
  /** The owning team, and its lock when it is a team app. */
  team?: string;
  locked?: boolean;
  /** Collaborators (not the owner, not team admins), with permissions on team apps. */
  collaborators?: Array<{ id: string; email: string; permissions?: string[] }>;
  /** Webhooks as the API shows them (never their secret or authorization). */
  webhooks?: Array<{ id: string; url: string; include: string[]; level: string; updatedAt: string }>;
  /** Attachments of add-ons billed to another imported app, by the owner's key and add-on key. */
  attachments?: Array<{ id: string; name: string; addonId: string; app: string; addon: string }>;
  certificates?: ImportedCertificate[];
  /** Written only when on (off is how every app starts). */
  acm?: boolean;
}

export interface EnvVarNeeded {
  name: string;
  /** What it feeds, for the message: `shop/config.SECRET_KEY_BASE`. */
  uses: string[];
  /** Why it is not a literal, for the message: `key matches *SECRET*`. */
  why: string;
}

export interface ImportPlan {
  apps: ImportedApp[];
  /** With `import --pipeline`: the pipelines, coupling the apps above. */
  pipelines?: ImportedPipeline[];
  /** With `import --team` / `--account-features`: members and enabled account features. */
  directory?: DirectoryImport;
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
  linkSharedAddons(imported, diagnostics);
  const env = assignEnvNames(imported, opts);
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
    // Another app's add-on is declared there; here only its attachments are (linkSharedAddons).
    if (a.appId !== l.id) continue;
    const as = names[0] ?? defaultAttachment(a);
    addons.push({ key: as.toLowerCase(), id: a.id, name: a.name, plan: a.plan, as });
  }

  const formation = [...l.formation]
    .sort((x, y) => cmp(x.type, y.type))
    .map((f) => ({ type: f.type, quantity: f.quantity, size: canonicalSize(f.size) ?? f.size }));

  const certificates = (l.sniEndpoints ?? [])
    .map((e) => ({ key: e.name, id: e.id, chain: e.chain, fingerprint: e.fingerprint, file: `certs/${key}-${e.name}.pem` }))
    .sort((x, y) => cmp(x.key, y.key));
  const endpointNames = new Set(certificates.map((c) => c.key));
  const domains = l.domains
    .filter((d) => d.kind === 'custom')
    // A domain naming an imported endpoint names its certificate (whose key is the endpoint's name).
    .map((d) => ({ id: d.id, hostname: d.hostname.toLowerCase(), ...(d.sniEndpoint !== null && endpointNames.has(d.sniEndpoint) ? { sniEndpoint: d.sniEndpoint } : {}) }))
    .sort((x, y) => cmp(x.hostname, y.hostname));

  const drains = l.drains
    .filter((d) => d.addonId === undefined)
    .map((d) => ({ id: d.id, url: d.url, maskedUrl: maskUrlUserinfo(d.url) }))
    .sort((x, y) => cmp(x.maskedUrl, y.maskedUrl));

  let buildpacks: string[] | undefined = l.buildpacks && l.buildpacks.list.length > 0 ? [...l.buildpacks.list] : undefined;
  if (buildpacks?.some((b) => maskUrlUserinfo(b) !== b)) {
    diagnostics.push({
      severity: 'warning',
      code: 'import-buildpacks-skipped',
      message: `${l.name}: the buildpack list was left out: a buildpack URL holds credentials, which the YAML does not take`,
      address: `app.${key}/buildpacks`,
    });
    buildpacks = undefined;
  }
  if (l.webhooks && l.webhooks.length > 0) {
    diagnostics.push({
      severity: 'info',
      code: 'import-webhook-secrets',
      message: `${l.name}: ${l.webhooks.length === 1 ? 'its webhook is' : `its ${l.webhooks.length} webhooks are`} written without secret and authorization: the API never shows them; add secret: \${env:NAME} (and authorization:) to a webhook to manage them`,
      address: `app.${key}`,
    });
  }
  const features = (l.features ?? [])
    .filter((f) => f.enabled)
    .map((f) => f.name)
    .sort(cmp);

  return {
    key,
    live: l,
    region: l.region,
    stack: l.buildStack,
    maintenance: l.maintenance,
    config,
    addons,
    formation,
    domains,
    drains,
    ...(buildpacks ? { buildpacks } : {}),
    features,
    ...(certificates.length > 0 ? { certificates } : {}),
    ...(l.acm === true ? { acm: true } : {}),
    ...(l.team !== undefined ? { team: l.team, ...(l.locked !== undefined ? { locked: l.locked } : {}) } : {}),
    collaborators: (l.collaborators ?? [])
      .filter((c) => c.role !== 'owner' && c.role !== 'admin')
      .map((c) => ({ id: c.id, email: c.email, ...(l.team !== undefined ? { permissions: [...c.permissions] } : {}) }))
      .sort((x, y) => cmp(x.email, y.email)),
    ...(l.webhooks && l.webhooks.length > 0 ? { webhooks: [...l.webhooks].sort((x, y) => cmp(x.url, y.url)).map((w) => ({ ...w, include: [...w.include] })) } : {}),
  };
}

/**
 * An attachment of an add-on billed to another app is declared under
 * `attachments:` when that app is imported too (the YAML names its add-on
 * by the owner's key); otherwise it is left out, saying why. Owning the
 * add-on itself from here would let this app's YAML delete another app's
 * data.
 */
function linkSharedAddons(apps: ImportedApp[], diagnostics: Diagnostic[]): void {
  const owners = new Map(apps.map((a) => [a.live.id, a]));
  for (const app of apps) {
    const l = app.live;
    const out: NonNullable<ImportedApp['attachments']> = [];
    for (const a of [...l.addons].sort((x, y) => cmp(x.name, y.name))) {
      if (a.appId === l.id || a.state === 'deprovisioned') continue;
      const here = a.attachments.filter((t) => t.appId === l.id).sort((x, y) => cmp(x.name, y.name));
      const owner = owners.get(a.appId);
      const addon = owner?.addons.find((x) => x.id === a.id);
      if (!owner || !addon) {
        diagnostics.push({
          severity: 'info',
          code: 'import-shared-addon-skipped',
          message: `${l.name}: add-on ${a.name} (${a.plan}) is billed to ${a.appName} and only attached here${here.length ? ` as ${here.map((t) => t.name).join(', ')}` : ''}: left out (import ${a.appName} in the same run to declare the attachment)`,
        });
        continue;
      }
      for (const t of here) out.push({ id: t.id, name: t.name, addonId: a.id, app: owner.key, addon: addon.key });
    }
    if (out.length > 0) app.attachments = out;
  }
}

/** An add-on billed here with no attachment on this app: Heroku's own name for it would be its service's. */
function defaultAttachment(a: LiveAddon): string {
  const prefix = a.configVars[0]?.replace(/_URL$/, '');
  return prefix && /^[A-Za-z][A-Za-z0-9_]*$/.test(prefix) ? prefix : a.service.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/**
 * Decides literal or reference for every config value and drain URL, and
 * names the references. A value is a reference when its source marked it
 * sensitive or the secret rule says it looks secret; with includeValues
 * only source-marked values are. Names are `<APP>__<KEY>` (secret-rule.ts),
 * drains `<APP>__LOG_DRAIN_URL` (`_2`, …); a name that two different values
 * would share gets a counter, so one shell can feed every imported app.
 */
export function assignEnvNames(apps: readonly ImportedApp[], opts: Pick<ImportOptions, 'includeValues' | 'secretRule'>, pipelines: readonly ImportedPipeline[] = []): EnvVarNeeded[] {
  interface Want {
    preferred: string;
    value: string;
    why: string;
    set: (name: string) => void;
    use: string;
  }
  const wants: Want[] = [];
  const rule = opts.secretRule ?? DEFAULT_SECRET_RULE;
  const decide = (sensitive: boolean | undefined, reason: () => SecretReason | undefined): string | undefined => {
    if (sensitive) return 'marked sensitive in Terraform';
    if (opts.includeValues) return undefined;
    const r = reason();
    return r ? describeSecretReason(r) : undefined;
  };
  for (const app of apps) {
    const appName = app.live.name;
    for (const c of app.config) {
      delete c.envName;
      const why = decide(c.sensitive, () => secretReason(rule, c.key, c.value));
      if (why !== undefined) wants.push({ preferred: envNameFor(appName, c.key), value: c.value, why, set: (n) => (c.envName = n), use: `${app.key}/config.${c.key}` });
    }
    for (const c of app.certificates ?? []) {
      // Never readable from the API: always a variable, whatever the rule (the value only keeps names apart).
      wants.push({
        preferred: envNameFor(appName, `${c.key}_PRIVATE_KEY`),
        value: `\u0000certificate:${c.id}`,
        why: 'the private key of an SNI endpoint (the API never returns it)',
        set: (name) => (c.envName = name),
        use: `${app.key}/certificate.${c.key}`,
      });
    }
    let n = 0;
    for (const d of app.drains) {
      delete d.envName;
      const why = decide(d.sensitive, () => valueSecretReason(d.url));
      if (why === undefined) continue;
      n += 1;
      const base = envNameFor(appName, 'LOG_DRAIN_URL');
      wants.push({ preferred: n === 1 ? base : `${base}_${n}`, value: d.url, why, set: (name) => (d.envName = name), use: `${app.key}/drain.${d.maskedUrl}` });
    }
  }
  for (const p of pipelines) {
    for (const [stage, vars] of Object.entries(p.config)) {
      for (const c of vars) {
        delete c.envName;
        const why = decide(c.sensitive, () => secretReason(rule, c.key, c.value));
        // `<PIPELINE>_<STAGE>__<KEY>`: the stage keeps review and CI values of one key apart.
        if (why !== undefined) wants.push({ preferred: envNameFor(`${p.name}-${stage}`, c.key), value: c.value, why, set: (n) => (c.envName = n), use: `pipeline.${p.key}/config.${stage}.${c.key}` });
      }
    }
  }
  const taken = new Map<string, string>(); // name → value
  const out = new Map<string, EnvVarNeeded>();
  for (const w of wants) {
    let name = w.preferred;
    // Two different values must never share a name (LOG_DRAIN_URL may also be a config key).
    for (let i = 2; taken.has(name) && taken.get(name) !== w.value; i++) name = `${w.preferred}_${i}`;
    taken.set(name, w.value);
    w.set(name);
    const e = out.get(name);
    if (e) e.uses.push(w.use);
    else out.set(name, { name, uses: [w.use], why: w.why });
  }
  return [...out.values()].sort((a, b) => cmp(a.name, b.name));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
