/**
 * Response validation against the official schema, independent of the
 * emulator's own code: the schema comes from test/fixtures, links are
 * indexed here, and ajv (draft-07 engine, ajv-formats) does the checking.
 *
 * Changes to the schema, all in memory:
 * - the two broken `formation/definitions/dyno_size` refs point at
 *   `dyno-size` (the only unresolvable refs in the document);
 * - draft-04 `id` strings and per-resource `$schema` keys are dropped, since
 *   ajv's draft-07 engine rejects them.
 * Format `uri` also accepts a bare hostname: the schema declares
 * `domain.hostname` as `uri` while its own example (`subdomain.example.com`)
 * and every real response are bare hostnames.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, any>;

export const fixture: Json = JSON.parse(readFileSync(new URL('../fixtures/heroku-api/schema.json', import.meta.url), 'utf8'));

function patched(source: unknown): any {
  if (Array.isArray(source)) return source.map(patched);
  if (source !== null && typeof source === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(source)) {
      if (k === '$schema') continue;
      if (k === 'id' && typeof v === 'string') continue;
      out[k] = patched(v);
    }
    return out;
  }
  if (typeof source === 'string' && source.startsWith('#/definitions/dyno_size/')) return source.replace('#/definitions/dyno_size/', '#/definitions/dyno-size/');
  return source;
}

export const schema: Json = patched(fixture);

const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
export const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
addFormats(ajv);
const HOSTNAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const URI = /^[a-z][a-z0-9+.-]*:[^\s]*$/i;
ajv.addFormat('uri', (s: string) => URI.test(s) || HOSTNAME.test(s));
ajv.addSchema(schema, 'heroku');

export interface Link {
  resource: string;
  index: number;
  method: string;
  href: string;
  targetSchema?: unknown;
}

const template = (href: string) => href.replace(/\{\([^)]*\)\}/g, '{}').replace(/\{[^}]*\}/g, '{}');

const links = new Map<string, Link[]>();
for (const [resource, def] of Object.entries(schema.definitions as Record<string, { links?: Json[] }>)) {
  (def.links ?? []).forEach((l, index) => {
    const key = `${String(l.method).toUpperCase()} ${template(String(l.href))}`;
    links.set(key, [...(links.get(key) ?? []), { resource, index, method: l.method, href: l.href, targetSchema: l.targetSchema }]);
  });
}

export function linkFor(method: string, pattern: string): Link | undefined {
  return links.get(`${method} ${template(pattern)}`)?.[0];
}

const validators = new Map<string, ValidateFunction>();
export function targetValidator(link: Link): ValidateFunction {
  const key = `${link.resource}/${link.index}`;
  let v = validators.get(key);
  if (!v) {
    v = ajv.compile({ $ref: `heroku#/definitions/${link.resource}/links/${link.index}/targetSchema` });
    validators.set(key, v);
  }
  return v;
}

function resolve(node: any): any {
  let n = node;
  for (let i = 0; n && typeof n === 'object' && typeof n.$ref === 'string' && i < 20; i++) {
    let t: any = schema;
    for (const part of n.$ref.slice(2).split('/')) t = t?.[decodeURIComponent(part)];
    n = t;
  }
  return n;
}

/**
 * Real clients crash on missing fields, so every property the schema
 * declares must be present, at every depth; and nothing the schema does not
 * declare may be invented. Returns the problems found.
 */
export function completeness(value: unknown, node: unknown, path = '$'): string[] {
  const s = resolve(node);
  if (!s || typeof s !== 'object' || value === null || value === undefined) return [];
  if (s.anyOf || s.oneOf) return [];
  if (Array.isArray(value)) {
    const items = s.items;
    return items ? value.flatMap((v, i) => completeness(v, items, `${path}[${i}]`)) : [];
  }
  if (typeof value !== 'object' || !s.properties) return [];
  const problems: string[] = [];
  const obj = value as Json;
  for (const key of Object.keys(s.properties)) {
    if (!(key in obj)) problems.push(`${path}.${key} is missing`);
    else problems.push(...completeness(obj[key], s.properties[key], `${path}.${key}`));
  }
  if (!s.patternProperties) {
    for (const key of Object.keys(obj)) if (!(key in s.properties)) problems.push(`${path}.${key} is not in the schema`);
  }
  return problems;
}

/** Validates one response body against the link's targetSchema, with completeness. */
export function checkResponse(method: string, pattern: string, body: unknown): string[] {
  const link = linkFor(method, pattern);
  if (!link) return [`no schema link for ${method} ${pattern}`];
  if (!link.targetSchema) return [];
  const v = targetValidator(link);
  const problems: string[] = [];
  if (!v(body)) problems.push(...(v.errors ?? []).map((e) => `${e.instancePath || '$'} ${e.message ?? ''} (${e.schemaPath})`));
  problems.push(...completeness(body, link.targetSchema));
  return problems;
}

/** Every error the API answers is `{id, message}` (plus `url` / `resource` where the real API adds them). */
export function checkError(body: unknown): string[] {
  if (body === null || typeof body !== 'object') return ['error body is not an object'];
  const b = body as Json;
  const problems: string[] = [];
  if (typeof b.id !== 'string' || !/^[a-z_]+$/.test(b.id)) problems.push(`error id ${JSON.stringify(b.id)}`);
  if (typeof b.message !== 'string' || b.message === '') problems.push('error message missing');
  for (const k of Object.keys(b)) if (!['id', 'message', 'url', 'resource'].includes(k)) problems.push(`unexpected error field ${k}`);
  return problems;
}
