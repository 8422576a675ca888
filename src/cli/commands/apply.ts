import { Option, type Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { CliContext } from '../context.js';
import { CliError, ExitCode } from '../context.js';
import { addApiOptions, addFileOption, addStateOptions, parseDuration, parsePositiveInt, type CommonOptions } from '../options.js';
import {
  computePlan,
  connect,
  loadDesired,
  lockState,
  openStateBackend,
  prepareFingerprinter,
  readInventory,
  useColor,
  yamlPaths,
} from '../pipeline.js';
import { createApplyReporter } from '../progress.js';
import { renderPlan } from './plan.js';
import { asCliError } from '../errors.js';
import { parsePlan, planHasChanges } from '../../planner/index.js';
import { DEFAULT_CONCURRENCY, preflight, runApply } from '../../apply/index.js';
import { renderApplySummary } from '../../render/apply-text.js';
import { formatDiagnostic } from '../../config/index.js';
import type { Plan } from '../../model/plan.js';
import type { ApplyResult } from '../../model/apply.js';

interface ApplyOptions extends CommonOptions {
  autoApprove?: boolean;
  allowDestroy?: boolean;
  concurrency?: string;
  provisionTimeout?: string;
  format: 'text' | 'json';
  color: boolean;
}

export function registerApply(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('apply')
    .argument('[planfile]', 'a plan saved by `dynoform plan -o`: applied exactly as reviewed')
    .description('Apply the changes of a plan (made now, or saved earlier) through guarded, rate-limited requests.')
    .option('--auto-approve', 'apply without asking (for CI)')
    .option('--allow-destroy', 'allow deleting apps and add-ons whose state says protect: false')
    .option('--concurrency <n>', "apps applied in parallel (default 10, the client's request concurrency)")
    .option('--provision-timeout <duration>', 'how long to wait for an add-on to provision (default 15m)')
    .addOption(new Option('--format <format>', 'progress output').choices(['text', 'json']).default('text'))
    .option('--no-color', 'plain output without ANSI colors');
  addFileOption(cmd);
  addApiOptions(cmd);
  addStateOptions(cmd);
  cmd.action(async (planfile: string | undefined, opts: ApplyOptions) => {
    const concurrency = parsePositiveInt(opts.concurrency, '--concurrency', DEFAULT_CONCURRENCY, 100);
    const provisionTimeoutMs = parseDuration(opts.provisionTimeout, '--provision-timeout') ?? 15 * 60_000;
    if (!planfile && !opts.autoApprove && ctx.stdin.isTTY !== true) {
      throw new CliError('refusing to apply without a terminal to confirm on: review a plan and pass --auto-approve (or apply a saved plan file)');
    }
    const color = opts.color && opts.format === 'text' && useColor(ctx, ctx.stdout);

    let saved: Plan | undefined;
    if (planfile) {
      const path = resolve(ctx.cwd, planfile);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        throw new CliError(`cannot read the plan file ${planfile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const parsed = parsePlan(text, planfile);
      for (const d of parsed.diagnostics) ctx.stderr.write(formatDiagnostic(d) + '\n');
      if (!parsed.plan) throw new CliError(`${planfile} is not a usable plan file`);
      saved = parsed.plan;
    }

    const paths = opts.file && opts.file.length > 0 ? yamlPaths(ctx, opts) : saved ? saved.files.map((f) => resolve(ctx.cwd, f)) : yamlPaths(ctx, opts);
    const desired = await loadDesired(ctx, paths);
    const backend = openStateBackend(ctx, opts, paths);
    const lock = await lockState(ctx, backend, opts, 'apply');
    const reporter = createApplyReporter(ctx, { format: opts.format, color });
    const { client, apiUrl } = await connect(ctx, { ...opts, concurrency: Math.max(10, concurrency), abortInFlight: false }, (e) => reporter.onClientEvent(e));
    try {
      // The state as read under the lock: nobody else can move it until we release.
      let inventory = lock.current ?? (await readInventory(backend));
      let plan: Plan;
      if (saved) {
        plan = saved;
        // A plan made before any state existed creates the state with the plan's lineage.
        if (inventory.serial === 0 && Object.keys(inventory.apps).length === 0 && saved.serial === 0) {
          inventory = { ...inventory, lineage: saved.lineage };
        }
        if (saved.apiUrl !== apiUrl.toString()) {
          throw new CliError(`the plan was made against ${saved.apiUrl}, not ${apiUrl.toString()}`, ExitCode.stale);
        }
        if (opts.format === 'text') ctx.stdout.write(renderPlan(ctx, plan, 'text', color) + '\n\n');
      } else {
        const run = await computePlan(ctx, { desired, client, apiUrl, inventory });
        plan = run.plan;
        if (opts.format === 'text') ctx.stdout.write(renderPlan(ctx, plan, 'text', color) + '\n\n');
        if (!planHasChanges(plan)) {
          ctx.exitCode = ExitCode.ok;
          return;
        }
        if (!opts.autoApprove) {
          const answer = await ask(ctx, "Do you want to apply these changes? Only 'yes' will be accepted: ");
          if (answer.trim() !== 'yes') {
            ctx.stdout.write('Apply cancelled; nothing was changed.\n');
            ctx.exitCode = ExitCode.error;
            return;
          }
        }
      }

      const fingerprint = await prepareFingerprinter(inventory, desired);
      const problems = preflight(plan, { inventory, desired, fingerprint, allowDestroy: opts.allowDestroy === true });
      for (const d of problems) ctx.stderr.write(formatDiagnostic(d) + '\n');
      const fatal = problems.filter((d) => d.severity === 'error');
      if (fatal.length > 0) {
        const stale = fatal.some((d) => d.code === 'plan-stale' || d.code === 'secret-mismatch' || d.code === 'secret-missing');
        throw new CliError(
          stale ? 'the plan no longer matches the state or the secrets it was made with: run `dynoform plan` again' : 'apply refused',
          stale ? ExitCode.stale : ExitCode.error,
        );
      }

      let result: ApplyResult;
      try {
        result = await runApply(
          plan,
          {
            client,
            desired,
            inventory,
            lock,
            fingerprint,
            options: { allowDestroy: opts.allowDestroy === true, concurrency, provisionTimeoutMs, signal: ctx.signal },
          },
          (e) => reporter.onEvent(e),
        );
      } finally {
        reporter.stop();
      }
      if (opts.format === 'text') ctx.stdout.write('\n' + renderApplySummary(result, color) + '\n');
      ctx.exitCode = result.conflicts > 0 ? ExitCode.stale : result.failed.length > 0 || result.interrupted ? ExitCode.error : ExitCode.ok;
    } catch (err) {
      throw asCliError(err);
    } finally {
      await lock.release();
      await backend.close();
      client.close();
    }
  });
}

async function ask(ctx: CliContext, question: string): Promise<string> {
  const rl = createInterface({ input: ctx.stdin, output: ctx.stdout, terminal: true });
  try {
    return await new Promise<string>((resolveAnswer) => {
      rl.question(question, resolveAnswer);
      ctx.signal.addEventListener('abort', () => resolveAnswer(''), { once: true });
    });
  } finally {
    rl.close();
  }
}
