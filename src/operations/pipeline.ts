/**
 * The steps every operation is built from, in the order they run:
 * load → state → lock → connect → read live → fingerprint → plan. Each
 * turns the lower layers' failures into DynoformErrors and reports what it
 * notices through `emit`, never by printing.
 */
import { relative, resolve } from 'node:path';
import type { DesiredState } from '../model/desired.js';
import type { Inventory } from '../model/inventory.js';
import type { LiveState } from '../model/live.js';
import type { Plan, PlanAccount } from '../model/plan.js';
import type { ClientEvent } from '../model/client.js';
import { loadDesiredState } from '../config/index.js';
import { resolveApiUrl, resolveCredentials } from '../providers/heroku/auth.js';
import { HerokuClient } from '../providers/heroku/client.js';
import { getAccount } from '../providers/heroku/account.js';
import { describeHolder, lockOwner, openState, resolveStateSpec } from '../state/index.js';
import type { StateBackend, StateLock } from '../state/backend.js';
import { DEFAULT_ENVIRONMENT } from '../state/index.js';
import type { ForeignApp } from '../model/inventory.js';
import { ownInventory, resolveTargets } from './environment.js';
import { createFingerprinter, hasLegacyFingerprints, keysFromEnv, saltForLineage, type Fingerprinter, type FingerprintKeys } from '../util/fingerprint.js';
import { desiredSecrets } from '../util/mask.js';
import { fingerprintInputs } from '../util/fingerprint-inputs.js';
import { catalogueNeeds, checkCatalogue, createPlan, needsNothing } from '../planner/index.js';
import { readCatalogue } from '../providers/heroku/catalogue.js';
import { VERSION } from '../version.js';
import { DynoformError, classifyError } from './errors.js';
import type { CommonOptions, Env, Resolved } from './options.js';
import { readLiveWithProgress, type ReadLiveArgs } from './read-live.js';
import { configFromRecord } from '../state/observed-config.js';

/** Loads the YAML; reports every diagnostic, throws `invalid-config` when any is an error. */
export async function loadDesired(r: Resolved, paths: string[] = r.paths): Promise<DesiredState> {
  const { desired, diagnostics } = await loadDesiredState(paths, { env: r.env, cwd: r.cwd });
  if (desired) r.redactor.add(desiredSecrets(desired));
  for (const d of diagnostics) r.emit({ type: 'diagnostic', diagnostic: d });
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) {
    throw new DynoformError('invalid-config', `${errors} error${errors === 1 ? '' : 's'} in the configuration; nothing was planned`, { diagnostics });
  }
  if (!desired) throw new DynoformError('invalid-config', 'the configuration could not be loaded', { diagnostics });
  return desired;
}

export interface Connection {
  client: HerokuClient;
  apiUrl: URL;
  /** The API token: masked out of every error message. */
  token: string;
  /** Hears the client's events (waits, retries, requests) from now on; returns the unsubscribe. */
  listen(listener: (e: ClientEvent) => void): () => void;
}

/** Resolves the API URL and token and builds the one client of the operation. */
export async function connect(
  r: Resolved,
  opts: Pick<CommonOptions, 'apiUrl' | 'token' | 'signal' | 'client'> & { concurrency?: number; abortInFlight?: boolean },
  onClientEvent?: (e: ClientEvent) => void,
): Promise<Connection> {
  let apiUrl: URL;
  let token: string;
  try {
    apiUrl = resolveApiUrl(opts.apiUrl, r.env);
    if (opts.token !== undefined && opts.token.trim() !== '') {
      token = opts.token.trim();
    } else {
      const creds = await resolveCredentials({ apiUrl, env: r.env });
      for (const w of creds.warnings) r.emit({ type: 'notice', message: w });
      token = creds.token;
    }
  } catch (err) {
    throw classifyError(err, opts.token ? [opts.token] : []);
  }
  const tuning = { ...rateLimitProfile(r.env), ...definedOnly(opts.client ?? {}) };
  const debug = r.env.DYNOFORM_DEBUG && r.env.DYNOFORM_DEBUG !== '0';
  const listeners = new Set<(e: ClientEvent) => void>();
  const client = new HerokuClient({
    ...tuning,
    apiUrl,
    token,
    userAgent: `dynoform/${VERSION}`,
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    // DYNOFORM_DEBUG=1 logs each request line (method, path, status, timing: never a header value or body).
    ...(debug ? { onDebug: (line: string) => r.emit({ type: 'debug', message: line }) } : {}),
    onEvent: (e) => {
      if (e.type === 'warning') r.emit({ type: 'notice', message: e.message });
      for (const l of listeners) l(e);
      if (onClientEvent) return onClientEvent(e);
      // Plan, drift and import show retries too (pacing has its own read-progress events): a silent 30 s wait looks like a hang.
      const wait = e.type === 'retry' ? clientWait(e) : undefined;
      if (wait) r.emit({ type: 'wait', ...wait });
    },
    // Reads may be cut short by the signal; apply lets requests in flight finish
    // (the engine stops starting new ones), so it passes abortInFlight: false.
    ...(opts.abortInFlight === false || !opts.signal ? {} : { signal: opts.signal }),
  });
  const listen = (l: (e: ClientEvent) => void): (() => void) => {
    listeners.add(l);
    return () => listeners.delete(l);
  };
  return { client, apiUrl, token, listen };
}

/** A client event as a wait: rate-limit pauses and retries (with "retrying 2/5" when the retries are counted). */
export function clientWait(e: ClientEvent): { reason: 'rate-limit' | 'retry'; ms: number; detail: string } | undefined {
  if (e.type === 'rate-limit-wait') return { reason: 'rate-limit', ms: e.ms, detail: `${e.remaining} requests left in the budget` };
  if (e.type === 'retry') {
    const count = e.retry !== undefined && e.of !== undefined ? `, retrying ${e.retry}/${e.of}` : '';
    return { reason: 'retry', ms: e.ms, detail: `${e.method} ${e.path}: ${e.reason}${count}` };
  }
  return undefined;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The API does not announce the account's pool or refill rate. Accounts on
 * another profile than today's 4,500 / 4,500 per hour (older 2,400 or 1,200
 * pools, a local emulator with a small bucket) say so in the environment,
 * or the client keeps a reserve sized for 4,500 and paces far too early.
 */
function rateLimitProfile(env: Env): { bucketSize?: number; refillPerHour?: number } {
  const read = (name: string): number | undefined => {
    const text = env[name];
    if (text === undefined || text === '') return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new DynoformError('invalid-option', `${name} must be a whole number of at least 1 (got "${text}")`);
    return n;
  };
  const pool = read('DYNOFORM_RATE_LIMIT_POOL');
  const refill = read('DYNOFORM_RATE_LIMIT_REFILL_PER_HOUR');
  return { ...(pool !== undefined ? { bucketSize: pool } : {}), ...(refill !== undefined ? { refillPerHour: refill } : {}) };
}

/** `state`, else $DYNOFORM_STATE, else `.dynoform/<environment>.json` (`state.json` without one) beside the first YAML file (inside a folder given as a file). */
export function stateSpec(r: Resolved, state: string | undefined, paths: readonly string[] = r.paths, environment?: string): string {
  return resolveStateSpec({
    ...(state !== undefined ? { flag: state } : {}),
    ...(r.env.DYNOFORM_STATE !== undefined ? { env: r.env.DYNOFORM_STATE } : {}),
    files: paths,
    cwd: r.cwd,
    ...(environment !== undefined ? { environment } : {}),
  });
}

export function openStateBackend(r: Resolved, state: string | undefined, paths: readonly string[] = r.paths, environment?: string): StateBackend {
  try {
    return openState(stateSpec(r, state, paths, environment), { cwd: r.cwd, ...(environment !== undefined ? { environment } : {}) });
  } catch (err) {
    throw classifyError(err);
  }
}

/** Takes the state lock; a lock left by a dead process is taken over, with a warning. */
export async function lockState(r: Resolved, backend: StateBackend, operation: string, signal?: AbortSignal): Promise<StateLock> {
  try {
    const ci = r.env.GITHUB_ACTIONS ? ` (GitHub Actions run ${r.env.GITHUB_RUN_ID ?? '?'})` : '';
    const lock = await backend.lock({ who: lockOwner(r.env) + ci, operation, timeoutMs: r.lockTimeoutMs, ...(signal ? { signal } : {}) });
    if (lock.tookOver) {
      r.emit({
        type: 'notice',
        message: `took over the state lock left by ${describeHolder(lock.tookOver)}: that process is no longer running, so its ${lock.tookOver.operation} was interrupted. Everything it finished is in the state; the plan shows what is left.`,
      });
    }
    return lock;
  } catch (err) {
    throw classifyError(err);
  }
}

/** The state, checked to be the environment's (a new one is stamped with it). */
export async function readInventory(backend: StateBackend, environment: string = DEFAULT_ENVIRONMENT): Promise<Inventory> {
  let inv: Inventory | undefined;
  try {
    inv = await backend.read();
  } catch (err) {
    throw classifyError(err);
  }
  return ownInventory(inv, environment, backend);
}

/** Who the token belongs to (GET /account), as API failures are reported everywhere else. */
export async function readAccount(client: HerokuClient, signal?: AbortSignal): Promise<PlanAccount> {
  try {
    return await getAccount(client, signal ? { signal } : {});
  } catch (err) {
    throw classifyError(err);
  }
}

/** DYNOFORM_FINGERPRINT_KEY (and the keys being rotated out), checked; undefined when none is set. */
export function fingerprintKeys(r: Pick<Resolved, 'env'>): FingerprintKeys | undefined {
  const { keys, error } = keysFromEnv(r.env);
  if (error) throw new DynoformError('invalid-option', error);
  return keys;
}

/**
 * How a plan reads config vars: `auto` takes an app's config from the
 * state's record of its last read while the app's release has not moved
 * (3 requests per unchanged app instead of 4); `full` reads every config.
 */
export type RefreshMode = 'auto' | 'full';

export function checkRefresh(refresh: unknown): RefreshMode {
  if (refresh === undefined || refresh === 'auto') return 'auto';
  if (refresh === 'full') return 'full';
  throw new DynoformError('invalid-option', `refresh must be "auto" or "full" (got ${JSON.stringify(refresh)})`);
}

/** The reader's hook for RefreshMode: each app's config from its record, or why it is read. */
export function recordedConfig(desired: DesiredState, inventory: Inventory, fp: Fingerprinter, refresh: RefreshMode): NonNullable<ReadLiveArgs['configFromRecord']> {
  return (key, app) => {
    if (refresh === 'full') return { reason: 'refresh-full' };
    const d = desired.apps[key];
    return d ? configFromRecord(app, d, inventory.apps[key], fp) : { reason: 'no-record' };
  };
}

/** Declared apps with a record of their config: the estimate's guess of the reads the records save. */
export function recordedApps(desired: DesiredState, inventory: Inventory, refresh: RefreshMode): number {
  if (refresh === 'full') return 0;
  return Object.keys(desired.apps).filter((k) => inventory.apps[k]?.observed !== undefined).length;
}

/** Every fingerprint a state holds. */
export function inventoryFingerprints(inventory: Inventory): string[] {
  return Object.values(inventory.apps).flatMap((a) => [...Object.values(a.config).map((c) => c.fingerprint), ...Object.values(a.drains).map((d) => d.urlFingerprint)]);
}

/**
 * The fingerprinter of a run: keyed when a key is configured; able to
 * compare the `scrypt:` fingerprints of older states (precomputed, since
 * each costs ~10 ms) until a keyed plan re-records them.
 */
export async function prepareFingerprinter(
  r: Pick<Resolved, 'env'>,
  inventory: Inventory,
  desired: DesiredState,
  live?: LiveState,
  /** One made before the live read (by runFingerprinter), to prepare now that the values are in. */
  made?: Fingerprinter,
): Promise<Fingerprinter> {
  const fp = made ?? runFingerprinter(r, inventory);
  if (hasLegacyFingerprints(inventoryFingerprints(inventory))) await fp.prepare(fingerprintInputs(desired, live, inventory));
  return fp;
}

/** The run's fingerprinter, not yet prepared for legacy fingerprints (the live read needs it to use the state's records). */
export function runFingerprinter(r: Pick<Resolved, 'env'>, inventory: Inventory): Fingerprinter {
  const keys = fingerprintKeys(r);
  return createFingerprinter({ ...(keys ? { keys } : {}), legacySalt: saltForLineage(inventory.lineage) });
}

export interface PlanRun {
  plan: Plan;
  desired: DesiredState;
  live: LiveState;
  inventory: Inventory;
  fingerprint: Fingerprinter;
}

/** Reads the live state of the declared and owned apps and plans against it (pure from there on). */
export async function computePlan(
  r: Resolved,
  args: {
    desired: DesiredState;
    client: HerokuClient;
    apiUrl: URL;
    inventory: Inventory;
    targets?: string[];
    now?: Date;
    signal?: AbortSignal;
    listen?: Connection['listen'];
    /** The environment planned, the state's label, the apps other states own, consent to mass deletion. */
    environment?: string;
    state?: string;
    foreign?: ForeignApp[];
    allowMassDestroy?: boolean;
    refresh?: RefreshMode;
  },
): Promise<PlanRun> {
  const { desired, client, apiUrl, inventory } = args;
  const made = runFingerprinter(r, inventory);
  const targets = resolveTargets(args.targets, desired, inventory);
  // With targets, only their apps are read: the others are not planned at all.
  const scope = targets ? onlyApps(desired, inventory, targets) : { desired, inventory };
  // The apps read: the declared ones and those the state owns (a deletion reads its app too).
  const reading = new Set([...Object.keys(scope.desired.apps), ...Object.keys(scope.inventory.apps)]).size;
  r.emit({ type: 'phase', phase: 'read-live', apps: reading });
  const live = await readLiveWithProgress(r, {
    client,
    desired: scope.desired,
    inventory: scope.inventory,
    ...(args.listen ? { listen: args.listen } : {}),
    ...(args.signal ? { signal: args.signal } : {}),
    configFromRecord: recordedConfig(scope.desired, scope.inventory, made, args.refresh ?? 'auto'),
    recorded: recordedApps(scope.desired, scope.inventory, args.refresh ?? 'auto'),
  });
  const fingerprint = await prepareFingerprinter(r, inventory, desired, live, made);
  const planned = createPlan({
    desired,
    live,
    inventory,
    fingerprint,
    ...(args.environment !== undefined ? { environment: args.environment } : {}),
    ...(args.foreign ? { foreign: args.foreign } : {}),
    options: {
      ...(args.state !== undefined ? { state: args.state } : {}),
      ...(args.allowMassDestroy ? { allowMassDestroy: true } : {}),
      apiUrl: apiUrl.toString(),
      dynoformVersion: VERSION,
      now: (args.now ?? new Date()).toISOString(),
      // Relative paths, so that a plan made in one CI job applies in another checkout.
      files: desired.files.map((f) => relative(r.cwd, resolve(r.cwd, f)) || f),
      ...(targets ? { targets } : {}),
    },
  });
  const plan = await checkAgainstCatalogue(planned, desired, live, client, args.signal);
  return { plan, desired, live, inventory, fingerprint };
}

/**
 * The names the plan's changes send (regions, stacks, dyno sizes, add-on
 * plans, new app names), checked against what the API offers: once per
 * run, only the parts those changes use, so a plan that creates and
 * changes none of them reads nothing more.
 */
async function checkAgainstCatalogue(plan: Plan, desired: DesiredState, live: LiveState, client: HerokuClient, signal: AbortSignal | undefined): Promise<Plan> {
  const needs = catalogueNeeds(plan, desired, live);
  if (needsNothing(needs)) return plan;
  try {
    return checkCatalogue(plan, desired, live, await readCatalogue(client, needs, signal ? { signal } : {}));
  } catch (err) {
    throw classifyError(err);
  }
}

/** The desired state and inventory cut down to some app keys (`--target`). */
export function onlyApps(desired: DesiredState, inventory: Inventory, keys: readonly string[]): { desired: DesiredState; inventory: Inventory } {
  const pick = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k)));
  return { desired: { ...desired, apps: pick(desired.apps) }, inventory: { ...inventory, apps: pick(inventory.apps) } };
}
