import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';
import type { DesiredApp, DesiredState } from '../model/desired.js';
import { formatAddress, formatMemberAddress, formatPipelineAddress } from '../util/address.js';
import { AppBuilder } from './build.js';
import { mergeSharedDiagnostics } from './shared-diagnostics.js';
import { checkAppLimits } from './limits.js';
import { Code } from './codes.js';
import { combineDefaults, expandShorthands, mergeUnder } from './merge.js';
import { validateAgainstSchema } from './schema.js';
import { buildPipelines, type PipelineEntry } from './pipelines.js';
import { buildAccount, buildTeams, duplicateAccount } from './teams.js';
import { mapSchemaErrors } from './schema-errors.js';
import { binaryCheck, DEFAULT_MAX_FILE_BYTES, tooLarge } from './text.js';
import { entryLoc, kindName, nodeLoc, readYaml, Source, toPlain, type PEntry, type PMap } from './tree.js';

export interface SourceText {
  /** The name diagnostics and locations use (usually relative to the working directory). */
  file: string;
  text: string;
}

export interface ParseOptions {
  env: Record<string, string | undefined>;
  /** A missing `${env:…}` variable becomes a warning (for validating without secrets). */
  allowMissingEnv?: boolean;
  /** Per file; default 10 MB. */
  maxFileBytes?: number;
}

export interface ConfigResult {
  /** Undefined when any diagnostic is an error. */
  desired?: DesiredState;
  /** Sorted by file (in the order given), line and column. */
  diagnostics: Diagnostic[];
  /** The files read, in order. */
  files: string[];
  /** Keys of the apps declared, valid or not, in order of declaration. */
  apps: string[];
  /** The environment the files name (`environment:`), even when there are errors. */
  environment?: string;
  /** Errors beyond the per-file limit, counted but not listed (a note in `diagnostics` says so per file). */
  unlistedErrors?: number;
}

interface ParsedFile {
  root: PMap;
  /**
   * Parts of apps that failed the schema, by app key: `''` for the whole
   * app, else `field` or `field/key`. They are left out when the app is
   * built, so that its other parts are still checked without repeating the
   * schema's errors.
   */
  spoiled: Map<string, Set<string>>;
  defaultsFailed: boolean;
  /** Pipelines with a schema error: left out (their errors are reported already). */
  spoiledPipelines: Set<string>;
}

function parseFile(source: SourceText, opts: ParseOptions, diagnostics: Diagnostic[], unlisted: Map<string, number>): ParsedFile | undefined {
  const max = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  // Characters are at most as many as bytes: checking the length first keeps a huge text from being measured.
  if (source.text.length > max || Buffer.byteLength(source.text, 'utf8') > max) {
    diagnostics.push(tooLarge(source.file, Buffer.byteLength(source.text, 'utf8'), max));
    return undefined;
  }
  const binary = binaryCheck(source.file, source.text);
  if (binary) {
    diagnostics.push(binary);
    return undefined;
  }
  const src = new Source(source.file);
  const root = readYaml(src, source.text, diagnostics);
  if (!root) return undefined;
  if (root.kind !== 'map') {
    diagnostics.push({
      severity: 'error',
      code: Code.topLevelNotMap,
      message: `the top level must be a map with version, apps and defaults, not ${kindName(root)}`,
      ...nodeLoc(root),
    });
    return undefined;
  }
  const parsed: ParsedFile = { root, spoiled: new Map(), defaultsFailed: false, spoiledPipelines: new Set() };
  const ajvErrors = validateAgainstSchema(toPlain(root));
  let kept = Math.min(ajvErrors.length, MAX_SCHEMA_ERRORS);
  // Do not cut through the errors of one anyOf (its branches come first): a stray branch error reads as noise.
  while (kept < ajvErrors.length && kept > 0 && ajvErrors[kept - 1]!.schemaPath.includes('/anyOf/')) kept -= 1;
  if (kept < ajvErrors.length) unlisted.set(source.file, ajvErrors.length - kept);
  const schemaErrors = mapSchemaErrors(ajvErrors.slice(0, kept), root);
  for (const m of schemaErrors) {
    diagnostics.push(m.diagnostic);
    if (m.scope.kind === 'app') {
      const parts = parsed.spoiled.get(m.scope.key) ?? new Set<string>();
      parts.add(m.scope.path.slice(0, 2).join('/'));
      parsed.spoiled.set(m.scope.key, parts);
    }
    if (m.scope.kind === 'defaults') parsed.defaultsFailed = true;
    if (m.scope.kind === 'pipeline') parsed.spoiledPipelines.add(m.scope.key);
  }
  // With an unknown top-level key (`app:`), "did you mean apps" already says it.
  const sections = ['apps', 'defaults', 'pipelines', 'teams', 'account', 'environment'];
  if (!sections.some((s) => root.entries.has(s)) && !schemaErrors.some((m) => m.scope.kind === 'file')) {
    diagnostics.push({
      severity: 'error',
      code: Code.noApps,
      message: 'the file declares none of apps:, defaults:, pipelines:, teams: and account:',
      ...nodeLoc(root),
    });
  }
  return parsed;
}

function where(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

/** Records the first declaration of a key across the files; a later one is an error naming both places. */
function firstDeclaration(
  seen: Map<string, PEntry>,
  key: string,
  entry: PEntry,
  what: { code: string; noun: string; address: string },
  diagnostics: Diagnostic[],
): boolean {
  const first = seen.get(key);
  if (!first) {
    seen.set(key, entry);
    return true;
  }
  const at = entryLoc(first);
  diagnostics.push({
    severity: 'error',
    code: what.code,
    message: `${what.noun} ${JSON.stringify(key)} is declared twice (first at ${where(at)})`,
    ...entryLoc(entry),
    address: what.address,
    related: [at],
  });
  return false;
}

/** Checks that need every app: names, hostnames and add-on names are global on Heroku. */
function crossAppChecks(apps: DesiredApp[], diagnostics: Diagnostic[]): void {
  const names = new Map<string, DesiredApp>();
  const hosts = new Map<string, { app: string; loc?: SourceLocation }>();
  const addonNames = new Map<string, { app: string; loc?: SourceLocation }>();
  for (const app of apps) {
    const sameName = names.get(app.name);
    if (sameName && app.loc && sameName.loc) {
      diagnostics.push({
        severity: 'error',
        code: Code.duplicateAppName,
        message: `app ${JSON.stringify(app.key)} has the Heroku name ${JSON.stringify(app.name)}, as app ${JSON.stringify(sameName.key)} does (at ${where(sameName.loc)})`,
        ...(app.fieldLocs?.['name'] ?? app.loc),
        address: formatAddress(app.key),
        related: [sameName.loc],
      });
    } else names.set(app.name, app);
    for (const d of app.domains) {
      const first = hosts.get(d.hostname);
      if (first && d.loc) {
        diagnostics.push({
          severity: 'error',
          code: Code.duplicateDomain,
          message: `domain ${JSON.stringify(d.hostname)} is also declared by app ${JSON.stringify(first.app)}${first.loc ? ` (at ${where(first.loc)})` : ''}: a hostname belongs to one app`,
          ...d.loc,
          address: formatAddress(app.key, 'domain', d.hostname),
          ...(first.loc ? { related: [first.loc] } : {}),
        });
      } else hosts.set(d.hostname, { app: app.key, ...(d.loc ? { loc: d.loc } : {}) });
    }
    for (const a of Object.values(app.addons)) {
      if (a.name === undefined) continue;
      const first = addonNames.get(a.name);
      if (first && a.loc) {
        diagnostics.push({
          severity: 'error',
          code: Code.duplicateAddonName,
          message: `add-on name ${JSON.stringify(a.name)} is also used in app ${JSON.stringify(first.app)}${first.loc ? ` (at ${where(first.loc)})` : ''}: add-on names are unique across Heroku`,
          ...a.loc,
          address: formatAddress(app.key, 'addon', a.key),
          ...(first.loc ? { related: [first.loc] } : {}),
        });
      } else addonNames.set(a.name, { app: app.key, ...(a.loc ? { loc: a.loc } : {}) });
    }
  }
  const byKey = new Map(apps.map((a) => [a.key, a]));
  for (const app of apps) {
    for (const att of Object.values(app.attachments ?? {})) {
      const owner = byKey.get(att.app);
      const problem = !owner
        ? `app ${JSON.stringify(att.app)} is not declared in these files (an attachment names the owning app by its key under apps:, in the same environment)`
        : !owner.addons[att.addon]
          ? `app ${JSON.stringify(att.app)} declares no add-on ${JSON.stringify(att.addon)}${Object.keys(owner.addons).length > 0 ? ` (it has ${Object.keys(owner.addons).sort().join(', ')})` : ''}`
          : undefined;
      if (problem === undefined) continue;
      diagnostics.push({
        severity: 'error',
        code: Code.undeclaredAttachmentAddon,
        message: `attachment ${att.name} of app ${JSON.stringify(app.key)} names ${att.app}/${att.addon}, but ${problem}`,
        ...(att.loc ?? {}),
        address: formatAddress(app.key, 'attachment', att.name),
      });
    }
  }
}

/** Problems listed per file; past that, one line says how many more there are. */
export const MAX_DIAGNOSTICS_PER_FILE = 1000;
/** Schema errors turned into messages per file (ajv reports every one; a file of 600,000 bad keys is not worth 600,000 messages). */
const MAX_SCHEMA_ERRORS = 2 * MAX_DIAGNOSTICS_PER_FILE;

/**
 * Keeps the first errors of each file (they arrive sorted), and ends the
 * file's list with one note saying how many more there are (`unlisted`
 * counts those never turned into diagnostics).
 */
export function capDiagnostics(
  sorted: Diagnostic[],
  unlisted: ReadonlyMap<string, number> = new Map(),
  max = MAX_DIAGNOSTICS_PER_FILE,
): { diagnostics: Diagnostic[]; hidden: number } {
  const shown = new Map<string | undefined, number>();
  const hidden = new Map<string | undefined, number>(unlisted);
  const out: Diagnostic[] = [];
  let total = 0;
  for (const d of sorted) {
    const n = shown.get(d.file) ?? 0;
    if (n < max || d.severity !== 'error') {
      if (d.severity === 'error') shown.set(d.file, n + 1);
      out.push(d);
    } else hidden.set(d.file, (hidden.get(d.file) ?? 0) + 1);
  }
  for (const [file, n] of hidden) {
    if (n === 0) continue;
    total += n;
    out.push({ severity: 'info', code: Code.tooManyProblems, message: `${n} more errors in this file are not listed`, ...(file !== undefined ? { file } : {}) });
  }
  return { diagnostics: out, hidden: total };
}

/** Orders diagnostics by file (as given), then line and column; file-less ones first. */
export function sortDiagnostics(diagnostics: Diagnostic[], files: string[]): Diagnostic[] {
  const rank = new Map<string, number>();
  files.forEach((f, i) => {
    if (!rank.has(f)) rank.set(f, i);
  });
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const fa = a.d.file === undefined ? -1 : (rank.get(a.d.file) ?? files.length);
      const fb = b.d.file === undefined ? -1 : (rank.get(b.d.file) ?? files.length);
      // The "more not listed" note closes its file's list.
      const na = a.d.code === Code.tooManyProblems ? 1 : 0;
      const nb = b.d.code === Code.tooManyProblems ? 1 : 0;
      return fa - fb || na - nb || (a.d.line ?? 0) - (b.d.line ?? 0) || (a.d.col ?? 0) - (b.d.col ?? 0) || a.i - b.i;
    })
    .map((x) => x.d);
}

/**
 * The desired state from YAML texts, without touching the disk: one set of
 * files (defaults in one file apply to the apps of all of them). Never
 * throws for anything the texts contain.
 */
export function parseDesiredState(sources: SourceText[], opts: ParseOptions): ConfigResult {
  const diagnostics: Diagnostic[] = [];
  const unlisted = new Map<string, number>();
  const parsed: ParsedFile[] = [];
  for (const s of sources) {
    const p = parseFile(s, opts, diagnostics, unlisted);
    if (p) parsed.push(p);
  }

  let defaults: PMap | undefined;
  let defaultsOk = true;
  for (const p of parsed) {
    const d = p.root.entries.get('defaults');
    if (!d) continue;
    if (p.defaultsFailed || d.node.kind !== 'map') {
      defaultsOk = false;
      continue;
    }
    const expanded = expandShorthands(d.node);
    defaults = defaults ? combineDefaults(defaults, expanded, diagnostics) : expanded;
  }

  const environment = environmentOf(parsed, diagnostics);

  const builder = new AppBuilder({ env: opts.env, allowMissingEnv: opts.allowMissingEnv ?? false }, diagnostics);
  const declared = new Map<string, PEntry>();
  const apps: Record<string, DesiredApp> = {};
  const perApp: Array<{ app: string; diagnostics: Diagnostic[] }> = [];
  for (const p of parsed) {
    const appsEntry = p.root.entries.get('apps');
    if (!appsEntry || appsEntry.node.kind !== 'map') continue;
    for (const [key, entry] of appsEntry.node.entries) {
      if (!firstDeclaration(declared, key, entry, { code: Code.duplicateApp, noun: 'app', address: formatAddress(key) }, diagnostics)) continue;
      const spoiled = p.spoiled.get(key) ?? new Set<string>();
      if (spoiled.has('') || entry.node.kind !== 'map') continue;
      const own = expandShorthands(entry.node);
      const merged = defaults && defaultsOk ? mergeUnder(defaults, own) : own;
      const before = diagnostics.length;
      apps[key] = builder.build(key, entry, merged, (field, item) => spoiled.has(field) || (item !== undefined && spoiled.has(`${field}/${item}`)));
      perApp.push({ app: key, diagnostics: diagnostics.slice(before) });
    }
  }
  diagnostics.splice(0, diagnostics.length, ...mergeSharedDiagnostics(diagnostics, perApp, defaultsOk ? defaults : undefined));
  crossAppChecks(Object.values(apps), diagnostics);
  for (const app of Object.values(apps)) checkAppLimits(app, diagnostics);

  const pipelineEntries: PipelineEntry[] = [];
  const pipelinesAt = new Map<string, PEntry>();
  let anyPipelines = false;
  for (const p of parsed) {
    const section = p.root.entries.get('pipelines');
    if (!section || section.node.kind !== 'map') continue;
    anyPipelines = true;
    for (const [key, entry] of section.node.entries) {
      if (!firstDeclaration(pipelinesAt, key, entry, { code: Code.duplicatePipeline, noun: 'pipeline', address: formatPipelineAddress(key) }, diagnostics)) continue;
      if (!p.spoiledPipelines.has(key)) pipelineEntries.push({ key, entry });
    }
  }
  const pipelines = buildPipelines(pipelineEntries, new Set(declared.keys()), diagnostics, builder);

  const teamsAt = new Map<string, PEntry>();
  const teamEntries: Array<{ key: string; entry: PEntry }> = [];
  let anyTeams = false;
  let accountAt: PEntry | undefined;
  for (const p of parsed) {
    const section = p.root.entries.get('teams');
    if (section && section.node.kind === 'map') {
      anyTeams = true;
      for (const [key, entry] of section.node.entries) {
        if (firstDeclaration(teamsAt, key, entry, { code: Code.duplicateTeam, noun: 'team', address: formatMemberAddress(key) }, diagnostics)) teamEntries.push({ key, entry });
      }
    }
    const account = p.root.entries.get('account');
    if (account && accountAt) diagnostics.push(duplicateAccount(account, accountAt));
    else if (account) accountAt = account;
  }
  const teams = buildTeams(teamEntries, diagnostics);

  const files = sources.map((s) => s.file);
  const capped = capDiagnostics(sortDiagnostics(diagnostics, files), unlisted);
  const sorted = sortDiagnostics(capped.diagnostics, files);
  const result: ConfigResult = { diagnostics: sorted, files, apps: [...declared.keys()] };
  if (capped.hidden > 0) result.unlistedErrors = capped.hidden;
  if (environment) result.environment = environment.name;
  if (!sorted.some((d) => d.severity === 'error')) {
    result.desired = {
      apps,
      files,
      ...(anyPipelines ? { pipelines } : {}),
      ...(anyTeams ? { teams } : {}),
      ...(accountAt ? { account: buildAccount(accountAt) } : {}),
      ...(environment ? { environment: environment.name, environmentLoc: environment.loc } : {}),
    };
  }
  return result;
}

/**
 * The environment the set names: every file that has `environment:` must
 * name the same one (a shared defaults file names none). Two names are an
 * error at the second, pointing at the first: reading staging.yaml and
 * production.yaml together (`-f .`) would otherwise plan both against one
 * state.
 */
function environmentOf(parsed: ParsedFile[], diagnostics: Diagnostic[]): { name: string; loc: SourceLocation } | undefined {
  let first: { name: string; loc: SourceLocation } | undefined;
  for (const p of parsed) {
    const e = p.root.entries.get('environment');
    if (!e || e.node.kind !== 'scalar' || typeof e.node.value !== 'string' || !ENVIRONMENT_NAME.test(e.node.value)) continue;
    const loc = { ...nodeLoc(e.node) };
    if (!first) {
      first = { name: e.node.value, loc };
    } else if (first.name !== e.node.value) {
      diagnostics.push({
        severity: 'error',
        code: Code.conflictingEnvironments,
        message:
          `this file is for environment ${JSON.stringify(e.node.value)}, but ${where(first.loc)} is for ${JSON.stringify(first.name)}: ` +
          'give the files of one environment at a time (e.g. -f defaults.yaml -f staging.yaml)',
        ...loc,
        related: [first.loc],
      });
    }
  }
  return first;
}

/** As the schema's `environment` pattern: it names state files and database rows. */
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,39}$/;
