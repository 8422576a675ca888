import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ApplyResult } from '../model/apply.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Inventory } from '../model/inventory.js';
import type { Plan } from '../model/plan.js';
import { applyPlan, preflight, PreflightCode } from '../apply/index.js';
import { EventChannel, stoppableStream } from '../apply/channel.js';
import { EnvironmentCode, firstPlanDifference, parsePlan, planHasChanges, UNTRUSTED_PLAN_CODES } from '../planner/index.js';
import type { HerokuClient } from '../providers/heroku/client.js';
import { DynoformError, classifyError } from './errors.js';
import type { ApplyStreamEvent } from './events.js';
import type { Fingerprinter } from '../util/fingerprint.js';
import { DEFAULTS, redactDeep, resolveCommon, type CommonOptions, type Resolved } from './options.js';
import { recordObservations } from '../state/observed-config.js';
import type { StateLock } from '../state/backend.js';
import { chooseEnvironment, foreignOwners, ownInventory, savedPlanState, stateLabel } from './environment.js';
import {
  checkRefresh,
  clientWait,
  computePlan,
  connect,
  fingerprintKeys,
  loadDesired,
  lockState,
  openStateBackend,
  prepareFingerprinter,
  readAccount,
  readInventory,
  type RefreshMode,
} from './pipeline.js';

export interface ApplyOptions extends Omit<CommonOptions, 'onEvent'> {
  /**
   * A plan saved by `plan({ out })`, applied exactly as reviewed (relative
   * to `cwd`). Without it (and without `plan`) a plan is made now, under the
   * state lock, and applied if `confirm` agrees.
   */
  planFile?: string;
  /** A saved plan as a value (e.g. `plan().plan` from another process, parsed). */
  plan?: Plan;
  /** Consent to deleting apps and add-ons whose state says `protect: false`. */
  allowDestroy?: boolean;
  /** Lift the refusal of a plan that deletes every app of the state, more than half of them, or declares none. */
  allowMassDestroy?: boolean;
  /** Plan and apply only these apps (YAML keys or Heroku names); not with a saved plan, whose targets were chosen when it was made. */
  targets?: string[];
  /** `full` reads every app's config for a plan made now; default `auto` (an app whose release did not move since apply recorded its config is not read again). */
  refresh?: RefreshMode;
  /** Apps with work in progress at once; default DEFAULTS.concurrency (10). */
  concurrency?: number;
  /** How long to wait for an add-on to finish provisioning; default DEFAULTS.provisionTimeoutMs (15 min). */
  provisionTimeoutMs?: number;
  /**
   * Asked with a plan made now, after its `plan` event was taken from the
   * stream and before anything is written; `false` ends the stream with
   * `apply-skipped` (not-confirmed). Default: apply without asking.
   */
  confirm?: (plan: Plan) => boolean | Promise<boolean>;
}

/**
 * The preflight codes that mean "the plan is stale", not "apply refused":
 * the state moved, or a secret differs from (or is missing since) the plan.
 */
export const STALE_PREFLIGHT_CODES: readonly string[] = [PreflightCode.stale, PreflightCode.secretMismatch, PreflightCode.secretMissing];

/**
 * Applies a plan and yields its progress: the operation's diagnostics and
 * warnings, the plan about to be applied, then the engine's events with
 * the client's rate-limit waits and retries merged in. The last event is
 * `apply-done` (its result) or `apply-skipped`. Failures before any write
 * are thrown as DynoformErrors from the iteration. Breaking out of the loop
 * stops the run like a signal: no new change starts, requests in flight
 * finish, the state is saved, the lock released.
 */
export function apply(options: ApplyOptions = {}): AsyncIterable<ApplyStreamEvent> {
  return stoppableStream<ApplyStreamEvent>(options.signal, (signal, channel) => execute(options, signal, channel), (err) => classifyError(err));
}

export interface ApplyOutcome {
  /** The plan applied (or not, when skipped). */
  plan?: Plan;
  /** Undefined when nothing was applied (no changes, or not confirmed). */
  result?: ApplyResult;
  skipped?: 'no-changes' | 'not-confirmed';
  diagnostics: Diagnostic[];
}

/** `apply()`, consumed: calls `onEvent` for every event and resolves to the outcome. */
export async function applyAndWait(options: ApplyOptions & { onEvent?: (e: ApplyStreamEvent) => void } = {}): Promise<ApplyOutcome> {
  const out: ApplyOutcome = { diagnostics: [] };
  for await (const e of apply(options)) {
    options.onEvent?.(e);
    if (e.type === 'diagnostic') out.diagnostics.push(e.diagnostic);
    else if (e.type === 'plan') out.plan = e.plan;
    else if (e.type === 'apply-done') out.result = e.result;
    else if (e.type === 'apply-skipped') out.skipped = e.reason;
  }
  return out;
}

async function readPlanFile(r: Resolved, planFile: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(resolve(r.cwd, planFile), 'utf8');
  } catch (err) {
    throw new DynoformError('file', `cannot read the plan file ${planFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const keys = fingerprintKeys(r);
  const parsed = parsePlan(text, planFile, keys ? { keys } : {});
  for (const d of parsed.diagnostics) r.emit({ type: 'diagnostic', diagnostic: d });
  if (!parsed.plan) {
    const untrusted = parsed.diagnostics.some((d) => UNTRUSTED_PLAN_CODES.includes(d.code));
    throw new DynoformError(untrusted ? 'untrusted-plan' : 'invalid-option', `${planFile} is not a usable plan file${untrusted ? ': nothing was applied' : ''}`, {
      diagnostics: parsed.diagnostics,
    });
  }
  return parsed.plan;
}


async function execute(options: ApplyOptions, signal: AbortSignal, channel: EventChannel<ApplyStreamEvent>): Promise<void> {
  const common = resolveCommon(options);
  const r = { ...common, emit: (e: ApplyStreamEvent) => channel.push(redactDeep(e, common.redactor)) };
  const concurrency = options.concurrency ?? DEFAULTS.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > DEFAULTS.maxConcurrency) {
    throw new DynoformError('invalid-option', `concurrency must be a whole number from 1 to ${DEFAULTS.maxConcurrency} (got ${concurrency})`);
  }
  const provisionTimeoutMs = options.provisionTimeoutMs ?? DEFAULTS.provisionTimeoutMs;
  if (!(Number.isFinite(provisionTimeoutMs) && provisionTimeoutMs > 0)) {
    throw new DynoformError('invalid-option', `provisionTimeoutMs must be a positive number of milliseconds (got ${String(provisionTimeoutMs)})`);
  }
  if (options.plan && options.planFile !== undefined) throw new DynoformError('invalid-option', 'give either plan or planFile, not both');
  const refresh = checkRefresh(options.refresh);

  let saved = options.plan;
  if (!saved && options.planFile !== undefined) saved = await readPlanFile(r, options.planFile);
  // A saved plan re-loads the files it was made from, unless told otherwise.
  const paths = r.filesGiven || !saved ? r.paths : saved.files.map((f) => resolve(r.cwd, f));
  const desired = await loadDesired(r, paths);
  if (saved && options.targets && options.targets.length > 0) {
    throw new DynoformError('invalid-option', 'a saved plan is applied as it was made: give --target to `dynoform plan` instead');
  }
  const environment = chooseEnvironment(r, options.environment, desired, saved);
  // A saved plan goes back to the state it was made against.
  const backend = openStateBackend(r, savedPlanState(r, options.state, saved), paths, environment);
  try {
    const lock = await lockState(r, backend, 'apply', options.signal);
    try {
      const { client, apiUrl, listen } = await connect(r, { ...options, concurrency: Math.max(DEFAULTS.clientConcurrency, concurrency), abortInFlight: false }, (e) => {
        const wait = clientWait(e);
        if (wait) channel.push({ type: 'wait', ...wait });
      });
      try {
        // The state as read under the lock: nobody else can move it until we release.
        let inventory: Inventory = lock.current ? ownInventory(lock.current, environment, backend) : await readInventory(backend, environment);
        let plan: Plan;
        // A plan made here is applied with the fingerprinter that made it: without a configured key its guards use a key only it holds.
        let fingerprint: Fingerprinter | undefined;
        if (saved) {
          plan = saved;
          inventory = adoptLineage(inventory, saved);
          if (saved.apiUrl !== apiUrl.toString()) {
            throw new DynoformError('stale', `the plan was made against ${saved.apiUrl}, not ${apiUrl.toString()}`);
          }
          channel.push({ type: 'plan', plan, saved: true });
        } else {
          const foreign = await foreignOwners(r, backend);
          const run = await computePlan(r, {
              desired,
              client,
              apiUrl,
              inventory,
              environment,
              state: stateLabel(r, backend),
              foreign,
              listen,
              ...(options.targets ? { targets: options.targets } : {}),
              ...(options.allowMassDestroy ? { allowMassDestroy: true } : {}),
              refresh,
            });
          plan = run.plan;
          fingerprint = run.fingerprint;
          // What this read saw, for the next plan to skip reads by (written with the first change, or below when there is none).
          const observed = recordObservations(inventory, run.live, desired, run.fingerprint);
          channel.push({ type: 'plan', plan, saved: false });
          const errors = plan.diagnostics.filter((d) => d.severity === 'error');
          if (errors.length > 0) {
            for (const d of errors) channel.push({ type: 'diagnostic', diagnostic: d });
            throw new DynoformError('refused', 'apply refused: the plan has errors', { diagnostics: errors });
          }
          if (!planHasChanges(plan)) {
            if (observed) await recordOnly(lock, observed);
            channel.push({ type: 'apply-skipped', reason: 'no-changes' });
            return;
          }
          if (options.confirm) {
            // The consumer shows the plan before the question is asked.
            await Promise.race([channel.idle(), new Promise<void>((done) => signal.addEventListener('abort', () => done(), { once: true }))]);
            if (signal.aborted || !(await options.confirm(plan))) {
              channel.push({ type: 'apply-skipped', reason: 'not-confirmed' });
              return;
            }
          }
          if (observed) inventory = observed;
        }

        fingerprint ??= await prepareFingerprinter(r, inventory, desired);
        const problems = preflight(plan, { inventory, desired, fingerprint, allowDestroy: options.allowDestroy === true });
        for (const d of problems) channel.push({ type: 'diagnostic', diagnostic: d });
        const fatal = problems.filter((d) => d.severity === 'error');
        if (fatal.length > 0) {
          const stale = fatal.some((d) => STALE_PREFLIGHT_CODES.includes(d.code));
          throw new DynoformError(
            stale ? 'stale' : 'refused',
            stale ? 'the plan no longer matches the state or the secrets it was made with: run `dynoform plan` again' : 'apply refused',
            { diagnostics: problems },
          );
        }
        if (saved && planHasChanges(plan)) {
          await checkAccount(client, saved, options.planFile, signal);
          // Whatever the file says (signed or not, checksum or not), apply writes only what
          // the YAML and the live state give now: the plan is re-derived and must agree.
          const fresh = await computePlan(r, {
            desired,
            client,
            apiUrl,
            inventory,
            environment,
            state: stateLabel(r, backend),
            foreign: await foreignOwners(r, backend),
            listen,
            ...(saved.targets ? { targets: saved.targets } : {}),
            ...(options.allowMassDestroy ? { allowMassDestroy: true } : {}),
            refresh,
          });
          refuseDifferentPlan(saved, fresh.plan);
        }

        for await (const e of applyPlan(plan, {
          client,
          desired,
          inventory,
          lock,
          fingerprint,
          options: {
            allowDestroy: options.allowDestroy === true,
            concurrency,
            provisionTimeoutMs,
            signal,
          },
        })) {
          channel.push(e);
        }
      } finally {
        client.close();
      }
    } finally {
      await lock.release();
    }
  } finally {
    await backend.close();
  }
}

/** A no-op apply still records what it read (the state's serial moves, as after any write). */
async function recordOnly(lock: StateLock, inventory: Inventory): Promise<void> {
  try {
    await lock.write(inventory);
  } catch (err) {
    throw classifyError(err);
  }
}

/** A saved plan is applied only with the account it was made with; a plan file that names none predates the check. */
async function checkAccount(client: HerokuClient, saved: Plan, planFile: string | undefined, signal: AbortSignal): Promise<void> {
  if (!saved.account) {
    if (planFile === undefined) return;
    throw new DynoformError('untrusted-plan', `${planFile} records no account (it was made by an older dynoform): make the plan again; nothing was applied`);
  }
  const now = await readAccount(client, signal);
  if (now.id !== saved.account.id) {
    throw new DynoformError(
      'untrusted-plan',
      `the plan was made with the Heroku account ${saved.account.email}, but the token here belongs to ${now.email}: apply it with the account it was made with, or make the plan again; nothing was applied`,
    );
  }
}

/** Refuses (before any write) a saved plan whose changes are not the ones the YAML and the live state give now. */
function refuseDifferentPlan(saved: Plan, fresh: Plan): void {
  const errors = fresh.diagnostics.filter((d) => d.severity === 'error' && d.code !== EnvironmentCode.massDestroy);
  if (errors.length > 0) {
    throw new DynoformError('stale', `the plan no longer holds: ${errors[0]!.message}; nothing was applied: run plan again`, { diagnostics: errors });
  }
  const diff = firstPlanDifference(saved, fresh);
  if (!diff) return;
  const diagnostic: Diagnostic = {
    severity: 'error',
    code: 'plan-differs',
    address: diff.address,
    message: `${diff.address}: ${diff.field}: the plan says ${diff.saved}, the YAML and the live state give ${diff.now}`,
  };
  throw new DynoformError(
    'untrusted-plan',
    `the saved plan does not match what the YAML and the live state give now (changed since plan was made, or the plan file was edited): ${diagnostic.message}; nothing was applied: run plan again`,
    { diagnostics: [diagnostic] },
  );
}

/**
 * The lineage-adoption rule: a plan made before any state existed (serial
 * 0, nothing owned) creates the state with the plan's lineage, so that its
 * fingerprints (salted with that lineage) still match.
 */
export function adoptLineage(inventory: Inventory, saved: Plan): Inventory {
  if (inventory.serial === 0 && Object.keys(inventory.apps).length === 0 && saved.serial === 0) {
    return { ...inventory, lineage: saved.lineage };
  }
  return inventory;
}
