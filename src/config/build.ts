import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';
import type {
  ConfigMode,
  DesiredAddon,
  DesiredApp,
  DesiredBuildpack,
  DesiredCertificate,
  DesiredCollaborator,
  DesiredConfigValue,
  DesiredDomain,
  DesiredDrain,
  DesiredFormation,
  DesiredAttachment,
  DesiredWebhook,
} from '../model/desired.js';
import { dirname, isAbsolute, join } from 'node:path';
import { formatAddress } from '../util/address.js';
import { Code } from './codes.js';
import { interpolate, unescapeLiteral, type Interpolated } from './interpolate.js';
import {
  canonicalDynoSize,
  DRAIN_SCHEMES,
  DYNO_SIZES,
  isHerokuAppName,
  normaliseHostname,
  normalisePlan,
  RETIRED_DYNO_SIZES,
} from './rules.js';
import { didYouMean } from './suggest.js';
import { entryLoc, nodeLoc, type PEntry, type PMap, type PNode, type PSeq } from './tree.js';
import { maskUrlUserinfo } from '../util/mask.js';
import { buildpackKey } from '../util/buildpacks.js';

/** A path written in a YAML file, as seen from the working directory (the file's own name is shown relative to it). */
function beside(entry: PEntry, path: string): string {
  return isAbsolute(path) ? path : join(dirname(entryLoc(entry).file), path);
}

/** Whether a field (or one entry of it) failed the schema and must be left out. */
export type Spoiled = (field: string, item?: string) => boolean;

export interface BuildOptions {
  env: Record<string, string | undefined>;
  allowMissingEnv: boolean;
}

const q = (s: unknown): string => JSON.stringify(s);

/** The fields whose positions the drift reporter annotates. */
const LOCATED_FIELDS = ['name', 'region', 'stack', 'maintenance', 'protect', 'config', 'config_mode', 'addons', 'formation', 'domains', 'drains', 'buildpacks', 'features', 'team', 'locked', 'collaborators', 'webhooks', 'attachments', 'acm', 'certificates'];

function str(n: PNode | undefined): string | undefined {
  return n && n.kind === 'scalar' && typeof n.value === 'string' ? n.value : undefined;
}

function bool(n: PNode | undefined): boolean | undefined {
  return n && n.kind === 'scalar' && typeof n.value === 'boolean' ? n.value : undefined;
}

function num(n: PNode | undefined): number | undefined {
  return n && n.kind === 'scalar' && typeof n.value === 'number' ? n.value : undefined;
}

function mapEntries(n: PNode | undefined): PEntry[] {
  return n && n.kind === 'map' ? [...n.entries.values()] : [];
}

/**
 * Builds one app from its merged tree (the schema already passed), with
 * the checks the schema cannot express: effective names, interpolation,
 * dyno sizes, hostnames after normalisation, drain URLs after
 * interpolation, and uniqueness within the app.
 */
export class AppBuilder {
  constructor(
    private readonly opts: BuildOptions,
    private readonly diagnostics: Diagnostic[],
  ) {}

  private report(severity: 'error' | 'warning', code: string, message: string, loc: SourceLocation, extra: Partial<Diagnostic> = {}): void {
    this.diagnostics.push({ severity, code, message, ...loc, ...extra });
  }

  /**
   * `spoiled` names the parts that failed the schema (a field, or one entry
   * of it by key or list index): they are left out, and the rest is checked.
   */
  build(key: string, declaredAt: PEntry, app: PMap, spoiled: Spoiled = () => false): DesiredApp {
    const e = new Map([...app.entries].filter(([field]) => !spoiled(field)));
    const nameEntry = e.get('name');
    const name = str(nameEntry?.node) ?? key;
    const loc = entryLoc(declaredAt);
    if (!nameEntry && !spoiled('name') && !isHerokuAppName(key)) {
      this.report(
        'error',
        Code.invalidAppName,
        `app key ${q(key)} is not a valid Heroku app name (3 to 30 lower-case letters, digits and dashes, starting with a letter and not ending with a dash): rename it, or set name:`,
        loc,
        { address: formatAddress(key) },
      );
    }
    const fieldLocs: Record<string, SourceLocation> = {};
    for (const f of LOCATED_FIELDS) {
      const fe = e.get(f);
      if (fe) fieldLocs[f === 'config_mode' ? 'configMode' : f] = entryLoc(fe);
    }
    const desired: DesiredApp = {
      key,
      name,
      protect: bool(e.get('protect')?.node) ?? true,
      config: this.configValues(e.get('config')?.node, (k) => formatAddress(key, 'config', k), (k) => spoiled('config', k)),
      configMode: (str(e.get('config_mode')?.node) as ConfigMode | undefined) ?? 'merge',
      addons: this.addons(key, e.get('addons')?.node, spoiled),
      formation: this.formation(key, e.get('formation')?.node, spoiled),
      domains: this.domains(key, e.get('domains')?.node, spoiled),
      drains: this.drains(key, e.get('drains')?.node, spoiled),
      loc,
      fieldLocs,
    };
    const region = str(e.get('region')?.node);
    const stack = str(e.get('stack')?.node);
    const maintenance = bool(e.get('maintenance')?.node);
    if (region !== undefined) desired.region = region;
    if (stack !== undefined) desired.stack = stack;
    if (maintenance !== undefined) desired.maintenance = maintenance;
    const buildpacks = e.get('buildpacks')?.node;
    if (buildpacks && buildpacks.kind === 'seq') desired.buildpacks = this.buildpacks(key, buildpacks, spoiled);
    const features = e.get('features')?.node;
    if (features && features.kind === 'map') desired.features = this.features(features, spoiled);
    const team = str(e.get('team')?.node);
    if (team !== undefined) desired.team = team;
    const locked = bool(e.get('locked')?.node);
    const lockedEntry = e.get('locked');
    if (locked !== undefined && lockedEntry) {
      if (team === undefined) {
        this.report('error', Code.teamOnly, 'locked applies to team apps only: declare the team (team: NAME) as well', entryLoc(lockedEntry), { address: formatAddress(key, 'team') });
      }
      desired.locked = locked;
    }
    const acm = bool(e.get('acm')?.node);
    if (acm !== undefined) desired.acm = acm;
    const certificates = e.get('certificates')?.node;
    if (certificates && certificates.kind === 'map') desired.certificates = this.certificates(key, certificates, spoiled);
    const collaborators = e.get('collaborators')?.node;
    if (collaborators && collaborators.kind === 'seq') desired.collaborators = this.collaborators(key, collaborators, team !== undefined, spoiled);
    const webhooks = e.get('webhooks')?.node;
    if (webhooks && webhooks.kind === 'seq') desired.webhooks = this.webhooks(key, webhooks, spoiled);
    const attachments = e.get('attachments')?.node;
    if (attachments && attachments.kind === 'map') desired.attachments = this.attachments(key, attachments, desired.addons, spoiled);
    return desired;
  }

  /** Reports what interpolation found wrong; true when the value is complete. */
  private checkInterpolation(r: Interpolated, what: string, loc: SourceLocation, address: string): boolean {
    for (const bad of r.invalid) {
      this.report('error', Code.invalidInterpolation, `${what} has ${bad.expression}: ${bad.hint}`, loc, { address });
    }
    for (const name of r.missing) {
      this.report(
        this.opts.allowMissingEnv ? 'warning' : 'error',
        Code.missingEnv,
        `${what} reads \${env:${name}}, which is not set`,
        loc,
        { address },
      );
    }
    for (const name of r.empty) {
      this.report(
        this.opts.allowMissingEnv ? 'warning' : 'error',
        Code.emptyEnv,
        `${what} reads \${env:${name}}, which is set but empty (CI systems pass "" for a secret that does not exist): set it, or write \${env:${name}:-} to allow an empty value`,
        loc,
        { address },
      );
    }
    return r.invalid.length === 0 && r.missing.length === 0 && r.empty.length === 0;
  }

  /** A config map (an app's, or a pipeline stage's): `${env:…}` resolved, each value with its line. */
  configValues(node: PNode | undefined, addressOf: (key: string) => string, skip: (key: string) => boolean = () => false): Record<string, DesiredConfigValue> {
    const out: Record<string, DesiredConfigValue> = {};
    for (const ce of mapEntries(node)) {
      if (skip(ce.key)) continue;
      const raw = str(ce.node) ?? '';
      const loc = entryLoc(ce);
      const r = interpolate(raw, this.opts.env);
      this.checkInterpolation(r, `config value for ${ce.key}`, loc, addressOf(ce.key));
      const v: DesiredConfigValue = { value: r.value, secret: r.envRefs.length > 0, loc };
      if (r.envRefs.length > 0) v.envRefs = r.envRefs;
      if (r.parts.length > 0) v.secretParts = r.parts;
      if (r.missing.length + r.empty.length > 0) v.missingEnvRefs = [...r.missing, ...r.empty];
      out[ce.key] = v;
    }
    return out;
  }

  private addons(app: string, node: PNode | undefined, spoiled: Spoiled): Record<string, DesiredAddon> {
    const out: Record<string, DesiredAddon> = {};
    const byAttachment = new Map<string, { key: string; loc: SourceLocation }>();
    for (const ae of mapEntries(node)) {
      if (ae.node.kind !== 'map' || spoiled('addons', ae.key)) continue;
      const fields = ae.node.entries;
      const loc = entryLoc(ae);
      const address = formatAddress(app, 'addon', ae.key);
      const rawPlan = str(fields.get('plan')?.node) ?? '';
      const addon: DesiredAddon = { key: ae.key, plan: normalisePlan(rawPlan) ?? rawPlan, loc };
      const planEntry = fields.get('plan');
      if (planEntry) addon.planLoc = entryLoc(planEntry);
      const asEntry = fields.get('as');
      const as = str(asEntry?.node);
      if (as !== undefined && asEntry) {
        addon.as = as.toUpperCase();
        const first = byAttachment.get(addon.as);
        const at = entryLoc(asEntry);
        if (first) {
          this.report(
            'error',
            Code.duplicateAttachment,
            `attachment name ${addon.as} is already used by add-on ${q(first.key)} (at ${first.loc.file}:${first.loc.line}:${first.loc.col}): attachment names must be unique in an app`,
            at,
            { address, related: [first.loc] },
          );
        } else byAttachment.set(addon.as, { key: ae.key, loc: at });
      }
      const addonName = str(fields.get('name')?.node);
      if (addonName !== undefined) addon.name = addonName;
      const options = fields.get('config')?.node;
      if (options && options.kind === 'map') {
        addon.config = {};
        for (const oe of options.entries.values()) {
          const raw = str(oe.node) ?? '';
          const r = interpolate(raw, {});
          if (r.envRefs.length > 0 || r.invalid.length > 0) {
            this.report(
              'error',
              Code.interpolationNotAllowed,
              `provisioning option ${oe.key} of add-on ${q(ae.key)} cannot use \${…}: only config values and drain URLs read the environment (write $\${ for a literal "\${")`,
              entryLoc(oe),
              { address },
            );
          }
          addon.config[oe.key] = unescapeLiteral(raw);
        }
      }
      out[ae.key] = addon;
    }
    return out;
  }

  private formation(app: string, node: PNode | undefined, spoiled: Spoiled): Record<string, DesiredFormation> {
    const out: Record<string, DesiredFormation> = {};
    for (const fe of mapEntries(node)) {
      if (fe.node.kind !== 'map') continue;
      // An entry the schema refused (a bad quantity) is left out, but its size is still checked:
      // every mistake is reported at once, not one per run.
      const refused = spoiled('formation', fe.key);
      const f: DesiredFormation = { type: fe.key, loc: entryLoc(fe) };
      const quantity = num(fe.node.entries.get('quantity')?.node);
      if (quantity !== undefined) f.quantity = quantity;
      const sizeEntry = fe.node.entries.get('size');
      const size = str(sizeEntry?.node);
      if (size !== undefined && sizeEntry) {
        f.sizeLoc = entryLoc(sizeEntry);
        const canonical = canonicalDynoSize(size);
        if (canonical) f.size = canonical;
        else {
          const retired = RETIRED_DYNO_SIZES[size.trim().toLowerCase()];
          const message = retired
            ? `dyno size ${q(size)} of formation ${q(fe.key)} was retired by Heroku: use ${q(retired)}`
            : `dyno size ${q(size)} of formation ${q(fe.key)} is not known${didYouMean(size, DYNO_SIZES) || ` (known sizes: ${DYNO_SIZES.join(', ')})`}`;
          this.report('error', Code.unknownDynoSize, message, entryLoc(sizeEntry), { address: formatAddress(app, 'formation', fe.key) });
          f.size = size;
        }
      }
      if (!refused) out[fe.key] = f;
    }
    return out;
  }

  private domains(app: string, node: PNode | undefined, spoiled: Spoiled): DesiredDomain[] {
    const out: DesiredDomain[] = [];
    if (!node || node.kind !== 'seq') return out;
    const seen = new Map<string, SourceLocation>();
    for (const [i, item] of node.items.entries()) {
      if (spoiled('domains', String(i))) continue;
      const loc = nodeLoc(item);
      const hostNode = item.kind === 'map' ? item.entries.get('hostname')?.node : item;
      const raw = str(hostNode) ?? '';
      const hostname = normaliseHostname(raw) ?? raw.toLowerCase();
      const domain: DesiredDomain = { hostname, loc };
      if (item.kind === 'map') {
        const sni = item.entries.get('sni_endpoint')?.node;
        if (sni && sni.kind === 'scalar') domain.sniEndpoint = typeof sni.value === 'string' ? sni.value : null;
      }
      const address = formatAddress(app, 'domain', hostname);
      if (/\.(herokuapp|herokudns)\.com$/.test(hostname)) {
        this.report('error', Code.herokuDomain, `${q(hostname)} is a domain Heroku manages itself: declare custom domains only`, loc, { address });
      }
      const first = seen.get(hostname);
      if (first) {
        this.report('error', Code.duplicateDomain, `domain ${q(hostname)} is listed twice (first at ${first.file}:${first.line}:${first.col})`, loc, {
          address,
          related: [first],
        });
        continue;
      }
      seen.set(hostname, loc);
      out.push(domain);
    }
    return out;
  }

  private buildpacks(app: string, node: PSeq, spoiled: Spoiled): DesiredBuildpack[] {
    const out: DesiredBuildpack[] = [];
    const seen = new Map<string, { loc: SourceLocation; n: number }>();
    const address = formatAddress(app, 'buildpacks');
    node.items.forEach((item, i) => {
      if (spoiled('buildpacks', String(i))) return;
      const buildpack = str(item) ?? '';
      const loc = nodeLoc(item);
      if (maskUrlUserinfo(buildpack) !== buildpack) {
        this.report(
          'error',
          Code.buildpackCredentials,
          `buildpacks entry ${i + 1} has credentials in its URL: Heroku shows buildpack URLs to everyone with access to the app, so use a public URL or a registry name`,
          loc,
          { address },
        );
        return;
      }
      const first = seen.get(buildpackKey(buildpack));
      if (first) {
        this.report('error', Code.duplicateBuildpack, `buildpacks entry ${i + 1} is the same buildpack as entry ${first.n} (at line ${first.loc.line}): an app runs each buildpack once`, loc, {
          address,
          related: [first.loc],
        });
        return;
      }
      seen.set(buildpackKey(buildpack), { loc, n: i + 1 });
      out.push({ buildpack, loc });
    });
    return out;
  }

  private collaborators(app: string, node: PSeq, teamApp: boolean, spoiled: Spoiled): DesiredCollaborator[] {
    const out: DesiredCollaborator[] = [];
    const seen = new Map<string, SourceLocation>();
    node.items.forEach((item, i) => {
      if (spoiled('collaborators', String(i))) return;
      const loc = nodeLoc(item);
      const email = (str(item.kind === 'map' ? item.entries.get('email')?.node : item) ?? '').toLowerCase();
      const address = formatAddress(app, 'collaborator', email);
      const c: DesiredCollaborator = { email, loc };
      const perms = item.kind === 'map' ? item.entries.get('permissions')?.node : undefined;
      if (perms && perms.kind === 'seq') {
        if (!teamApp) {
          this.report('error', Code.teamOnly, `collaborator ${email} has permissions, which only team apps have: declare the team (team: NAME), or list the e-mail alone`, loc, { address });
        }
        const names = new Set(['view', ...perms.items.map((p) => str(p) ?? '')]);
        c.permissions = ['view', 'deploy', 'operate', 'manage'].filter((p) => names.has(p));
      }
      const first = seen.get(email);
      if (first) {
        this.report('error', Code.duplicateCollaborator, `collaborator ${email} is listed twice (first at line ${first.line})`, loc, { address, related: [first] });
        return;
      }
      seen.set(email, loc);
      out.push(c);
    });
    return out;
  }

  /**
   * Webhooks by URL. The URL is the identity and is shown in plans, so it
   * takes no `${…}` and no credentials; secret and authorization take
   * nothing but `${env:…}`, so that neither can be committed to Git.
   */
  private webhooks(app: string, node: PSeq, spoiled: Spoiled): DesiredWebhook[] {
    const out: DesiredWebhook[] = [];
    const seen = new Map<string, SourceLocation>();
    node.items.forEach((item, i) => {
      if (spoiled('webhooks', String(i)) || item.kind !== 'map') return;
      const loc = nodeLoc(item);
      const f = item.entries;
      const url = str(f.get('url')?.node) ?? '';
      const address = formatAddress(app, 'webhook', url);
      const urlLoc = f.get('url') ? entryLoc(f.get('url')!) : loc;
      if (url.includes('${')) {
        this.report('error', Code.invalidWebhookUrl, `webhooks entry ${i + 1}: url cannot use \${…}: it is the webhook's identity and is shown in plans; put credentials in authorization: \${env:NAME}`, urlLoc, { address: formatAddress(app) });
        return;
      }
      if (!validWebhookUrl(url)) {
        this.report('error', Code.invalidWebhookUrl, `webhooks entry ${i + 1}: ${q(maskUrlUserinfo(url))} is not a valid https:// URL without credentials (put those in authorization: \${env:NAME})`, urlLoc, { address: formatAddress(app) });
        return;
      }
      const include = [...new Set((f.get('include')?.node.kind === 'seq' ? (f.get('include')!.node as PSeq).items : []).map((x) => str(x) ?? ''))].sort();
      const wh: DesiredWebhook = { url, include, level: str(f.get('level')?.node) === 'sync' ? 'sync' : 'notify', loc };
      for (const field of ['secret', 'authorization'] as const) {
        const fe = f.get(field);
        if (!fe) continue;
        const v = this.envOnly(fe, `webhook ${url} ${field}`, address);
        if (v) wh[field] = v;
      }
      const first = seen.get(url);
      if (first) {
        this.report('error', Code.duplicateWebhook, `webhooks entry ${i + 1} has the same URL as the one at line ${first.line}: a URL is one webhook`, urlLoc, { address, related: [first] });
        return;
      }
      seen.set(url, loc);
      out.push(wh);
    });
    return out;
  }

  /** A secret field: exactly `${env:NAME}` (or `${env:NAME:-default}`), never a literal. */
  private envOnly(fe: PEntry, what: string, address: string): DesiredConfigValue | undefined {
    const loc = entryLoc(fe);
    const raw = str(fe.node) ?? '';
    const r = interpolate(raw, this.opts.env);
    if (r.envRefs.length === 0) {
      this.report('error', Code.secretLiteral, `${what} is a literal: it is a secret, so it must come from \${env:NAME} (a literal would be committed to Git)`, loc, { address });
      return undefined;
    }
    this.checkInterpolation(r, what, loc, address);
    const v: DesiredConfigValue = { value: r.value, secret: true, envRefs: r.envRefs, loc };
    if (r.parts.length > 0) v.secretParts = r.parts;
    if (r.missing.length + r.empty.length > 0) v.missingEnvRefs = [...r.missing, ...r.empty];
    return v;
  }

  /**
   * Attachments of another app's add-on, keyed by attachment name. Whether
   * the named app and add-on exist is checked across the whole set
   * (crossAppChecks), since the owner may be declared in another file.
   */
  private attachments(app: string, node: PMap, ownAddons: Record<string, DesiredAddon>, spoiled: Spoiled): Record<string, DesiredAttachment> {
    const out: Record<string, DesiredAttachment> = {};
    const ownNames = new Map(Object.values(ownAddons).filter((a) => a.as !== undefined).map((a) => [a.as!, a]));
    for (const ae of node.entries.values()) {
      if (spoiled('attachments', ae.key)) continue;
      const loc = entryLoc(ae);
      const name = ae.key.toUpperCase();
      const address = formatAddress(app, 'attachment', name);
      const ref = str(ae.node.kind === 'map' ? ae.node.entries.get('addon')?.node : ae.node) ?? '';
      const slash = ref.indexOf('/');
      const owner = ref.slice(0, slash);
      const addon = ref.slice(slash + 1);
      if (out[name]) {
        this.report('error', Code.duplicateAttachment, `attachment name ${name} is listed twice (${q(ae.key)} and another spelling of it)`, loc, { address });
        continue;
      }
      const own = ownNames.get(name);
      if (own) {
        this.report('error', Code.duplicateAttachment, `attachment name ${name} is already used by this app's add-on ${q(own.key)}${own.loc ? ` (at line ${own.loc.line})` : ''}: attachment names must be unique in an app`, loc, { address });
        continue;
      }
      if (owner === app) {
        this.report('error', Code.attachmentOwnAddon, `attachment ${name} names this app's own add-on ${q(addon)}: use \`as:\` on the add-on instead (attachments: is for another app's add-on)`, loc, { address });
        continue;
      }
      out[name] = { name, app: owner, addon, loc };
    }
    return out;
  }

  /**
   * Paths only: the loader reads the files (config/certificates.ts), so that
   * building stays free of disk access. A relative path is relative to the
   * YAML file that writes it.
   */
  private certificates(app: string, node: PMap, spoiled: Spoiled): Record<string, DesiredCertificate> {
    const out: Record<string, DesiredCertificate> = {};
    for (const ce of node.entries.values()) {
      if (spoiled('certificates', ce.key) || ce.node.kind !== 'map') continue;
      const fields = ce.node.entries;
      const chainEntry = fields.get('certificate_chain');
      const chainFile = str(chainEntry?.node);
      if (!chainEntry || chainFile === undefined) continue;
      const fieldLocs: Record<string, SourceLocation> = {};
      for (const [f, fe] of fields) fieldLocs[f] = entryLoc(fe);
      const cert: DesiredCertificate = { key: ce.key, chainFile, chainPath: beside(chainEntry, chainFile), loc: entryLoc(ce), fieldLocs };
      const address = formatAddress(app, 'certificate', ce.key);
      const keyEntry = fields.get('private_key');
      const keyFileEntry = fields.get('private_key_file');
      const keyFile = str(keyFileEntry?.node);
      if ((keyEntry === undefined) === (keyFileEntry === undefined)) {
        this.report('error', Code.missingKey, `certificate ${q(ce.key)} needs exactly one of private_key (\${env:VAR}) and private_key_file`, entryLoc(ce), { address });
        continue;
      }
      if (keyEntry) {
        const r = interpolate(str(keyEntry.node) ?? '', this.opts.env);
        this.checkInterpolation(r, `private_key of certificate ${q(ce.key)}`, entryLoc(keyEntry), address);
        cert.privateKey = { value: r.value, secret: true, envRefs: r.envRefs, secretParts: [r.value, ...r.parts].filter((p) => p !== ''), loc: entryLoc(keyEntry) };
        if (r.missing.length + r.empty.length > 0) cert.privateKey.missingEnvRefs = [...r.missing, ...r.empty];
      } else if (keyFileEntry && keyFile !== undefined) {
        cert.privateKey = { value: '', secret: true, file: keyFile, path: beside(keyFileEntry, keyFile), loc: entryLoc(keyFileEntry) };
      }
      out[ce.key] = cert;
    }
    return out;
  }

  private features(node: PMap, spoiled: Spoiled): Record<string, { enabled: boolean; loc: SourceLocation }> {
    const out: Record<string, { enabled: boolean; loc: SourceLocation }> = {};
    for (const fe of node.entries.values()) {
      const enabled = bool(fe.node);
      if (enabled === undefined || spoiled('features', fe.key)) continue;
      out[fe.key] = { enabled, loc: entryLoc(fe) };
    }
    return out;
  }

  private drains(app: string, node: PNode | undefined, spoiled: Spoiled): DesiredDrain[] {
    const out: DesiredDrain[] = [];
    if (!node || node.kind !== 'seq') return out;
    const seen = new Map<string, { loc: SourceLocation; n: number }>();
    node.items.forEach((item, i) => {
      if (spoiled('drains', String(i))) return;
      const loc = nodeLoc(item);
      const raw = str(item.kind === 'map' ? item.entries.get('url')?.node : item) ?? '';
      const r = interpolate(raw, this.opts.env);
      const secret = r.envRefs.length > 0;
      const what = `drain URL (drains entry ${i + 1})`;
      const address = formatAddress(app);
      const complete = this.checkInterpolation(r, what, loc, address);
      if (complete && !validDrainUrl(r.value)) {
        const shown = secret ? `built from ${r.envRefs.map((n) => `\${env:${n}}`).join(', ')}` : q(maskUrlUserinfo(r.value));
        this.report('error', Code.invalidDrainUrl, `drain URL ${shown} is not a valid https://, syslog:// or syslog+tls:// URL`, loc, { address });
      }
      const drain: DesiredDrain = { url: r.value, secret, loc };
      if (secret) drain.envRefs = r.envRefs;
      if (r.parts.length > 0) drain.secretParts = r.parts;
      if (r.missing.length + r.empty.length > 0) drain.missingEnvRefs = [...r.missing, ...r.empty];
      const first = complete ? seen.get(r.value) : undefined;
      if (first) {
        this.report('error', Code.duplicateDrain, `drains entry ${i + 1} is the same URL as entry ${first.n} (at line ${first.loc.line})`, loc, {
          address,
          related: [first.loc],
        });
        return;
      }
      if (complete) seen.set(r.value, { loc, n: i + 1 });
      out.push(drain);
    });
    return out;
  }
}

function validWebhookUrl(value: string): boolean {
  if (value.trim() !== value || /\s/.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && url.username === '' && url.password === '';
}

function validDrainUrl(value: string): boolean {
  if (value.trim() !== value || /\s/.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return DRAIN_SCHEMES.includes(url.protocol) && url.hostname !== '';
}
