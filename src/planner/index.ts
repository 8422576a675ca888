/**
 * The planner: desired × live × inventory → Plan, and the plan file.
 * Pure: no network, no disk, no clock, no randomness.
 */
export { createPlan, planHasChanges, summarize } from './plan.js';
export { EnvironmentCode, MASS_DESTROY_SHARE } from './environment.js';
export { parsePlan, serializePlan, PLAN_FILE_FORMAT } from './planfile.js';
export { displayDrainUrl } from './drains.js';
export { catalogueNeeds, checkCatalogue, needsNothing, CatalogueCode } from './catalogue.js';
export { HIDDEN, SENSITIVE } from './context.js';
export type { FingerprintFn, PlannerInput, PlannerOptions } from './context.js';
