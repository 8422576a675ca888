import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import type { CliContext } from '../context.js';
import { ExitCode, terminalWidth } from '../context.js';
import { asCliError } from '../errors.js';
import { addApiOptions, addFileOption, addStateOptions, collectOption, type CommonOptions } from '../options.js';
import {
  computePlan,
  connect,
  loadDesired,
  lockState,
  openStateBackend,
  readInventory,
  useColor,
  writeFileAtomic,
  yamlPaths,
} from '../pipeline.js';
import { planHasChanges, serializePlan } from '../../planner/index.js';
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from '../../render/index.js';
import type { Plan } from '../../model/plan.js';

interface PlanOptions extends CommonOptions {
  out?: string;
  format: 'text' | 'json' | 'markdown';
  detailedExitcode?: boolean;
  target?: string[];
  color: boolean;
}

export function renderPlan(ctx: CliContext, plan: Plan, format: PlanOptions['format'], color: boolean): string {
  if (format === 'json') return renderPlanJson(plan);
  if (format === 'markdown') return renderPlanMarkdown(plan);
  return renderPlanText(plan, { color, width: terminalWidth(ctx.stdout, 100) });
}

export function registerPlan(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('plan')
    .description('Compare the YAML with the live apps and show what apply would change (read-only).')
    .option('-o, --out <planfile>', 'save the plan (no secret values: fingerprints only) for `dynoform apply PLANFILE`')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--detailed-exitcode', 'exit 2 when there are changes, 0 when there are none')
    .option('--target <app>', 'plan only this app (repeatable)', collectOption)
    .option('--no-color', 'plain output without ANSI colors');
  addFileOption(cmd);
  addApiOptions(cmd);
  addStateOptions(cmd);
  cmd.action(async (opts: PlanOptions) => {
    const paths = yamlPaths(ctx, opts);
    const desired = await loadDesired(ctx, paths);
    const backend = openStateBackend(ctx, opts, paths);
    // A saved plan is applied later against this state: hold the lock while it is made (issue 8).
    const lock = opts.out ? await lockState(ctx, backend, opts, 'plan -o') : undefined;
    const { client, apiUrl } = await connect(ctx, opts);
    try {
      const inventory = await readInventory(backend);
      if (ctx.stderr.isTTY) ctx.stderr.write(`Reading the live state of ${Object.keys(desired.apps).length} app(s)…\n`);
      const { plan } = await computePlan(ctx, { desired, client, apiUrl, inventory, ...(opts.target ? { targets: opts.target } : {}) });
      const color = opts.color && opts.format === 'text' && useColor(ctx, ctx.stdout);
      ctx.stdout.write(renderPlan(ctx, plan, opts.format, color) + '\n');
      if (opts.out) {
        const path = resolve(ctx.cwd, opts.out);
        await writeFileAtomic(path, serializePlan(plan));
        if (opts.format === 'text') ctx.stdout.write(`\nSaved the plan to ${opts.out}. Apply it with: dynoform apply ${opts.out}\n`);
      }
      ctx.exitCode = opts.detailedExitcode && planHasChanges(plan) ? ExitCode.changes : ExitCode.ok;
    } catch (err) {
      throw asCliError(err);
    } finally {
      await lock?.release();
      await backend.close();
      client.close();
    }
  });
}
