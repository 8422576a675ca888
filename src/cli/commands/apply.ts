import { Option, type Command } from 'commander';
import { createInterface } from 'node:readline';
import type { CliContext } from '../context.js';
import { CliError, ExitCode } from '../context.js';
import { addApiOptions, addRefreshOption, addFileOption, addStateOptions, collectOption, operationOptions, parseDuration, parsePositiveInt, useColor, type CommonOptions } from '../options.js';
import { apply, DEFAULTS } from '../../operations/index.js';
import { createApplyView } from '../views/apply.js';

interface ApplyOptions extends CommonOptions {
  autoApprove?: boolean;
  allowDestroy?: boolean;
  allowMassDestroy?: boolean;
  target?: string[];
  concurrency?: string;
  provisionTimeout?: string;
  format: 'text' | 'json';
  refresh: 'auto' | 'full';
  color: boolean;
}

export function registerApply(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('apply')
    .argument('[planfile]', 'a plan saved by `dynoform plan -o`: applied exactly as reviewed')
    .description('Apply the changes of a plan (made now, or saved earlier) through guarded, rate-limited requests.')
    .option('--auto-approve', 'apply without asking (for CI)')
    .option('--allow-destroy', 'allow deleting apps and add-ons whose state says protect: false')
    .option('--allow-mass-destroy', 'allow a plan that deletes every app of the state, more than half of them, or declares none')
    .option('--target <app>', 'plan and apply only this app, by YAML key or Heroku name (repeatable; not with a saved plan)', collectOption)
    .option('--concurrency <n>', `apps applied in parallel (default ${DEFAULTS.concurrency}, the client's request concurrency)`)
    .option('--provision-timeout <duration>', `how long to wait for an add-on to provision (default ${DEFAULTS.provisionTimeoutMs / 60_000}m)`)
    .addOption(new Option('--format <format>', 'progress output').choices(['text', 'json']).default('text'))
    .option('--no-color', 'plain output without ANSI colors');
  addFileOption(cmd);
  addRefreshOption(cmd);
  addApiOptions(cmd);
  addStateOptions(cmd);
  cmd.action(async (planfile: string | undefined, opts: ApplyOptions) => {
    const concurrency = parsePositiveInt(opts.concurrency, '--concurrency', DEFAULTS.concurrency, DEFAULTS.maxConcurrency);
    const provisionTimeoutMs = parseDuration(opts.provisionTimeout, '--provision-timeout') ?? DEFAULTS.provisionTimeoutMs;
    if (!planfile && !opts.autoApprove && ctx.stdin.isTTY !== true) {
      throw new CliError('refusing to apply without a terminal to confirm on: review a plan and pass --auto-approve (or apply a saved plan file)');
    }
    const view = createApplyView(ctx, { format: opts.format, color: opts.color && opts.format === 'text' && useColor(ctx, ctx.stdout) });
    const { onEvent: _printedByTheView, ...common } = operationOptions(ctx, opts);
    let exitCode: ExitCode = ExitCode.ok;
    try {
      for await (const e of apply({
        ...common,
        ...(planfile !== undefined ? { planFile: planfile } : {}),
        allowDestroy: opts.allowDestroy === true,
        ...(opts.allowMassDestroy ? { allowMassDestroy: true } : {}),
        ...(opts.target ? { targets: opts.target } : {}),
        refresh: opts.refresh,
        concurrency,
        provisionTimeoutMs,
        ...(opts.autoApprove ? {} : { confirm: async () => (await ask(ctx, "Do you want to apply these changes? Only 'yes' will be accepted: "))?.trim() === 'yes' }),
      })) {
        view.onEvent(e);
        if (e.type === 'apply-skipped') exitCode = e.reason === 'not-confirmed' ? ExitCode.error : ExitCode.ok;
        if (e.type === 'apply-done') {
          const r = e.result;
          exitCode = r.conflicts > 0 ? ExitCode.stale : r.failed.length > 0 || r.interrupted ? ExitCode.error : ExitCode.ok;
        }
      }
    } finally {
      view.stop();
    }
    ctx.exitCode = exitCode;
  });
}

/**
 * One line from the terminal; undefined when the user ends input instead
 * (Ctrl-D), presses Ctrl-C at the prompt (readline takes it in raw mode,
 * so no SIGINT reaches the process), or the run is interrupted.
 */
async function ask(ctx: CliContext, question: string): Promise<string | undefined> {
  const rl = createInterface({ input: ctx.stdin, output: ctx.stdout, terminal: true });
  try {
    const answer = await new Promise<string | undefined>((resolveAnswer) => {
      let done = false;
      const finish = (a: string | undefined): void => {
        if (done) return;
        done = true;
        resolveAnswer(a);
      };
      rl.question(question, finish);
      rl.on('close', () => finish(undefined));
      rl.on('SIGINT', () => finish(undefined));
      ctx.signal.addEventListener('abort', () => finish(undefined), { once: true });
    });
    // The cursor is still on the prompt's line.
    if (answer === undefined) ctx.stdout.write('\n');
    return answer;
  } finally {
    rl.close();
  }
}
