import type { DesiredState } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { countDiagnostics, loadDesiredState } from '../config/index.js';
import { resolveCommon, type CommonOptions } from './options.js';

export interface ValidateOptions extends Pick<CommonOptions, 'files' | 'cwd' | 'env' | 'onEvent'> {
  /** Report unset `${env:…}` variables as warnings, not errors (to validate without secrets). */
  allowMissingEnv?: boolean;
}

export interface ValidateOutcome {
  valid: boolean;
  /** The YAML files read, in order. */
  files: string[];
  /** Apps declared (valid or not). */
  apps: number;
  /** Every problem found, sorted by file, line and column. */
  diagnostics: Diagnostic[];
  errors: number;
  warnings: number;
  /** The desired state, when valid. */
  desired?: DesiredState;
}

/**
 * Reads the YAML offline (no API, no state) and reports every problem, not
 * only the first. Without `files`, `dynoform.yaml` (or `.yml`) in `cwd`.
 */
export async function validate(options: ValidateOptions = {}): Promise<ValidateOutcome> {
  const r = resolveCommon(options);
  const result = await loadDesiredState(options.files ?? [], { env: r.env, cwd: r.cwd, allowMissingEnv: options.allowMissingEnv ?? false });
  for (const d of result.diagnostics) r.emit({ type: 'diagnostic', diagnostic: d });
  const counts = countDiagnostics(result.diagnostics);
  const valid = result.desired !== undefined;
  return {
    valid,
    files: result.files,
    apps: valid ? Object.keys(result.desired!.apps).length : result.apps.length,
    diagnostics: result.diagnostics,
    errors: counts.errors + (result.unlistedErrors ?? 0),
    warnings: counts.warnings,
    ...(valid ? { desired: result.desired! } : {}),
  };
}
