import type { Diagnostic } from '../model/diagnostic.js';
import type { DriftClass, DriftReport } from '../model/drift.js';
import { classifyDrift, hasDrift, parseDriftClasses } from '../drift/index.js';
import { readLiveWithProgress } from './read-live.js';
import { DynoformError, classifyError } from './errors.js';
import { collectDiagnostics } from './diagnostics.js';
import { resolveCommon, type CommonOptions } from './options.js';
import { checkRefresh, connect, loadDesired, onlyApps, openStateBackend, prepareFingerprinter, readInventory, recordedApps, recordedConfig, runFingerprinter, type RefreshMode } from './pipeline.js';
import { chooseEnvironment, resolveTargets } from './environment.js';

export interface DriftOptions extends Omit<CommonOptions, 'lockTimeoutMs'> {
  /**
   * The drift classes that count (make `hasDrift` true): a list, or the
   * CLI's text (`changed-outside,missing`, `all`). Default every class but
   * `unmanaged`.
   */
  classes?: readonly DriftClass[] | string;
  /** Check only these apps (YAML keys or Heroku names). */
  targets?: string[];
  /** `full` reads every app's config; default `auto` (an app whose release did not move since apply recorded its config is not read again). */
  refresh?: RefreshMode;
}

export interface DriftOutcome {
  report: DriftReport;
  /** The classes that count. */
  counted: DriftClass[];
  /** True when an item of a counted class was found. */
  hasDrift: boolean;
  /** Items of counted classes. */
  count: number;
  diagnostics: Diagnostic[];
}

/**
 * Every difference between the YAML, the state and the live apps,
 * classified. Read-only: the state is read without its lock (drift never
 * blocks an apply) and no write request is sent.
 */
export async function drift(options: DriftOptions = {}): Promise<DriftOutcome> {
  const counted = countedClasses(options.classes);
  const refresh = checkRefresh(options.refresh);
  const { r, diagnostics } = collectDiagnostics(resolveCommon(options));
  const all = await loadDesired(r);
  const environment = chooseEnvironment(r, options.environment, all);
  const backend = openStateBackend(r, options.state, r.paths, environment);
  try {
    const { client, listen } = await connect(r, options);
    try {
      const owned = await readInventory(backend, environment);
      const keys = resolveTargets(options.targets, all, owned);
      const { desired, inventory } = keys ? onlyApps(all, owned, keys) : { desired: all, inventory: owned };
      // The same reads a plan makes, and nothing else.
      const made = runFingerprinter(r, inventory);
      const live = await readLiveWithProgress(r, {
        client,
        desired,
        inventory,
        listen,
        configFromRecord: recordedConfig(desired, inventory, made, refresh),
        recorded: recordedApps(desired, inventory, refresh),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const fingerprint = await prepareFingerprinter(r, inventory, desired, live, made);
      const report = classifyDrift({ desired, live, inventory, fingerprint });
      return {
        report,
        counted,
        hasDrift: hasDrift(report, counted),
        count: report.items.filter((i) => counted.includes(i.class)).length,
        diagnostics,
      };
    } finally {
      client.close();
    }
  } catch (err) {
    throw classifyError(err);
  } finally {
    await backend.close();
  }
}

function countedClasses(classes: DriftOptions['classes']): DriftClass[] {
  if (classes === undefined || typeof classes === 'string') {
    const parsed = parseDriftClasses(classes);
    if (!parsed.ok) throw new DynoformError('invalid-option', `--classes: ${parsed.message}`);
    return parsed.classes;
  }
  const parsed = parseDriftClasses(classes.join(','));
  if (!parsed.ok) throw new DynoformError('invalid-option', `classes: ${parsed.message}`);
  return parsed.classes;
}
