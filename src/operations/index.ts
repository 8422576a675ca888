/**
 * The library: every operation of dynoform as a function taking one
 * options object (defaults in options.ts), returning plain values plus
 * diagnostics, failing with a DynoformError of stable `code`. The CLI is a
 * view over these. See docs/library.md.
 */
export { validate, type ValidateOptions, type ValidateOutcome } from './validate.js';
export { plan, type PlanOptions, type PlanOutcome } from './plan.js';
export { apply, applyAndWait, adoptLineage, STALE_PREFLIGHT_CODES, type ApplyOptions, type ApplyOutcome } from './apply.js';
export { drift, type DriftOptions, type DriftOutcome } from './drift.js';
export { importApps, type ImportOptions, type ImportOutcome } from './import.js';
export { importFromTerraform, type TerraformImportOptions, type TerraformImportOutcome } from './import-terraform.js';
export {
  state,
  stateForget,
  stateMigrate,
  stateList,
  statePush,
  stateShow,
  stateUnlock,
  type StateForgetOutcome,
  type StateListOutcome,
  type StateOptions,
  type StatePushOutcome,
  type StateShowOutcome,
  type StateUnlockOutcome,
} from './state.js';
export { DynoformError, classifyError, isDynoformError, type ErrorCode } from './errors.js';
export { DEFAULTS, type ClientTuning, type CommonOptions, type Env } from './options.js';
export type { ApplyStreamEvent, OperationEvent, ReadEstimateEvent, ReadProgressEvent } from './events.js';
export type { RefreshMode } from './pipeline.js';
// Formatting helpers the views (the CLI's and a library user's) share.
export { formatDiagnostic, countDiagnostics } from '../config/index.js';
export { describeHolder, stableStringify } from '../state/index.js';
export { VERSION } from '../version.js';
// The redactor every operation's events go through; a caller passes its own (`redactor`) to redact what it prints itself.
export { createRedactor, type Redactor } from '../util/mask.js';
