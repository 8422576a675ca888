/**
 * dynoform as a library: `import { plan, apply, startEmulator } from 'dynoform'`.
 * Every public name is listed here; anything not exported from this file
 * is internal and may change without notice. See docs/library.md.
 */

// Operations: one options object each, plain values and diagnostics back, DynoformError on failure.
export {
  validate,
  plan,
  apply,
  applyAndWait,
  drift,
  importApps,
  importFromTerraform,
  state,
  stateList,
  stateShow,
  stateForget,
  stateUnlock,
  stateMigrate,
  statePush,
  adoptLineage,
  STALE_PREFLIGHT_CODES,
  DEFAULTS,
  DynoformError,
  isDynoformError,
  classifyError,
  formatDiagnostic,
  countDiagnostics,
  describeHolder,
  stableStringify,
  VERSION,
  createRedactor,
} from './operations/index.js';
export type {
  CommonOptions,
  ClientTuning,
  Env,
  ErrorCode,
  OperationEvent,
  ReadEstimateEvent,
  ReadProgressEvent,
  RefreshMode,
  ApplyStreamEvent,
  ValidateOptions,
  ValidateOutcome,
  PlanOptions,
  PlanOutcome,
  ApplyOptions,
  ApplyOutcome,
  DriftOptions,
  DriftOutcome,
  ImportOptions,
  ImportOutcome,
  TerraformImportOptions,
  TerraformImportOutcome,
  StateOptions,
  StateListOutcome,
  StateShowOutcome,
  StateForgetOutcome,
  StateUnlockOutcome,
  StatePushOutcome,
  Redactor,
} from './operations/index.js';

// Saved plans: the file format `plan({ out })` writes and `apply({ planFile })` reads.
export { parsePlan, serializePlan, planHasChanges } from './planner/index.js';

// Views: the renderers the CLI uses, for tools that show plans and drift themselves.
export { renderPlanText, renderPlanJson, renderPlanMarkdown, type PlanTextOptions, type PlanMarkdownOptions } from './render/index.js';
export { renderDriftText, type DriftTextOptions } from './render/drift-text.js';
export { renderDriftJson } from './render/drift-json.js';
export { renderDriftMarkdown, type DriftMarkdownOptions } from './render/drift-markdown.js';
export type { DriftRenderOptions } from './render/drift-common.js';
export { renderApplySummary } from './render/apply-text.js';

// The local Platform API emulator, for tests and demos.
export { startEmulator, type EmulatorHandle, type EmulatorOptions, type EmulatorStats } from './emulator/index.js';

// The data model: plain, serialisable values.
export { PLAN_FORMAT_VERSION, INVENTORY_VERSION } from './model/index.js';
export type {
  Address,
  ResourceKind,
  Diagnostic,
  Severity,
  SourceLocation,
  DesiredState,
  DesiredApp,
  Plan,
  Change,
  Action,
  PlanSummary,
  ApplyEvent,
  ApplyResult,
  ChangeReport,
  ChangeOutcome,
  ClientEvent,
  DriftReport,
  DriftItem,
  DriftClass,
  DriftSummary,
  Inventory,
  InventoryApp,
  LiveState,
} from './model/index.js';
