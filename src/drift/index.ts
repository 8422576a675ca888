export { classifyDrift, summarize } from './classify.js';
export { DRIFT_CLASSES, DEFAULT_COUNTED, parseDriftClasses, countedItems, hasDrift, type ParsedClasses } from './classes.js';
export { SENSITIVE, type DriftInput, type FingerprintFn } from './context.js';
