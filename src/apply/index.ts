/**
 * The apply engine: guarded, ordered, resumable execution of a Plan.
 * See docs/apply.md.
 */
export { applyPlan, runApply, DEFAULT_CONCURRENCY, DEFAULT_PROVISION_TIMEOUT_MS, type ApplyDeps, type ApplyOptions } from './engine.js';
export { preflight, PreflightCode, isDestructive, type PreflightInput } from './preflight.js';
export { applyToInventory, InventoryUpdateError, type AppliedEffect } from './inventory-update.js';
export { StateSaveError } from './state-writer.js';
