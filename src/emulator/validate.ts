import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { dereference, linksFor, patchedRoot } from './schema.js';

/**
 * Request bodies are validated against the `schema` of the official link
 * for the route. Formats are not checked: the schema declares bare hostnames
 * as `uri`, which the real API accepts, so the handlers check values the
 * schema cannot describe.
 */
let ajv: Ajv | undefined;
const cache = new Map<string, ValidateFunction[] | null>();

function engine(): Ajv {
  if (!ajv) {
    // unicodeRegExp off: the schema's patterns use escapes such as `\:` that
    // are invalid in unicode mode but fine (and meant) in plain JS regexps.
    ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false, unicodeRegExp: false });
  }
  return ajv;
}

function compiled(method: string, template: string): ValidateFunction[] | null {
  const key = `${method} ${template}`;
  let fns = cache.get(key);
  if (fns === undefined) {
    const links = linksFor(method, template).filter((l) => l.schema !== undefined);
    fns =
      links.length === 0
        ? null
        : links.map((l) => {
            const root = patchedRoot();
            const def = (root.definitions as Record<string, { links: { schema: unknown }[] }>)[l.resource];
            return engine().compile(dereference(def?.links[l.index]?.schema, root) as object);
          });
    cache.set(key, fns);
  }
  return fns;
}

/** Returns a message naming the offending field, or undefined when the body is valid. */
export function validateBody(method: string, template: string, body: unknown): string | undefined {
  const fns = compiled(method, template);
  if (!fns) return undefined;
  let firstErrors: ErrorObject[] | undefined;
  for (const fn of fns) {
    if (fn(body)) return undefined;
    firstErrors ??= fn.errors ?? [];
  }
  return describe(firstErrors ?? []);
}

function fieldName(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc === '' ? p : `${acc}.${p}`), '');
}

function describe(errors: ErrorObject[]): string {
  // Prefer the most specific error: the deepest path that is not an anyOf summary.
  const ranked = [...errors].sort(
    (a, b) => Number(a.keyword === 'anyOf') - Number(b.keyword === 'anyOf') || b.instancePath.length - a.instancePath.length,
  );
  const e = ranked[0];
  if (!e) return 'Invalid params.';
  const at = fieldName(e.instancePath);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      return `Invalid params: ${at === '' ? missing : `${at}.${missing}`} is required.`;
    }
    case 'additionalProperties':
      return `Invalid params: ${at === '' ? '' : `${at}: `}unknown field ${JSON.stringify(params.additionalProperty)}.`;
    case 'type':
      return `Invalid params: ${at === '' ? 'the request body' : at} must be ${describeType(params.type)}.`;
    case 'pattern':
      return `Invalid params: ${at} must match ${String(params.pattern)}.`;
    case 'enum':
      return `Invalid params: ${at} must be one of ${JSON.stringify(params.allowedValues)}.`;
    default:
      return `Invalid params: ${at === '' ? 'the request body' : at} ${e.message ?? 'is invalid'}.`;
  }
}

function describeType(t: unknown): string {
  const list = Array.isArray(t) ? t.map(String) : String(t).split(',');
  return list.map((x) => (x === 'null' ? 'null' : `a${/^[aeiou]/.test(x) ? 'n' : ''} ${x}`)).join(' or ');
}
