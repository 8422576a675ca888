/**
 * `dynoform state list | show ADDRESS | forget ADDRESS | unlock | push --to URL`:
 * inspect and repair the ownership inventory without touching Heroku.
 */
import type { Command } from 'commander';
import { CliError, type CliContext } from '../context.js';
import { addFileOption, addStateOptions, operationOptions, type CommonOptions } from '../options.js';
import { describeHolder, stableStringify, state, type StateOptions } from '../../operations/index.js';

interface StateCommandOptions extends CommonOptions {
  force?: boolean;
  to?: string;
  from?: string;
}

export function registerState(program: Command, ctx: CliContext): void {
  const group = program
    .command('state')
    .description('Inspect and repair the ownership inventory (what dynoform manages); never changes Heroku')
    .addHelpText(
      'after',
      '\nThe state is --state, else $DYNOFORM_STATE, else .dynoform/<environment>.json (-e/--env; state.json without one) beside the first -f file (or in the current directory).',
    );

  sub(group, 'list', 'Print the address of every entry, one per line', async (o) => {
    const r = await state.list(o);
    if (!r.exists) {
      ctx.stderr.write(`No state in ${r.state} yet: dynoform manages nothing there.\n`);
      return;
    }
    for (const address of r.addresses) ctx.stdout.write(address + '\n');
  });

  sub(group, 'show', 'Print one entry as JSON (ids and fingerprints: state holds no secret values)', async (o, _opts, address) => {
    const r = await state.show({ ...o, address: address! });
    ctx.stdout.write(stableStringify(r.entry) + '\n');
  }, '<address>');

  sub(group, 'forget', 'Stop managing an entry (an app with everything under it) without touching Heroku', async (o, _opts, address) => {
    const r = await state.forget({ ...o, address: address! });
    ctx.stdout.write(`Forgot ${r.removed.length} ${r.removed.length === 1 ? 'entry' : 'entries'} (state serial ${r.serial}):\n`);
    for (const a of r.removed) ctx.stdout.write(`  - ${a}\n`);
    ctx.stdout.write('dynoform no longer manages them; nothing was changed on Heroku. A later plan may offer to adopt them again.\n');
  }, '<address>');

  sub(group, 'unlock', 'Remove a lock left by a crashed run (shows who held it; --force if its holder may be alive)', async (o, opts) => {
    const r = await state.unlock({ ...o, force: opts.force === true });
    if (!r.holder) {
      ctx.stdout.write(`State ${r.state} is not locked.\n`);
      return;
    }
    const holder = r.holder.info ? `${describeHolder(r.holder.info)} [${r.holder.detail}]` : `an unknown holder [${r.holder.detail}]`;
    ctx.stdout.write(`State ${r.state} was locked by ${holder}.\n`);
    if (!r.broken) throw new CliError(`not unlocking: ${r.refused ?? 'its holder may still be running'}`);
    ctx.stdout.write(r.holder.stale ? 'Its process is gone: removed the stale lock.\n' : 'Removed the lock (--force).\n');
  }).option('--force', 'break the lock even if its holder may still be running');

  sub(group, 'push', 'Copy the state to another backend (file ↔ postgres), keeping its lineage', async (o, opts) => {
    if (!opts.to) throw new CliError('state push needs --to <path-or-url>');
    const r = await state.push({ ...o, to: opts.to, force: opts.force === true });
    if (r.outcome === 'up-to-date') {
      ctx.stdout.write(`${r.to} already holds this state (lineage ${r.lineage}, serial ${r.serial}); nothing to push.\n`);
    } else {
      ctx.stdout.write(`Pushed state (lineage ${r.lineage}, serial ${r.serial}) from ${r.from} to ${r.to}.\n`);
      if (r.replacedLineage) ctx.stdout.write(`It replaced a state of lineage ${r.replacedLineage} there (--force).\n`);
      ctx.stdout.write(`Use it with --state ${r.to} (or DYNOFORM_STATE); ${r.from} was left as it was.\n`);
    }
  })
    .option('--to <path-or-url>', 'destination: a state file path or a postgres:// URL')
    .option('--force', 'overwrite a destination that holds another lineage or a newer serial');

  sub(
    group,
    'migrate',
    "Move the apps an environment's files declare out of a state from before environments (default .dynoform/state.json) into the environment's own state",
    async (o, opts) => {
      const r = await state.migrate({ ...o, ...(opts.from !== undefined ? { from: opts.from } : {}) });
      if (r.inPlace) {
        ctx.stdout.write(`Stamped ${r.to} with environment ${r.environment} (${r.moved.length} ${r.moved.length === 1 ? 'app' : 'apps'}).\n`);
      } else {
        ctx.stdout.write(`Moved ${r.moved.length} ${r.moved.length === 1 ? 'app' : 'apps'} of environment ${r.environment} from ${r.from} to ${r.to}: ${r.moved.join(', ') || '(none)'}\n`);
        if (r.left.length > 0) ctx.stdout.write(`Left in ${r.from}: ${r.left.join(', ')} (migrate them with their environment's files).\n`);
      }
      if (r.absent.length > 0) ctx.stdout.write(`Declared but not in the old state (the next plan creates or adopts them): ${r.absent.join(', ')}\n`);
      ctx.stdout.write('Nothing was changed on Heroku. Run `dynoform plan` for the environment: it should show no change.\n');
    },
  ).option('--from <path-or-url>', 'the old state (default .dynoform/state.json beside the first -f file)');

  function sub(
    parent: Command,
    name: string,
    description: string,
    run: (o: StateOptions, opts: StateCommandOptions, arg?: string) => Promise<void>,
    argument?: string,
  ): Command {
    const cmd = parent.command(name).description(description);
    if (argument) cmd.argument(argument);
    addFileOption(cmd);
    addStateOptions(cmd);
    cmd.action(async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const opts = command.opts<StateCommandOptions>();
      await run(operationOptions(ctx, opts), opts, argument ? (args[0] as string) : undefined);
    });
    return cmd;
  }
}
