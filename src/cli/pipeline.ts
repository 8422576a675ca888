import { dirname, relative, resolve } from 'node:path';
import { mkdir, rename, writeFile, open } from 'node:fs/promises';
import type { CliContext } from './context.js';
import { CliError, ExitCode } from './context.js';
import type { CommonOptions } from './options.js';
import { parseDuration } from './options.js';
import type { DesiredState } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Inventory } from '../model/inventory.js';
import type { LiveState } from '../model/live.js';
import type { Plan } from '../model/plan.js';
import type { ClientEvent } from '../model/client.js';
import { formatDiagnostic, loadDesiredState } from '../config/index.js';
import { resolveApiUrl, resolveCredentials } from '../providers/heroku/auth.js';
import { HerokuClient } from '../providers/heroku/client.js';
import { readLiveState } from '../providers/heroku/live.js';
import { describeHolder, lockOwner, openState, resolveStateSpec } from '../state/index.js';
import type { StateBackend, StateLock } from '../state/backend.js';
import { newInventory } from '../state/inventory.js';
import { createFingerprinter, saltForLineage, type Fingerprinter } from '../util/fingerprint.js';
import { createPlan } from '../planner/index.js';
import { VERSION } from '../version.js';

export const DEFAULT_FILE = 'dynoform.yaml';

export function yamlPaths(ctx: CliContext, opts: CommonOptions): string[] {
  const files = opts.file && opts.file.length > 0 ? opts.file : [DEFAULT_FILE];
  return files.map((f) => resolve(ctx.cwd, f));
}

/** Prints diagnostics to stderr; throws when any is an error. */
export function reportDiagnostics(ctx: CliContext, diagnostics: Diagnostic[]): void {
  for (const d of diagnostics) ctx.stderr.write(formatDiagnostic(d) + '\n');
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) throw new CliError(`${errors} error${errors === 1 ? '' : 's'} in the configuration; nothing was planned`);
}

export async function loadDesired(ctx: CliContext, paths: string[]): Promise<DesiredState> {
  const { desired, diagnostics } = await loadDesiredState(paths, { env: ctx.env, cwd: ctx.cwd });
  reportDiagnostics(ctx, diagnostics);
  if (!desired) throw new CliError('the configuration could not be loaded');
  return desired;
}

export interface Connection {
  client: HerokuClient;
  apiUrl: URL;
}

export async function connect(
  ctx: CliContext,
  opts: CommonOptions & { concurrency?: number; abortInFlight?: boolean },
  onEvent?: (e: ClientEvent) => void,
): Promise<Connection> {
  let apiUrl: URL;
  try {
    apiUrl = resolveApiUrl(opts.apiUrl, ctx.env);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  let creds: Awaited<ReturnType<typeof resolveCredentials>>;
  try {
    creds = await resolveCredentials({ apiUrl, env: ctx.env });
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  for (const w of creds.warnings) ctx.stderr.write(`Warning: ${w}\n`);
  const budget = rateLimitProfile(ctx);
  const client = new HerokuClient({
    ...budget,
    apiUrl,
    token: creds.token,
    userAgent: `dynoform/${VERSION}`,
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    // DYNOFORM_DEBUG=1 logs each request line (method, path, status, timing: never a header value or body).
    ...(ctx.env.DYNOFORM_DEBUG && ctx.env.DYNOFORM_DEBUG !== '0' ? { onDebug: (line: string) => ctx.stderr.write(`debug: ${line}\n`) } : {}),
    onEvent: (e) => {
      if (e.type === 'warning') ctx.stderr.write(`Warning: ${e.message}\n`);
      onEvent?.(e);
    },
    // Reads may be cut short by Ctrl-C; apply lets requests in flight finish
    // (the engine stops starting new ones), so it passes abortInFlight: false.
    ...(opts.abortInFlight === false ? {} : { signal: ctx.signal }),
  });
  return { client, apiUrl };
}

/**
 * The API does not announce the account's pool or refill rate. Accounts on
 * another profile than today's 4,500 / 4,500 per hour (older 2,400 or 1,200
 * pools, a local emulator with a small bucket) say so here, or the client
 * keeps a reserve sized for 4,500 and paces far too early.
 */
function rateLimitProfile(ctx: CliContext): { bucketSize?: number; refillPerHour?: number } {
  const read = (name: string): number | undefined => {
    const text = ctx.env[name];
    if (text === undefined || text === '') return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new CliError(`${name} must be a whole number of at least 1 (got "${text}")`);
    return n;
  };
  const pool = read('DYNOFORM_RATE_LIMIT_POOL');
  const refill = read('DYNOFORM_RATE_LIMIT_REFILL_PER_HOUR');
  return { ...(pool !== undefined ? { bucketSize: pool } : {}), ...(refill !== undefined ? { refillPerHour: refill } : {}) };
}

/** `--state`, else $DYNOFORM_STATE, else `.dynoform/state.json` beside the first YAML file (inside a folder given with -f). */
export function stateSpec(ctx: CliContext, opts: CommonOptions, paths: string[]): string {
  return resolveStateSpec({
    ...(opts.state !== undefined ? { flag: opts.state } : {}),
    ...(ctx.env.DYNOFORM_STATE !== undefined ? { env: ctx.env.DYNOFORM_STATE } : {}),
    files: paths,
    cwd: ctx.cwd,
  });
}

export function openStateBackend(ctx: CliContext, opts: CommonOptions, paths: string[]): StateBackend {
  try {
    return openState(stateSpec(ctx, opts, paths), { cwd: ctx.cwd });
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

export async function lockState(ctx: CliContext, backend: StateBackend, opts: CommonOptions, operation: string): Promise<StateLock> {
  const timeoutMs = parseDuration(opts.lockTimeout, '--lock-timeout') ?? 0;
  try {
    const ci = ctx.env.GITHUB_ACTIONS ? ` (GitHub Actions run ${ctx.env.GITHUB_RUN_ID ?? '?'})` : '';
    const lock = await backend.lock({ who: lockOwner(ctx.env) + ci, operation, timeoutMs, signal: ctx.signal });
    if (lock.tookOver) {
      ctx.stderr.write(
        `Warning: took over the state lock left by ${describeHolder(lock.tookOver)}: that process is no longer running, so its ${lock.tookOver.operation} was interrupted. Everything it finished is in the state; the plan shows what is left.\n`,
      );
    }
    return lock;
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

export async function readInventory(backend: StateBackend): Promise<Inventory> {
  try {
    return (await backend.read()) ?? newInventory();
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

/** Every value whose fingerprint planning, apply or drift may ask for. */
export function valuesToFingerprint(desired: DesiredState, live?: LiveState, inventory?: Inventory): { value: string; secret: boolean }[] {
  const out: { value: string; secret: boolean }[] = [];
  for (const app of Object.values(desired.apps)) {
    for (const v of Object.values(app.config)) out.push({ value: v.value, secret: v.secret });
    for (const d of app.drains) out.push({ value: d.url, secret: d.secret });
  }
  if (live && inventory) {
    for (const [key, app] of Object.entries(live.apps)) {
      const owned = inventory.apps[key]?.config ?? {};
      for (const [k, meta] of Object.entries(owned)) {
        const v = app.config.vars[k];
        if (v !== undefined) out.push({ value: v, secret: meta.secret });
      }
    }
  }
  return out;
}

export async function prepareFingerprinter(
  inventory: Inventory,
  desired: DesiredState,
  live?: LiveState,
): Promise<Fingerprinter> {
  const fp = createFingerprinter(saltForLineage(inventory.lineage));
  await fp.prepare(valuesToFingerprint(desired, live, inventory));
  return fp;
}

export interface PlanRun {
  plan: Plan;
  desired: DesiredState;
  live: LiveState;
  inventory: Inventory;
  fingerprint: Fingerprinter;
}

export async function computePlan(
  ctx: CliContext,
  args: { desired: DesiredState; client: HerokuClient; apiUrl: URL; inventory: Inventory; targets?: string[] },
): Promise<PlanRun> {
  const { desired, client, apiUrl, inventory } = args;
  if (args.targets && args.targets.length > 0) {
    const unknown = args.targets.filter((t) => !desired.apps[t] && !inventory.apps[t]);
    if (unknown.length > 0) throw new CliError(`--target names no declared or managed app: ${unknown.join(', ')}`);
  }
  const live = await readLiveState(client, desired, inventory);
  const fingerprint = await prepareFingerprinter(inventory, desired, live);
  const plan = createPlan({
    desired,
    live,
    inventory,
    fingerprint: (value, secret) => fingerprint.sync(value, secret),
    options: {
      apiUrl: apiUrl.toString(),
      dynoformVersion: VERSION,
      now: new Date().toISOString(),
      ...(args.targets && args.targets.length > 0 ? { targets: args.targets } : {}),
    },
  });
  // Relative paths, so that a plan made in one CI job applies in another checkout.
  plan.files = desired.files.map((f) => relative(ctx.cwd, resolve(ctx.cwd, f)) || f);
  return { plan, desired, live, inventory, fingerprint };
}

/** Writes a file atomically (temp file, fsync, rename) so a reader never sees half of it. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  await writeFile(tmp, text, { mode: 0o600 });
  const fh = await open(tmp, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

export function useColor(ctx: CliContext, stream: CliContext['stdout']): boolean {
  if (ctx.env.NO_COLOR !== undefined && ctx.env.NO_COLOR !== '') return false;
  if (ctx.env.FORCE_COLOR && ctx.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && ctx.env.TERM !== 'dumb';
}

export { ExitCode };
