import { resolve } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Plan } from '../model/plan.js';
import { planHasChanges, serializePlan } from '../planner/index.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { DynoformError, classifyError } from './errors.js';
import { resolveCommon, type CommonOptions } from './options.js';
import { collectDiagnostics } from './diagnostics.js';
import { chooseEnvironment, foreignOwners, stateLabel } from './environment.js';
import { checkRefresh, computePlan, connect, fingerprintKeys, loadDesired, lockState, openStateBackend, readAccount, readInventory, type RefreshMode } from './pipeline.js';

export interface PlanOptions extends CommonOptions {
  /** Plan only these app keys (`--target`); others are not even reported as deletions. */
  targets?: string[];
  /**
   * Save the plan here (relative to `cwd`) for a later `apply({ planFile })`.
   * The state lock is held while the plan is made, so that it is tied to one
   * state version. The file holds fingerprints, never secret values; it
   * records the account (one GET /account more) and is signed when
   * DYNOFORM_FINGERPRINT_KEY is set.
   */
  out?: string;
  /** The plan's timestamp; default now. */
  now?: Date;
  /** Lift the refusal of a plan that deletes every app of the state, more than half of them, or declares none. */
  allowMassDestroy?: boolean;
  /** `full` reads every app's config; default `auto` (an app whose release did not move since apply recorded its config is not read again). */
  refresh?: RefreshMode;
}

export interface PlanOutcome {
  plan: Plan;
  /** True when applying the plan would change something. */
  hasChanges: boolean;
  /** The configuration's diagnostics (warnings), then the planner's. */
  diagnostics: Diagnostic[];
  /** Absolute path the plan was saved to, with `out`. */
  savedTo?: string;
  /** True when the plan carries errors (a mass deletion, an app of another environment…) or a blocked or refused change: apply would refuse it, so it was not saved. */
  refused: boolean;
}

/**
 * Reads the YAML, the state and the live apps and computes what apply
 * would change. Read-only towards Heroku.
 */
export async function plan(options: PlanOptions = {}): Promise<PlanOutcome> {
  const refresh = checkRefresh(options.refresh);
  const { r, diagnostics } = collectDiagnostics(resolveCommon(options));
  const desired = await loadDesired(r);
  const environment = chooseEnvironment(r, options.environment, desired);
  const backend = openStateBackend(r, options.state, r.paths, environment);
  try {
    // A saved plan is applied later against this state: hold the lock while it is made (issue 8).
    const lock = options.out !== undefined ? await lockState(r, backend, 'plan -o', options.signal) : undefined;
    try {
      const { client, apiUrl, listen } = await connect(r, options);
      try {
        const inventory = await readInventory(backend, environment);
        const foreign = await foreignOwners(r, backend);
        const run = await computePlan(r, {
          desired,
          client,
          apiUrl,
          inventory,
          listen,
          environment,
          state: stateLabel(r, backend),
          foreign,
          ...(options.allowMassDestroy ? { allowMassDestroy: true } : {}),
          refresh,
          ...(options.targets ? { targets: options.targets } : {}),
          ...(options.now ? { now: options.now } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        });
        let savedTo: string | undefined;
        let made = run.plan;
        // A change that cannot be made fails the plan, as Terraform's prevent_destroy does: apply would refuse it.
        const refused =
          made.diagnostics.some((d) => d.severity === 'error') ||
          made.changes.some((c) => c.action === 'blocked' || c.action === 'replace-refused');
        if (options.out !== undefined && !refused) {
          // Apply refuses the file under another account's token (issue 13).
          made = { ...made, account: await readAccount(client, options.signal) };
          savedTo = resolve(r.cwd, options.out);
          const keys = fingerprintKeys(r);
          try {
            await writeFileAtomic(savedTo, serializePlan(made, keys ? { keys } : {}), { mode: 0o600, mkdir: true });
          } catch (err) {
            throw new DynoformError('file', `cannot write the plan file ${options.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
          }
        }
        return {
          plan: made,
          hasChanges: planHasChanges(made),
          refused,
          diagnostics: [...diagnostics, ...made.diagnostics],
          ...(savedTo ? { savedTo } : {}),
        };
      } finally {
        client.close();
      }
    } finally {
      await lock?.release();
    }
  } catch (err) {
    throw classifyError(err);
  } finally {
    await backend.close();
  }
}
