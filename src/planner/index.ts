/**
 * The planner: desired × live × inventory → Plan, and the plan file.
 * Pure: no network, no disk, no clock, no randomness.
 */
export { createPlan, planHasChanges, summarize } from './plan.js';
export { EnvironmentCode, MASS_DESTROY_SHARE } from './environment.js';
export { parsePlan, serializePlan, PLAN_FILE_FORMAT, UNTRUSTED_PLAN_CODES, type PlanFileOptions } from './planfile.js';
export { firstPlanDifference, type PlanDifference } from './plan-compare.js';
export { displayDrainUrl } from './drains.js';
export { catalogueNeeds, checkCatalogue, needsNothing, CatalogueCode } from './catalogue.js';
export { HIDDEN, SENSITIVE } from './context.js';
export type { FingerprintFn, PlannerInput, PlannerOptions } from './context.js';
