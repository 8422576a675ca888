import { Option, type Command } from 'commander';
import type { CliContext } from '../context.js';
import { ExitCode } from '../context.js';
import { addApiOptions, addRefreshOption, addFileOption, addStateOptions, collectOption, operationOptions, stopReadProgress, type CommonOptions } from '../options.js';
import { formatDiagnostic, plan } from '../../operations/index.js';
import { renderPlanView, type PlanFormat } from '../views/plan.js';

interface PlanOptions extends CommonOptions {
  out?: string;
  format: PlanFormat;
  detailedExitcode?: boolean;
  target?: string[];
  allowMassDestroy?: boolean;
  refresh: 'auto' | 'full';
  color: boolean;
}

export function registerPlan(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('plan')
    .description('Compare the YAML with the live apps and show what apply would change (read-only).')
    .option('-o, --out <planfile>', 'save the plan (no secret values: fingerprints only) for `dynoform apply PLANFILE`')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--detailed-exitcode', 'exit 2 when there are changes, 0 when there are none')
    .option('--target <app>', 'plan only this app, by YAML key or Heroku name (repeatable)', collectOption)
    .option('--allow-mass-destroy', 'allow a plan that deletes every app of the state, more than half of them, or declares none')
    .option('--no-color', 'plain output without ANSI colors');
  addFileOption(cmd);
  addRefreshOption(cmd);
  addApiOptions(cmd);
  addStateOptions(cmd);
  cmd.action(async (opts: PlanOptions) => {
    const outcome = await plan({
      ...operationOptions(ctx, opts, { phases: true, format: opts.format }),
      ...(opts.target ? { targets: opts.target } : {}),
      ...(opts.out !== undefined ? { out: opts.out } : {}),
      ...(opts.allowMassDestroy ? { allowMassDestroy: true } : {}),
      refresh: opts.refresh,
    });
    stopReadProgress(ctx);
    ctx.stdout.write(renderPlanView(ctx, outcome.plan, opts.format, opts.color) + '\n');
    if (outcome.savedTo && opts.format === 'text') {
      ctx.stdout.write(`\nSaved the plan to ${opts.out}. Apply it with: dynoform apply ${opts.out}\n`);
    }
    if (outcome.refused) {
      // The errors go to stderr too, one `file:line:col: error: …` line each, where CI logs and editors pick them up.
      for (const d of outcome.plan.diagnostics) if (d.severity === 'error') ctx.stderr.write(formatDiagnostic(d) + '\n');
      ctx.stderr.write(`Error: the plan has errors: apply would refuse it${opts.out !== undefined ? `, so it was not saved to ${opts.out}` : ''}\n`);
      ctx.exitCode = ExitCode.error;
      return;
    }
    ctx.exitCode = opts.detailedExitcode && outcome.hasChanges ? ExitCode.changes : ExitCode.ok;
  });
}
