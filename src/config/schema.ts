import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/** schema/ sits beside src/ and dist/ alike, and ships in the npm package. */
export const SCHEMA_URL = new URL('../../schema/dynoform.schema.json', import.meta.url);

export type JsonSchema = Record<string, unknown>;

let cached: { schema: JsonSchema; validate: ValidateFunction } | undefined;

export function loadSchema(): JsonSchema {
  return JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as JsonSchema;
}

/**
 * Compiled once per process. `verbose` keeps the failing schema and data on
 * each error, which the message mapper uses for "did you mean" candidates
 * and for telling which branch of an `anyOf` the user was writing.
 */
export function schemaValidator(): ValidateFunction {
  if (!cached) {
    const schema = loadSchema();
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    cached = { schema, validate: ajv.compile(schema) };
  }
  return cached.validate;
}

export function validateAgainstSchema(data: unknown): ErrorObject[] {
  const validate = schemaValidator();
  return validate(data) ? [] : [...(validate.errors ?? [])];
}
