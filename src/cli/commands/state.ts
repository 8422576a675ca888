/**
 * `dynoform state list | show ADDRESS | forget ADDRESS | unlock | push --to URL`:
 * inspect and repair the ownership inventory without touching Heroku.
 */
import type { Command } from 'commander';
import { CliError, type CliContext } from '../context.js';
import { addFileOption, addStateOptions, parseDuration, type CommonOptions } from '../options.js';
import {
  describeHolder,
  findAddress,
  forgetAddress,
  isStateError,
  listAddresses,
  lockOwner,
  openState,
  pushState,
  resolveStateSpec,
  stableStringify,
  type LockHolder,
  type StateBackend,
} from '../../state/index.js';

interface StateCommandOptions extends CommonOptions {
  force?: boolean;
  to?: string;
}

export function registerState(program: Command, ctx: CliContext): void {
  const state = program
    .command('state')
    .description('Inspect and repair the ownership inventory (what dynoform manages); never changes Heroku')
    .addHelpText(
      'after',
      '\nThe state is --state, else $DYNOFORM_STATE, else .dynoform/state.json beside the first -f file (or in the current directory).',
    );

  sub(state, 'list', 'Print the address of every entry, one per line', async (backend) => {
    const inv = await backend.read();
    if (!inv) {
      ctx.stderr.write(`No state in ${backend.describe()} yet: dynoform manages nothing there.\n`);
      return;
    }
    for (const address of listAddresses(inv)) ctx.stdout.write(address + '\n');
  });

  sub(state, 'show', 'Print one entry as JSON (ids and fingerprints: state holds no secret values)', async (backend, _opts, address) => {
    const inv = await backend.read();
    if (!inv) throw new CliError(`no state in ${backend.describe()} yet`);
    const matches = findAddress(inv, address!);
    if (matches.length === 0) throw notFound(address!, backend);
    if (matches.length > 1) throw ambiguous(address!, matches.map((m) => m.key ?? m.address));
    ctx.stdout.write(stableStringify(matches[0]!.entry) + '\n');
  }, '<address>');

  sub(state, 'forget', 'Stop managing an entry (an app with everything under it) without touching Heroku', async (backend, opts, address) => {
    const lock = await backend.lock({ who: lockOwner(ctx.env), operation: 'state forget', timeoutMs: lockTimeout(opts), signal: ctx.signal });
    try {
      const inv = lock.current;
      if (!inv) throw new CliError(`no state in ${backend.describe()} yet`);
      const matches = findAddress(inv, address!);
      if (matches.length === 0) throw notFound(address!, backend);
      if (matches.length > 1) throw ambiguous(address!, matches.map((m) => m.key ?? m.address));
      const { inventory, removed } = forgetAddress(inv, address!);
      if (removed.length === 0) throw new CliError(`nothing to forget at ${address}: it has no entries`);
      await lock.write(inventory);
      const serial = lock.current?.serial ?? inventory.serial + 1;
      ctx.stdout.write(`Forgot ${removed.length} ${removed.length === 1 ? 'entry' : 'entries'} (state serial ${serial}):\n`);
      for (const a of removed) ctx.stdout.write(`  - ${a}\n`);
      ctx.stdout.write('dynoform no longer manages them; nothing was changed on Heroku. A later plan may offer to adopt them again.\n');
    } finally {
      await lock.release();
    }
  }, '<address>');

  sub(state, 'unlock', 'Remove a lock left by a crashed run (shows who held it; --force if its holder may be alive)', async (backend, opts) => {
    const result = await backend.breakLock({ force: opts.force === true });
    if (!result.holder) {
      ctx.stdout.write(`State ${backend.describe()} is not locked.\n`);
      return;
    }
    ctx.stdout.write(`State ${backend.describe()} was locked by ${holderLine(result.holder)}.\n`);
    if (!result.broken) throw new CliError(`not unlocking: ${result.refused ?? 'its holder may still be running'}`);
    ctx.stdout.write(result.holder.stale ? 'Its process is gone: removed the stale lock.\n' : 'Removed the lock (--force).\n');
  }).option('--force', 'break the lock even if its holder may still be running');

  sub(state, 'push', 'Copy the state to another backend (file ↔ postgres), keeping its lineage', async (backend, opts) => {
    if (!opts.to) throw new CliError('state push needs --to <path-or-url>');
    const dest = openState(opts.to, { cwd: ctx.cwd });
    try {
      const result = await pushState(backend, dest, {
        who: lockOwner(ctx.env),
        force: opts.force === true,
        timeoutMs: lockTimeout(opts),
        signal: ctx.signal,
      });
      if (result.outcome === 'up-to-date') {
        ctx.stdout.write(`${dest.describe()} already holds this state (lineage ${result.lineage}, serial ${result.serial}); nothing to push.\n`);
      } else {
        ctx.stdout.write(`Pushed state (lineage ${result.lineage}, serial ${result.serial}) from ${backend.describe()} to ${dest.describe()}.\n`);
        if (result.replacedLineage) ctx.stdout.write(`It replaced a state of lineage ${result.replacedLineage} there (--force).\n`);
        ctx.stdout.write(`Use it with --state ${dest.describe()} (or DYNOFORM_STATE); ${backend.describe()} was left as it was.\n`);
      }
    } finally {
      await dest.close();
    }
  })
    .option('--to <path-or-url>', 'destination: a state file path or a postgres:// URL')
    .option('--force', 'overwrite a destination that holds another lineage or a newer serial');

  function sub(
    parent: Command,
    name: string,
    description: string,
    run: (backend: StateBackend, opts: StateCommandOptions, arg?: string) => Promise<void>,
    argument?: string,
  ): Command {
    const cmd = parent.command(name).description(description);
    if (argument) cmd.argument(argument);
    addFileOption(cmd);
    addStateOptions(cmd);
    cmd.action(async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const opts = command.opts<StateCommandOptions>();
      const arg = argument ? (args[0] as string) : undefined;
      const spec = resolveStateSpec({ flag: opts.state, env: ctx.env.DYNOFORM_STATE, files: opts.file, cwd: ctx.cwd });
      let backend: StateBackend | undefined;
      try {
        backend = openState(spec, { cwd: ctx.cwd });
        await run(backend, opts, arg);
      } catch (err) {
        if (isStateError(err)) throw new CliError(err.message);
        throw err;
      } finally {
        await backend?.close();
      }
    });
    return cmd;
  }
}

function lockTimeout(opts: CommonOptions): number {
  return parseDuration(opts.lockTimeout, '--lock-timeout') ?? 0;
}

function holderLine(holder: LockHolder): string {
  return holder.info ? `${describeHolder(holder.info)} [${holder.detail}]` : `an unknown holder [${holder.detail}]`;
}

function notFound(address: string, backend: StateBackend): CliError {
  return new CliError(`no entry at ${address} in state ${backend.describe()} (see \`dynoform state list\`)`);
}

function ambiguous(address: string, ids: string[]): CliError {
  return new CliError(`${address} matches ${ids.length} drains with the same masked URL; name one by its id instead: ${ids.join(', ')}`);
}
