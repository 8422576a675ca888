import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { RESPONSE_SCHEMAS, type ResponseShape } from './response-schemas.js';

export type { ResponseShape };

/**
 * Checks API response bodies against the fields dynoform reads
 * (response-schemas.ts, derived from the official schema) before anything
 * is built from them: a drain without a URL must stop the run, not read as
 * "no drain" and plan a deletion.
 */
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function validator(shape: ResponseShape, list: boolean): ValidateFunction {
  const key = `${shape}${list ? '[]' : ''}`;
  let fn = compiled.get(key);
  if (!fn) {
    // allErrors off: the first problem is the one reported, and the check stays cheap on large lists.
    ajv ??= new Ajv({ strict: false, allErrors: false, validateFormats: false });
    const schema = RESPONSE_SCHEMAS[shape] as unknown as object;
    fn = ajv.compile(list ? { type: 'array', items: schema } : schema);
    compiled.set(key, fn);
  }
  return fn;
}

/** undefined when `body` has the shape, else the offending field and what is wrong with it (no values: they may be secrets). */
export function shapeProblem(shape: ResponseShape, body: unknown, list = false): { field: string; problem: string } | undefined {
  const fn = validator(shape, list);
  if (fn(body)) return undefined;
  return describe(fn.errors?.[0], body);
}

function fieldOf(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc === '' ? p : `${acc}.${p}`), '');
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return v === '' ? 'an empty string' : 'a string';
  return `a ${typeof v}`;
}

function at(body: unknown, pointer: string): unknown {
  let v: unknown = body;
  for (const p of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

function describe(e: ErrorObject | undefined, body: unknown): { field: string; problem: string } {
  if (!e) return { field: '(body)', problem: 'is not what the API schema describes' };
  const field = fieldOf(e.instancePath);
  const params = e.params as Record<string, unknown>;
  const got = typeOf(at(body, e.instancePath));
  switch (e.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      return { field: field === '' ? missing : `${field}.${missing}`, problem: 'is missing' };
    }
    case 'type': {
      const want = ([] as unknown[]).concat(params.type).map(String).join(' or ');
      return { field: field || '(body)', problem: `must be ${want}, got ${got}` };
    }
    case 'enum':
      return { field: field || '(body)', problem: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'minLength':
      return { field: field || '(body)', problem: `must not be empty` };
    default:
      return { field: field || '(body)', problem: e.message ?? 'is invalid' };
  }
}
