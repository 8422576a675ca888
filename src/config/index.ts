/**
 * The desired state: YAML files → JSON Schema → DesiredState, with every
 * problem reported as a Diagnostic at file:line:col (DESIGN.md §2).
 */
export { loadDesiredState, DEFAULT_FILES, type LoadOptions } from './load.js';
export { parseDesiredState, type ParseOptions, type SourceText, type ConfigResult } from './parse.js';
export { formatDiagnostic, countDiagnostics } from './format.js';
export { canonicalDynoSize, normaliseHostname, normalisePlan, isHerokuAppName, DYNO_SIZES } from './rules.js';
export { interpolate, type Interpolated } from './interpolate.js';
export { Code as ConfigCode } from './codes.js';
export { SCHEMA_URL } from './schema.js';
export { DEFAULT_MAX_FILE_BYTES } from './text.js';
