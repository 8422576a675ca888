import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/** schema/ sits beside src/ and dist/ alike, and ships in the npm package. */
export const SCHEMA_URL = new URL('../../schema/dynoform.schema.json', import.meta.url);

export type JsonSchema = Record<string, unknown>;

const SCHEMA_KEY = 'dynoform.schema.json';

let cached: { file: ValidateFunction; app: ValidateFunction } | undefined;

export function loadSchema(): JsonSchema {
  return JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as JsonSchema;
}

/**
 * Compiled once per process. `verbose` keeps the failing schema and data on
 * each error, which the message mapper uses for "did you mean" candidates
 * and for telling which branch of an `anyOf` the user was writing.
 */
function validators(): { file: ValidateFunction; app: ValidateFunction } {
  if (!cached) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    ajv.addSchema(loadSchema(), SCHEMA_KEY);
    cached = {
      file: ajv.getSchema(SCHEMA_KEY)!,
      app: ajv.compile({ $ref: `${SCHEMA_KEY}#/definitions/app` }),
    };
  }
  return cached;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * All schema errors of one file's data. Each app is validated on its own:
 * ajv appends the errors of a referenced schema by copying the array so
 * far, so one pass over a file with tens of thousands of failing apps
 * would take time in their number squared. The file itself is validated
 * with every app replaced by `{}`, which keeps the checks on app keys.
 */
export function validateAgainstSchema(data: unknown): ErrorObject[] {
  const v = validators();
  const apps = isPlainObject(data) && isPlainObject(data['apps']) ? data['apps'] : undefined;
  const shell = apps ? { ...data as Record<string, unknown>, apps: Object.fromEntries(Object.keys(apps).map((k) => [k, {}])) } : data;
  const errors: ErrorObject[] = v.file(shell) ? [] : [...(v.file.errors ?? [])];
  if (apps) {
    for (const [key, app] of Object.entries(apps)) {
      if (v.app(app)) continue;
      const prefix = `/apps/${escapePointer(key)}`;
      for (const e of v.app.errors ?? []) errors.push({ ...e, instancePath: prefix + e.instancePath });
    }
  }
  return errors;
}
