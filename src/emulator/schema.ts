import { createRequire } from 'node:module';
// A type-only import keeps the JSON file in the TypeScript program, which is
// what makes `tsc` copy it next to the compiled code in dist/emulator/.
import type HerokuSchemaFile from './heroku-schema.json';

/** One link of the official schema, with where it lives (for `$ref`s into it). */
export interface SchemaLink {
  resource: string;
  index: number;
  method: string;
  href: string;
  rel: string;
  title: string;
  schema?: unknown;
  targetSchema?: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface RawLink {
  href: string;
  method: string;
  rel?: string;
  title?: string;
  schema?: Json;
  targetSchema?: Json;
}

interface RawSchema {
  definitions: Record<string, { links?: RawLink[]; [key: string]: unknown }>;
  [key: string]: unknown;
}

let raw: RawSchema | undefined;
let rawText: string | undefined;

/** The official schema exactly as shipped (served at `GET /schema`). */
export function herokuSchema(): RawSchema {
  if (!raw) {
    const require = createRequire(import.meta.url);
    raw = require('./heroku-schema.json') as typeof HerokuSchemaFile as unknown as RawSchema;
  }
  return raw;
}

export function herokuSchemaText(): string {
  rawText ??= JSON.stringify(herokuSchema());
  return rawText;
}

/**
 * The schema made digestible for ajv (draft-07 engine): the draft-04 `id`
 * strings and per-resource `$schema` keys go, and the only two broken
 * references (`formation/definitions/dyno_size/identity` → the non-existent
 * `#/definitions/dyno_size/…`) point at `dyno-size` as intended.
 */
export function patchedSchema(source: unknown = herokuSchema()): Record<string, unknown> {
  const strip = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(strip);
    if (x !== null && typeof x === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) {
        if (k === '$schema') continue;
        if (k === 'id' && typeof v === 'string') continue;
        out[k] = strip(v);
      }
      return out;
    }
    if (typeof x === 'string' && x.startsWith('#/definitions/dyno_size/definitions/')) {
      return x.replace('#/definitions/dyno_size/', '#/definitions/dyno-size/');
    }
    return x;
  };
  return strip(source) as Record<string, unknown>;
}

/**
 * A copy of `node` with every local `$ref` replaced by what it points at
 * (in the patched schema). Compiling such a small, self-contained schema is
 * ~100× cheaper than compiling a `$ref` into the 574 kB document, which ajv
 * would walk whole.
 */
export function dereference(node: unknown, root: Record<string, unknown> = patchedRoot(), seen: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((x) => dereference(x, root, seen));
  if (node === null || typeof node !== 'object') return node;
  const obj = node as Record<string, unknown>;
  if (typeof obj.$ref === 'string' && obj.$ref.startsWith('#/')) {
    const ref = obj.$ref;
    if (seen.includes(ref)) throw new Error(`schema reference cycle at ${ref}`);
    let target: unknown = root;
    for (const part of ref.slice(2).split('/')) {
      const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
      target = target !== null && typeof target === 'object' ? (target as Record<string, unknown>)[key] : undefined;
    }
    if (target === undefined) throw new Error(`unresolvable schema reference ${ref}`);
    return dereference(target, root, [...seen, ref]);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = k === 'example' || k === 'links' ? v : dereference(v, root, seen);
  return out;
}

let patched: Record<string, unknown> | undefined;
/** The patched schema, built once. */
export function patchedRoot(): Record<string, unknown> {
  patched ??= patchedSchema();
  return patched;
}

/** `/apps/{(%23%2F…)}/config-vars` and `/apps/{app}/config-vars` both become `/apps/{}/config-vars`. */
export function hrefTemplate(href: string): string {
  return href.replace(/\{\([^)]*\)\}/g, '{}').replace(/\{[^}]*\}/g, '{}');
}

let linkIndex: Map<string, SchemaLink[]> | undefined;

/** The schema links for `METHOD /template` (two for `POST /apps/{}/releases`). */
export function linksFor(method: string, template: string): SchemaLink[] {
  if (!linkIndex) {
    linkIndex = new Map();
    for (const [resource, def] of Object.entries(herokuSchema().definitions)) {
      (def.links ?? []).forEach((l, index) => {
        const key = `${l.method.toUpperCase()} ${hrefTemplate(l.href)}`;
        const link: SchemaLink = {
          resource,
          index,
          method: l.method.toUpperCase(),
          href: l.href,
          rel: l.rel ?? '',
          title: l.title ?? '',
          ...(l.schema !== undefined ? { schema: l.schema } : {}),
          ...(l.targetSchema !== undefined ? { targetSchema: l.targetSchema } : {}),
        };
        const list = linkIndex?.get(key) ?? [];
        list.push(link);
        linkIndex?.set(key, list);
      });
    }
  }
  return linkIndex.get(`${method.toUpperCase()} ${hrefTemplate(template)}`) ?? [];
}
