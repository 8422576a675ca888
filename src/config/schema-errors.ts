import type { ErrorObject } from 'ajv';
import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';
import type { AppChildKind } from '../model/address.js';
import { formatAddress, formatPipelineAddress } from '../util/address.js';
import { Code } from './codes.js';
import { closest, didYouMean } from './suggest.js';
import { entryLoc, kindName, nodeLoc, type PNode } from './tree.js';
import { APP_KEY, APP_KEY_MAX_LENGTH, FORMATION_MAX_QUANTITY } from './rules.js';

/** What part of a file an error is about, so that the rest can still be checked. */
export type Scope =
  /** `path` is below the app: ['config', 'PORT'], ['domains', '0'], ['regoin'], or [] for the whole app. */
  | { kind: 'app'; key: string; path: string[] }
  | { kind: 'defaults' }
  /** Anything under `pipelines.<key>`: that pipeline is left out. */
  | { kind: 'pipeline'; key: string }
  | { kind: 'file' };

export interface MappedError {
  diagnostic: Diagnostic;
  scope: Scope;
}

const q = (s: unknown): string => JSON.stringify(s);

/** Long or credential-bearing values are shortened before they are quoted back. */
function show(value: unknown): string {
  let s = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  s = s.replace(/\/\/[^/@\s]*@/, '//***@');
  return q(s.length > 60 ? s.slice(0, 57) + '...' : s);
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Follows a JSON pointer through the tree: the node and where to report it (its key, for map values). */
function locate(root: PNode, segs: string[]): { node: PNode; loc: SourceLocation } {
  let node = root;
  let loc = nodeLoc(root);
  for (const seg of segs) {
    if (node.kind === 'map') {
      const e = node.entries.get(seg);
      if (!e) break;
      node = e.node;
      loc = entryLoc(e);
    } else if (node.kind === 'seq') {
      const item = node.items[Number(seg)];
      if (!item) break;
      node = item;
      loc = nodeLoc(item);
    } else break;
  }
  return { node, loc };
}

function keyLoc(root: PNode, segs: string[], key: string): SourceLocation {
  const { node, loc } = locate(root, segs);
  if (node.kind === 'map') {
    const e = node.entries.get(key);
    if (e) return entryLoc(e);
  }
  return loc;
}

interface Context {
  scope: Scope;
  /** `app "shop"` or `defaults`. */
  owner: string;
  /** The path below the app (or defaults), e.g. ['config', 'PORT']. */
  rest: string[];
  address?: string;
}

function contextOf(segs: string[]): Context {
  if (segs[0] === 'apps' && segs.length >= 2) {
    const key = segs[1]!;
    const rest = segs.slice(2);
    return { scope: { kind: 'app', key, path: rest }, owner: `app ${q(key)}`, rest, address: addressOf(key, rest) };
  }
  if (segs[0] === 'defaults') return { scope: { kind: 'defaults' }, owner: 'defaults', rest: segs.slice(1) };
  if (segs[0] === 'pipelines' && segs.length >= 2) {
    const key = segs[1]!;
    return { scope: { kind: 'pipeline', key }, owner: `pipeline ${q(key)}`, rest: segs.slice(2), address: formatPipelineAddress(key) };
  }
  return { scope: { kind: 'file' }, owner: 'the file', rest: segs };
}

const KIND_OF_FIELD: Record<string, AppChildKind> = { config: 'config', addons: 'addon', formation: 'formation' };

function addressOf(app: string, rest: string[]): string {
  const kind = rest[0] === undefined ? undefined : KIND_OF_FIELD[rest[0]];
  if (kind === undefined || rest[1] === undefined) return formatAddress(app);
  return formatAddress(app, kind, rest[1]);
}

const appKeyRe = new RegExp(APP_KEY);

/** `Shop_Staging` → `shop-staging`, when that is a valid key. */
function suggestAppKey(name: string): string | undefined {
  const s = name.toLowerCase().replace(/[_\s.]+/g, '-');
  return s !== name && appKeyRe.test(s) && s.length <= APP_KEY_MAX_LENGTH ? s : undefined;
}

const ordinal = (i: string): string => `entry ${Number(i) + 1}`;

const ADDON_FIELD: Record<string, string> = { plan: 'plan', as: 'attachment name (as)', name: 'name', config: 'provisioning options' };

/** A short phrase naming the value at a path, for messages. */
function noun(ctx: Context): string {
  const r = ctx.rest;
  if (ctx.scope.kind === 'file') return r.length === 0 ? 'the top level' : `"${r.join('.')}"`;
  if (r.length === 0) return ctx.owner;
  if (ctx.scope.kind === 'pipeline') return r[0] === 'stages' && r[1] !== undefined ? `stage ${r[1]} of ${ctx.owner}` : `${r[0]} of ${ctx.owner}`;
  const [field, a, b, c] = r;
  switch (field) {
    case 'config':
      return a === undefined ? `config of ${ctx.owner}` : `config value for ${a}`;
    case 'addons':
      if (a === undefined) return `addons of ${ctx.owner}`;
      if (b === undefined) return `add-on ${q(a)}`;
      if (b === 'config' && c !== undefined) return `provisioning option ${c} of add-on ${q(a)}`;
      return `${ADDON_FIELD[b] ?? b} of add-on ${q(a)}`;
    case 'formation':
      if (a === undefined) return `formation of ${ctx.owner}`;
      return b === undefined ? `formation ${q(a)}` : `${b} of formation ${q(a)}`;
    case 'domains':
      if (a === undefined) return `domains of ${ctx.owner}`;
      return b === undefined ? `domains ${ordinal(a)}` : `${b} of domains ${ordinal(a)}`;
    case 'drains':
      if (a === undefined) return `drains of ${ctx.owner}`;
      return b === undefined ? `drains ${ordinal(a)}` : `${b} of drains ${ordinal(a)}`;
    case 'buildpacks':
      return a === undefined ? `buildpacks of ${ctx.owner}` : `buildpacks ${ordinal(a)}`;
    case 'features':
      return a === undefined ? `features of ${ctx.owner}` : `feature ${a}`;
    case 'certificates':
      if (a === undefined) return `certificates of ${ctx.owner}`;
      return b === undefined ? `certificate ${q(a)}` : `${b} of certificate ${q(a)}`;
    case 'collaborators':
      if (a === undefined) return `collaborators of ${ctx.owner}`;
      return b === undefined ? `collaborators ${ordinal(a)}` : `${b} of collaborators ${ordinal(a)}`;
    default:
      return `${field} of ${ctx.owner}`;
  }
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a map',
  array: 'a list',
  null: 'null',
};

function expectedWords(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
}

function typeMatches(type: unknown, data: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => {
    switch (t) {
      case 'integer':
      case 'number':
        return typeof data === 'number';
      case 'object':
        return typeof data === 'object' && data !== null && !Array.isArray(data);
      case 'array':
        return Array.isArray(data);
      case 'null':
        return data === null;
      default:
        return typeof data === t;
    }
  });
}

/**
 * Our `anyOf`s offer one branch per shape (a plain value or a map). When the
 * user's value has the shape of a branch, only that branch's errors say
 * something useful; when it has none of the shapes, one "must be X or Y"
 * says it all.
 */
function pruneNoise(errors: ErrorObject[]): ErrorObject[] {
  const drop = new Set<ErrorObject>();
  for (const e of errors) {
    if (e.keyword !== 'anyOf' || !Array.isArray(e.schema)) continue;
    const branches = e.schema as { type?: unknown }[];
    const matching = new Set(branches.flatMap((b, i) => (typeMatches(b.type, e.data) ? [i] : [])));
    const prefix = e.schemaPath + '/';
    for (const other of errors) {
      // The same anyOf applies to every add-on (say): only errors about this value belong to it.
      const sameValue = other.instancePath === e.instancePath || other.instancePath.startsWith(e.instancePath + '/');
      if (!sameValue || !other.schemaPath.startsWith(prefix)) continue;
      const branch = Number(other.schemaPath.slice(prefix.length).split('/')[0]);
      if (!matching.has(branch)) drop.add(other);
    }
    if (matching.size > 0) drop.add(e);
  }
  // propertyNames reports once per failing name on the map; the inner pattern errors repeat it.
  const kept = errors.filter((e) => !drop.has(e) && (e as { propertyName?: string }).propertyName === undefined);
  // A value of the wrong type fails its other keywords too (`version: "1"` is also not 1): the type says it.
  const wrongType = new Set(kept.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  // `plna:` is both unknown and the reason `plan` is missing: "did you mean plan" says both.
  const misspelt = new Set(
    kept
      .filter((e) => e.keyword === 'additionalProperties')
      .map((e) => `${e.instancePath}|${closest(String(e.params['additionalProperty']), parentProperties(e)) ?? ''}`),
  );
  return kept.filter((e) => {
    if (e.keyword !== 'type' && wrongType.has(e.instancePath)) return false;
    if (e.keyword === 'required' && misspelt.has(`${e.instancePath}|${String(e.params['missingProperty'])}`)) return false;
    return true;
  });
}

function parentProperties(e: ErrorObject): string[] {
  const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props) : [];
}

function describe(e: ErrorObject, root: PNode): MappedError {
  const segs = decodePointer(e.instancePath);
  const ctx = contextOf(segs);
  const { node, loc } = locate(root, segs);
  const field = ctx.rest[0];
  const last = ctx.rest[ctx.rest.length - 1];
  const depth = ctx.rest.length;
  const base = { ...(ctx.address ? { address: ctx.address } : {}) };
  const out = (code: string, message: string, at: SourceLocation = loc): MappedError => ({
    diagnostic: { severity: 'error', code, message, ...at, ...base },
    scope: ctx.scope,
  });
  const n = noun(ctx);
  const isConfigValue = (field === 'config' && depth === 2) || (field === 'addons' && ctx.rest[2] === 'config' && depth === 4);
  const params = e.params as Record<string, unknown>;

  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const at = keyLoc(root, segs, key);
      // An unknown key spoils only itself, not the map it is in.
      if (ctx.scope.kind === 'app') ctx.scope = { ...ctx.scope, path: [...ctx.rest, key] };
      const candidates = parentProperties(e);
      if (ctx.scope.kind === 'file' && segs.length === 0) {
        const hint = didYouMean(key, candidates) || ' (expected version, environment, apps, defaults, pipelines, teams and account)';
        return out(Code.unknownKey, `unknown top-level key ${q(key)}${hint}`, at);
      }
      if ((ctx.scope.kind === 'app' || ctx.scope.kind === 'defaults') && depth === 0 && (key === 'pipeline' || key === 'stage')) {
        return out(
          Code.couplingInApp,
          `${n} cannot name its pipeline or stage: couplings are declared in one place, under pipelines.<name>.stages.<stage> (a list of app keys); move it there`,
          at,
        );
      }
      if (ctx.scope.kind === 'pipeline' && depth === 1 && ctx.rest[0] === 'stages') {
        return out(Code.unknownStage, `unknown stage ${q(key)} in ${n}${didYouMean(key, candidates) || ''} (stages are review, development, staging and production)`, at);
      }
      if (ctx.scope.kind === 'defaults' && depth === 0 && key === 'name') {
        return out(Code.unknownKey, 'defaults cannot set name: every app has its own', at);
      }
      const hint = didYouMean(key, candidates) || (candidates.length > 0 ? ` (expected one of: ${candidates.join(', ')})` : '');
      return out(Code.unknownKey, `unknown key ${q(key)} in ${n}${hint}`, at);
    }
    case 'required': {
      const missing = String(params['missingProperty']);
      if (segs.length === 0) return out(Code.missingKey, 'the file needs "version: 1" at the top level');
      if (field === 'addons') return out(Code.missingKey, `${n} needs a plan ("service:plan", e.g. "heroku-postgresql:essential-0")`);
      return out(Code.missingKey, `${n} needs ${q(missing)}`);
    }
    case 'propertyNames': {
      const name = String(params['propertyName']);
      const at = keyLoc(root, segs, name);
      const keyCtx = contextOf([...segs, name]);
      const scope = keyCtx.scope;
      const res = (code: string, message: string): MappedError => ({
        diagnostic: { severity: 'error', code, message, ...at, ...(ctx.address ? { address: ctx.address } : {}) },
        scope,
      });
      if (segs.length === 1 && segs[0] === 'apps') {
        return name.length > APP_KEY_MAX_LENGTH
          ? res(Code.invalidAppKey, `app key ${show(name)} is longer than ${APP_KEY_MAX_LENGTH} characters`)
          : res(
              Code.invalidAppKey,
              `app key ${show(name)} is not valid: use lower-case letters, digits and dashes, starting with a letter` +
                (suggestAppKey(name) ? `: did you mean ${q(suggestAppKey(name))}?` : ''),
            );
      }
      if (last === 'config' && depth === 1) {
        return res(Code.invalidConfigKey, `config key ${show(name)} is not valid: use letters, digits and "_", not starting with a digit`);
      }
      if (last === 'config') {
        return res(Code.invalidConfigKey, `provisioning option key ${show(name)} is not valid: use letters, digits and "_"`);
      }
      if (last === 'addons') {
        return res(Code.invalidAddonKey, `add-on key ${show(name)} is not valid: use letters, digits, "_" and "-", starting with a letter (at most 63)`);
      }
      if (last === 'formation') {
        return res(Code.invalidProcessType, `process type ${show(name)} is not valid: use letters, digits, "_" and "-" (at most 128)`);
      }
      return res(Code.invalidValue, `key ${show(name)} is not valid in ${n}`);
    }
    case 'type': {
      const expected = expectedWords(params['type']);
      if (isConfigValue && node.kind === 'scalar' && node.value === null) {
        return out(Code.configValueNotString, `${n} is empty: write "" for an empty string, or remove the key`);
      }
      if (isConfigValue && node.kind === 'scalar') {
        return out(Code.configValueNotString, `${n} must be a string: quote it (${q(node.raw)})`);
      }
      if (isConfigValue) return out(Code.configValueNotString, `${n} must be a string, not ${kindName(node)}`);
      if (segs.length === 1 && segs[0] === 'version') {
        return out(Code.unsupportedVersion, `version must be the number 1, not ${kindName(node)}`);
      }
      if (segs.length === 0) return out(Code.topLevelNotMap, `the top level must be a map (version, apps, defaults), not ${kindName(node)}`);
      if (segs.length === 1 && segs[0] === 'apps') {
        return out(Code.wrongType, `apps must be a map from each app's key to its settings, not ${kindName(node)}`);
      }
      if (params['type'] === 'boolean' && node.kind === 'scalar' && typeof node.value === 'string' && /^(true|false)$/i.test(node.value)) {
        return out(Code.wrongType, `${n} must be true or false, without quotes`);
      }
      if (params['type'] === 'integer' && field === 'formation') {
        const got = node.kind === 'scalar' && typeof node.value === 'number' ? `got ${node.raw}` : `not ${kindName(node)}`;
        return out(
          Code.invalidFormationQuantity,
          `quantity of formation ${q(ctx.rest[1])} must be a whole number from 0 to ${FORMATION_MAX_QUANTITY} (${got})`,
        );
      }
      if (node.kind === 'scalar' && node.value === null && ctx.scope.kind === 'app' && depth === 0) {
        return out(Code.wrongType, `${n} is empty: it must be a map (write {} for an app with no settings)`);
      }
      if (node.kind === 'scalar' && node.value === null) return out(Code.wrongType, `${n} is empty: it must be ${expected}`);
      return out(Code.wrongType, `${n} must be ${expected}, not ${kindName(node)}`);
    }
    case 'anyOf': {
      const quoted = node.kind === 'scalar' && typeof node.value === 'string' && /^\d+$/.test(node.value) ? ` (write ${node.value} without quotes)` : '';
      if (field === 'addons') {
        return out(Code.wrongType, `${n} must be a "service:plan" string or a map with plan:, not ${kindName(node)}`);
      }
      if (field === 'formation') {
        return out(
          Code.wrongType,
          `${n} must be a quantity (0 to ${FORMATION_MAX_QUANTITY}), a map with quantity and size, or null (to opt out of the defaults), not ${kindName(node)}${quoted}`,
        );
      }
      if (field === 'domains') return out(Code.wrongType, `${n} must be a hostname or a map with hostname:, not ${kindName(node)}`);
      if (field === 'drains') return out(Code.wrongType, `${n} must be a URL or a map with url:, not ${kindName(node)}`);
      if (field === 'collaborators') return out(Code.wrongType, `${n} must be an e-mail address or a map with email: (and permissions:), not ${kindName(node)}`);
      return out(Code.wrongType, `${n} has the wrong shape (${kindName(node)})`);
    }
    case 'pattern':
    case 'maxLength': {
      if (field === 'certificates' && last === 'private_key') {
        // Never echo it: it may be the key itself, pasted in.
        return out(
          Code.invalidValue,
          `${n} must be \${env:VAR} alone: a private key is never written in the YAML (keep it in the environment, or in a file named by private_key_file, outside Git)`,
        );
      }
      const value = node.kind === 'scalar' ? node.value : undefined;
      const tooLong = e.keyword === 'maxLength' ? ` (longer than ${String(params['limit'])} characters)` : '';
      if (field === 'name' && depth === 1) {
        return out(
          Code.invalidAppName,
          `name ${show(value)} is not a valid Heroku app name: 3 to 30 lower-case letters, digits and dashes, starting with a letter and not ending with a dash`,
        );
      }
      if ((field === 'region' || field === 'stack') && depth === 1) {
        const lower = typeof value === 'string' && value.toLowerCase() !== value ? ` (${q(value.toLowerCase())}?)` : '';
        return out(Code.invalidValue, `${field} ${show(value)} is not valid: use lower-case letters, digits and dashes${lower}`);
      }
      if (field === 'addons' && (depth === 2 || last === 'plan')) {
        const hint = typeof value === 'string' && !value.includes(':') ? ` (${q(value + ':<plan>')}?)` : '';
        return out(
          Code.invalidPlan,
          `plan ${show(value)} of add-on ${q(ctx.rest[1])} must be written as "service:plan", e.g. "heroku-postgresql:essential-0"${hint}`,
        );
      }
      if (field === 'addons' && last === 'as') {
        return out(Code.invalidAttachmentName, `${n} ${show(value)} is not valid: use letters, digits and "_", starting with a letter`);
      }
      if (field === 'addons' && last === 'name') {
        return out(Code.invalidAddonName, `${n} ${show(value)} is not valid: use letters, digits, "_" and "-", starting with a letter`);
      }
      if (field === 'domains') {
        const hint =
          typeof value === 'string' && /^[a-z]+:\/\//i.test(value)
            ? ': write the hostname alone, without a scheme'
            : typeof value === 'string' && value.endsWith('.')
              ? ': remove the trailing dot'
              : '';
        return out(Code.invalidHostname, `${show(value)} is not a valid hostname${tooLong}${hint}`);
      }
      if (field === 'collaborators') return out(Code.invalidValue, `${n} ${show(value)} is not an e-mail address`);
      if (field === 'team' && depth === 1) return out(Code.invalidValue, `team ${show(value)} is not a valid team name: lower-case letters, digits and dashes`);
      if (field === 'buildpacks') {
        return out(Code.invalidValue, `${n} ${show(value)} is not a buildpack: use a registry name (heroku/nodejs), an https:// URL or a urn:buildpack: URN`);
      }
      if (field === 'features' && depth === 2) {
        return out(Code.invalidValue, `feature name ${show(value)} is not valid: use lower-case letters, digits and dashes, as \`heroku labs\` lists them`);
      }
      if (field === 'drains') {
        return out(Code.invalidDrainUrl, `drain URL ${show(value)} must start with https://, syslog:// or syslog+tls://`);
      }
      return out(Code.invalidValue, `${n} ${show(value)} is not valid${tooLong}`);
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map(String);
      const value = node.kind === 'scalar' ? String(node.value) : '';
      return out(Code.invalidValue, `${n} must be ${allowed.map(q).join(' or ')}${didYouMean(value, allowed)}`);
    }
    case 'const':
      if (segs.length === 1 && segs[0] === 'version') {
        return out(Code.unsupportedVersion, `version ${node.kind === 'scalar' ? node.raw : show(e.data)} is not supported: this dynoform reads version 1`);
      }
      return out(Code.invalidValue, `${n} must be ${show(params['allowedValue'])}`);
    case 'minimum':
    case 'maximum':
      if (last === 'quantity' || field === 'formation') {
        return out(
          Code.invalidFormationQuantity,
          `quantity of formation ${q(ctx.rest[1])} must be from 0 to ${FORMATION_MAX_QUANTITY} (got ${node.kind === 'scalar' ? node.raw : show(e.data)})`,
        );
      }
      return out(Code.invalidValue, `${n} ${e.message ?? 'is out of range'}`);
    case 'minProperties':
      if (field === 'formation') return out(Code.emptyFormation, `${n} needs a quantity or a size`);
      return out(Code.invalidValue, `${n} must not be empty`);
    default:
      return out(Code.invalidValue, `${n} ${e.message ?? 'is not valid'}`);
  }
}

/** Turns ajv's errors into one diagnostic per problem, each at the line and column it is about. */
export function mapSchemaErrors(errors: ErrorObject[], root: PNode): MappedError[] {
  const seen = new Set<string>();
  const out: MappedError[] = [];
  for (const e of pruneNoise(errors)) {
    const m = describe(e, root);
    const d = m.diagnostic;
    const id = `${d.code}|${d.line}|${d.col}|${d.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(m);
  }
  return foldMisIndented(out, root);
}

/** Fields whose value is a map of the user's own keys: the ones whose children get written one indent too short. */
const MAP_FIELDS = ['config', 'addons', 'formation', 'features'];

const locKey = (l: SourceLocation): string => `${l.file}:${l.line}:${l.col}`;

/**
 * `config:` with its children at its own indentation reads as an empty
 * config followed by unknown keys of the app: one mistake reported as
 * several, none of which names it. Those errors become one, at `config:`,
 * that says to indent the keys.
 */
function foldMisIndented(mapped: MappedError[], root: PNode): MappedError[] {
  if (root.kind !== 'map') return mapped;
  const owners: Array<{ map: PNode; owner: string }> = [];
  const defaults = root.entries.get('defaults')?.node;
  if (defaults) owners.push({ map: defaults, owner: 'defaults' });
  const apps = root.entries.get('apps')?.node;
  if (apps?.kind === 'map') for (const [key, e] of apps.entries) owners.push({ map: e.node, owner: `app ${q(key)}` });

  const byLoc = new Map<string, MappedError[]>();
  for (const m of mapped) {
    const d = m.diagnostic;
    if (d.file === undefined || d.line === undefined || d.col === undefined) continue;
    const k = locKey({ file: d.file, line: d.line, col: d.col });
    byLoc.set(k, [...(byLoc.get(k) ?? []), m]);
  }
  const dropped = new Set<MappedError>();
  const replaced = new Map<MappedError, MappedError>();
  for (const { map, owner } of owners) {
    if (map.kind !== 'map') continue;
    const entries = [...map.entries.values()].sort((a, b) => a.keyOffset - b.keyOffset);
    entries.forEach((field, i) => {
      if (!MAP_FIELDS.includes(field.key) || field.node.kind !== 'scalar' || field.node.value !== null) return;
      const empty = (byLoc.get(locKey(entryLoc(field))) ?? []).find((m) => m.diagnostic.code === Code.wrongType);
      if (!empty) return;
      // The keys after it, at its indentation, that the app does not know: its lost children.
      const strays: Array<{ key: string; error: MappedError }> = [];
      for (const next of entries.slice(i + 1)) {
        const error = (byLoc.get(locKey(entryLoc(next))) ?? []).find((m) => m.diagnostic.code === Code.unknownKey);
        if (!error) break;
        strays.push({ key: next.key, error });
      }
      if (strays.length === 0) return;
      const names = strays.map((s) => s.key);
      const list = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
      for (const s of strays) dropped.add(s.error);
      replaced.set(empty, {
        scope: empty.scope,
        diagnostic: {
          ...empty.diagnostic,
          code: Code.misIndented,
          message:
            `${field.key} of ${owner} is empty, and the keys below it (${list}) are read as keys of ${owner === 'defaults' ? 'the defaults' : 'the app'}: ` +
            `they are indented as far as ${field.key}: is; indent them under it (two more spaces)`,
        },
      });
    });
  }
  return mapped.filter((m) => !dropped.has(m)).map((m) => replaced.get(m) ?? m);
}
