/**
 * `dynoform drift`: read-only. Reads the YAML, the state (without its lock)
 * and the live apps, classifies every difference, prints it in the chosen
 * format, and exits 0 (no drift), 2 (drift of a counted class) or 1 (error).
 */
import { appendFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { CliContext } from '../context.js';
import { CliError, ExitCode } from '../context.js';
import { addApiOptions, addFileOption, addStateOptions, type CommonOptions } from '../options.js';
import { formatDiagnostic, loadDesiredState } from '../../config/index.js';
import { classifyDrift, hasDrift, parseDriftClasses } from '../../drift/index.js';
import type { SourceLocation } from '../../model/diagnostic.js';
import type { DesiredState } from '../../model/desired.js';
import type { DriftClass, DriftReport } from '../../model/drift.js';
import type { Inventory } from '../../model/inventory.js';
import type { LiveState } from '../../model/live.js';
import { resolveApiUrl, resolveCredentials } from '../../providers/heroku/auth.js';
import { HerokuClient } from '../../providers/heroku/client.js';
import { readLiveState } from '../../providers/heroku/live.js';
import { AbortedError, ConfigurationError, HerokuApiError, NetworkError, ProvisioningError } from '../../providers/heroku/errors.js';
import { newInventory, openState, resolveStateSpec, StateError, type StateBackend } from '../../state/index.js';
import { createFingerprinter, saltForLineage, type Fingerprinter, type FingerprintInput } from '../../util/fingerprint.js';
import { VERSION } from '../../version.js';
import { escapeData, renderDriftGithub } from '../../render/drift-github.js';
import { renderDriftJson } from '../../render/drift-json.js';
import { renderDriftMarkdown } from '../../render/drift-markdown.js';
import { renderDriftText } from '../../render/drift-text.js';
import type { DriftRenderOptions } from '../../render/drift-common.js';
import { redact } from '../../util/mask.js';

type DriftFormat = 'text' | 'json' | 'markdown' | 'github';

interface DriftOptions extends CommonOptions {
  format: DriftFormat;
  classes?: string;
  color: boolean;
}

export function registerDrift(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('drift')
    .description('Report every difference between the YAML, the state and the live apps (read-only: sends no write request)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown', 'github']).default('text'))
    .option(
      '--classes <list>',
      'drift classes that count (exit 2, annotations): changed-outside, missing, pending, unmanaged, or all (default: all but unmanaged)',
    )
    .option('--no-color', 'plain output without ANSI colors')
    .addHelpText(
      'after',
      [
        '',
        'Classes:',
        '  changed-outside  a managed value was edited outside dynoform since the last apply',
        '  missing          a managed object was deleted outside dynoform',
        '  pending          the YAML changed and was not applied yet',
        '  unmanaged        exists live but is neither declared nor managed (listed, not counted by default)',
        '',
        'Exit codes: 0 no drift, 2 drift (of a counted class), 1 error.',
        'On GitHub Actions, has_drift=true|false is appended to $GITHUB_OUTPUT; with --format github the',
        'markdown report is also appended to $GITHUB_STEP_SUMMARY.',
      ].join('\n'),
    );
  addFileOption(cmd);
  addApiOptions(cmd);
  addStateOptions(cmd);
  cmd.action(async (opts: DriftOptions) => {
    try {
      await runDrift(ctx, opts);
    } catch (err) {
      const failure = asUserError(err);
      if (opts.format === 'github' && failure instanceof CliError) {
        ctx.stdout.write(`::error title=dynoform drift::${escapeData(failure.message)}\n`);
      }
      throw failure;
    }
  });
}

async function runDrift(ctx: CliContext, opts: DriftOptions): Promise<void> {
  const parsed = parseDriftClasses(opts.classes);
  if (!parsed.ok) throw new CliError(`--classes: ${parsed.message}`);
  const counted = parsed.classes;

  const desired = await loadDesired(ctx, opts.file);
  // Read-only: the state is read without taking its lock, so drift never blocks an apply.
  const backend = openStateBackend(ctx, opts, opts.file);
  const client = await connectClient(ctx, opts);
  let report: DriftReport;
  try {
    const inventory = await readState(backend);
    const live = await readLiveState(client, desired, inventory, { signal: ctx.signal });
    const fingerprint = await prepareFingerprints(inventory, driftFingerprintInputs(desired, live, inventory));
    report = classifyDrift({ desired, live, inventory, fingerprint });
  } finally {
    await backend.close();
    client.close();
  }

  const base = ctx.env.GITHUB_WORKSPACE && opts.format !== 'text' ? ctx.env.GITHUB_WORKSPACE : ctx.cwd;
  const renderOpts: DriftRenderOptions = { counted, displayPath: (file) => displayPath(base, resolve(ctx.cwd, file)) };
  const drift = hasDrift(report, counted);
  ctx.stdout.write(render(ctx, report, opts, renderOpts) + '\n');

  if (opts.format === 'github' && ctx.env.GITHUB_STEP_SUMMARY) {
    const link = sourceLinker(ctx.env, base, ctx.cwd);
    await appendTo(ctx.env.GITHUB_STEP_SUMMARY, renderDriftMarkdown(report, { ...renderOpts, ...(link ? { sourceLink: link } : {}) }) + '\n', '$GITHUB_STEP_SUMMARY');
  }
  if (ctx.env.GITHUB_OUTPUT) {
    await appendTo(ctx.env.GITHUB_OUTPUT, `has_drift=${drift}\ndrift_count=${countOf(report, counted)}\n`, '$GITHUB_OUTPUT');
  }
  ctx.exitCode = drift ? ExitCode.changes : ExitCode.ok;
}

function render(ctx: CliContext, report: DriftReport, opts: DriftOptions, renderOpts: DriftRenderOptions): string {
  switch (opts.format) {
    case 'json':
      return renderDriftJson(report, renderOpts);
    case 'markdown': {
      const link = sourceLinker(ctx.env, ctx.env.GITHUB_WORKSPACE ?? ctx.cwd, ctx.cwd);
      return renderDriftMarkdown(report, { ...renderOpts, ...(link ? { sourceLink: link } : {}) });
    }
    case 'github':
      return renderDriftGithub(report, renderOpts);
    default:
      return renderDriftText(report, { ...renderOpts, color: opts.color && useColor(ctx) });
  }
}

function countOf(report: DriftReport, counted: readonly DriftClass[]): number {
  return report.items.filter((i) => counted.includes(i.class)).length;
}

/** Relative to the repository (or working) directory when the file is inside it, else absolute. */
function displayPath(base: string, file: string): string {
  const rel = relative(base, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel.split('\\').join('/');
}

/** On GitHub Actions, links to the YAML line at the commit being checked. */
function sourceLinker(env: NodeJS.ProcessEnv, base: string, cwd: string): ((loc: SourceLocation) => string | undefined) | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha } = env;
  if (!server || !repo || !sha) return undefined;
  return (loc) => {
    const rel = displayPath(base, resolve(cwd, loc.file));
    if (isAbsolute(rel)) return undefined;
    return `${server}/${repo}/blob/${sha}/${rel.split('/').map(encodeURIComponent).join('/')}#L${loc.line}`;
  };
}

async function appendTo(path: string, text: string, what: string): Promise<void> {
  try {
    await appendFile(path, text);
  } catch (err) {
    throw new CliError(`cannot append to ${what} (${path}): ${(err as Error).message}`);
  }
}

/** Errors from the API, the network or the state are the user's to read: message (credentials masked), no stack. */
export function asUserError(err: unknown): unknown {
  if (err instanceof CliError) return err;
  if (
    err instanceof HerokuApiError ||
    err instanceof NetworkError ||
    err instanceof AbortedError ||
    err instanceof ConfigurationError ||
    err instanceof ProvisioningError ||
    err instanceof StateError
  ) {
    return new CliError(redact(err.message, []));
  }
  return err;
}

// The steps below are the read half of a plan. They mirror what the shared
// CLI pipeline does for plan and apply; kept here so drift and import build
// on stable modules only.

/** Loads the YAML (default dynoform.yaml); prints diagnostics to stderr; throws on errors. */
export async function loadDesired(ctx: CliContext, files: string[] | undefined): Promise<DesiredState> {
  const result = await loadDesiredState(files ?? [], { env: ctx.env, cwd: ctx.cwd });
  for (const d of result.diagnostics) ctx.stderr.write(formatDiagnostic(d) + '\n');
  if (!result.desired) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    throw new CliError(errors > 0 ? `${errors} error${errors === 1 ? '' : 's'} in the configuration` : 'the configuration could not be loaded');
  }
  return result.desired;
}

/** `--state`, else $DYNOFORM_STATE, else .dynoform/state.json beside the first YAML file. */
export function openStateBackend(ctx: CliContext, opts: CommonOptions, files: string[] | undefined): StateBackend {
  const spec = resolveStateSpec({ flag: opts.state, env: ctx.env.DYNOFORM_STATE, files, cwd: ctx.cwd });
  return openState(spec, { cwd: ctx.cwd });
}

export async function readState(backend: StateBackend): Promise<Inventory> {
  return (await backend.read()) ?? newInventory();
}

/** The API client for `--api-url` / $HEROKU_API_URL with $HEROKU_API_KEY or netrc credentials. */
export async function connectClient(ctx: CliContext, opts: CommonOptions): Promise<HerokuClient> {
  const apiUrl = resolveApiUrl(opts.apiUrl, ctx.env);
  const creds = await resolveCredentials({ apiUrl, env: ctx.env });
  for (const w of creds.warnings) ctx.stderr.write(`Warning: ${w}\n`);
  return new HerokuClient({
    apiUrl,
    token: creds.token,
    userAgent: `dynoform/${VERSION}`,
    onEvent: (e) => {
      if (e.type === 'warning') ctx.stderr.write(`Warning: ${e.message}\n`);
    },
    signal: ctx.signal,
  });
}

/** Secret fingerprints are slow (scrypt): computed up front, concurrently, so classification stays pure. */
export async function prepareFingerprints(inventory: Inventory, inputs: FingerprintInput[]): Promise<Fingerprinter> {
  const fp = createFingerprinter(saltForLineage(inventory.lineage));
  await fp.prepare(inputs);
  return fp;
}

/** Every secret whose fingerprint drift compares: declared values and drain URLs, and live values of owned secret keys. */
export function driftFingerprintInputs(desired: DesiredState, live: LiveState, inventory: Inventory): FingerprintInput[] {
  const out: FingerprintInput[] = [];
  for (const app of Object.values(desired.apps)) {
    for (const v of Object.values(app.config)) if (v.secret) out.push({ value: v.value, secret: true });
    for (const d of app.drains) if (d.secret) out.push({ value: d.url, secret: true });
  }
  for (const [key, app] of Object.entries(live.apps)) {
    for (const [k, meta] of Object.entries(inventory.apps[key]?.config ?? {})) {
      const v = app.config.vars[k];
      if (meta.secret && v !== undefined) out.push({ value: v, secret: true });
    }
  }
  return out;
}

export function useColor(ctx: CliContext): boolean {
  if (ctx.env.NO_COLOR !== undefined && ctx.env.NO_COLOR !== '') return false;
  if (ctx.env.FORCE_COLOR && ctx.env.FORCE_COLOR !== '0') return true;
  return ctx.stdout.isTTY === true && ctx.env.TERM !== 'dumb';
}
