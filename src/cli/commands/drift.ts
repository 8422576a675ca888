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
import { asCliError } from '../errors.js';
import { addApiOptions, addRefreshOption, addFileOption, collectOption, operationOptions, stopReadProgress, useColor, type CommonOptions } from '../options.js';
import { drift } from '../../operations/index.js';
import type { SourceLocation } from '../../model/diagnostic.js';
import type { DriftReport } from '../../model/drift.js';
import { escapeData, renderDriftGithub } from '../../render/drift-github.js';
import { renderDriftJson } from '../../render/drift-json.js';
import { renderDriftMarkdown } from '../../render/drift-markdown.js';
import { renderDriftText } from '../../render/drift-text.js';
import type { DriftRenderOptions } from '../../render/drift-common.js';

type DriftFormat = 'text' | 'json' | 'markdown' | 'github';

interface DriftOptions extends CommonOptions {
  format: DriftFormat;
  classes?: string;
  target?: string[];
  refresh: 'auto' | 'full';
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
    .option('--target <app>', 'check only this app, by YAML key or Heroku name (repeatable)', collectOption)
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
  addRefreshOption(cmd);
  addApiOptions(cmd);
  // Only where the state is: drift reads it without the lock, so --lock-timeout would mean nothing.
  cmd.option('-e, --env <environment>', "the environment (stack): must match the files' environment:; picks the state (default $DYNOFORM_ENV, else the files')");
  cmd.option('--state <path-or-url>', 'state file path or postgres:// URL (default $DYNOFORM_STATE or .dynoform/<environment>.json beside the first YAML file)');
  cmd.action(async (opts: DriftOptions) => {
    try {
      await runDrift(ctx, opts);
    } catch (err) {
      const failure = asCliError(err);
      if (opts.format === 'github' && failure) ctx.stdout.write(`::error title=dynoform drift::${escapeData(failure.message)}\n`);
      throw err;
    }
  });
}

async function runDrift(ctx: CliContext, opts: DriftOptions): Promise<void> {
  const { report, counted, hasDrift: driftFound, count } = await drift({
    ...operationOptions(ctx, opts, { format: opts.format === 'json' ? 'json' : 'text' }),
    refresh: opts.refresh,
    ...(opts.classes !== undefined ? { classes: opts.classes } : {}),
    ...(opts.target ? { targets: opts.target } : {}),
  });
  if (opts.target && opts.format === 'text') {
    ctx.stderr.write(`Targeting is in effect: only ${opts.target.join(', ')} ${opts.target.length === 1 ? 'is' : 'are'} checked; drift in other apps is not reported.\n`);
  }

  const base = ctx.env.GITHUB_WORKSPACE && opts.format !== 'text' ? ctx.env.GITHUB_WORKSPACE : ctx.cwd;
  const renderOpts: DriftRenderOptions = { counted, displayPath: (file) => displayPath(base, resolve(ctx.cwd, file)) };
  stopReadProgress(ctx);
  ctx.stdout.write(render(ctx, report, opts, renderOpts) + '\n');

  if (opts.format === 'github' && ctx.env.GITHUB_STEP_SUMMARY) {
    const link = sourceLinker(ctx.env, base, ctx.cwd);
    await appendTo(ctx.env.GITHUB_STEP_SUMMARY, renderDriftMarkdown(report, { ...renderOpts, ...(link ? { sourceLink: link } : {}) }) + '\n', '$GITHUB_STEP_SUMMARY');
  }
  if (ctx.env.GITHUB_OUTPUT) {
    await appendTo(ctx.env.GITHUB_OUTPUT, `has_drift=${driftFound}\ndrift_count=${count}\n`, '$GITHUB_OUTPUT');
  }
  ctx.exitCode = driftFound ? ExitCode.changes : ExitCode.ok;
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
      return renderDriftText(report, { ...renderOpts, color: opts.color && useColor(ctx, ctx.stdout) });
  }
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
