import type { IncomingHttpHeaders } from 'node:http';
import type { Platform } from '../platform.js';
import type { AccountRecord } from '../store/records.js';

/** What a resource handler gets: the request already authenticated, routed and validated. */
export interface Ctx {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The body as the client sent it, before `normalize` (relative quantities such as `+1` live only here). */
  rawBody: unknown;
  /** Tokens left in the caller's rate-limit bucket after this request. */
  remaining: number;
  /** Undefined only on the routes that work without authentication. */
  account: AccountRecord | undefined;
  platform: Platform;
  /** `Accept-Expansion` fields (e.g. `plan`, `addon_service` on add-ons). */
  expand: ReadonlySet<string>;
  /** `Accept-Inclusion` fields (e.g. `addon:plan`, `config_vars` on attachments). */
  include: ReadonlySet<string>;
}

export type Json = Record<string, unknown>;

export type Result =
  /** `headers`: extra response headers (e.g. `Heroku-Webhook-Secret` on a webhook created without a secret). */
  | { status: number; body: unknown; headers?: Record<string, string> }
  /** A list: the HTTP layer sorts and pages it by `Range`. `ranges[0]` is the default sort field. */
  | { status: 200; list: Json[]; ranges: readonly string[] };

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RouteDef {
  method: Method;
  /** `/apps/{app}/config-vars`: `{name}` segments become `ctx.params.name`. */
  pattern: string;
  /** `optional`: catalogue endpoints the schema says work without authentication. */
  auth?: 'required' | 'optional';
  /** Rate-limit tokens the call takes (`GET /account/rate-limits` is free). */
  cost?: 0 | 1;
  /**
   * Rewrites what real clients send into what the link schema accepts, before
   * validation (the Heroku CLI sends `quantity: "2"`, `size`, `plan: {name}`).
   */
  normalize?: (body: unknown) => unknown;
  handler: (ctx: Ctx) => Result;
}

/** Narrows the account on routes that require authentication. */
export function accountOf(ctx: Ctx): AccountRecord {
  if (!ctx.account) throw new Error(`route ${ctx.method} ${ctx.path} ran without an account`);
  return ctx.account;
}

export const param = (ctx: Ctx, name: string): string => {
  const v = ctx.params[name];
  if (v === undefined) throw new Error(`route has no {${name}} parameter`);
  return v;
};

export const ok = (body: unknown): Result => ({ status: 200, body });
export const created = (body: unknown): Result => ({ status: 201, body });
export const list = (items: Json[], ranges: readonly string[] = ['id']): Result => ({ status: 200, list: items, ranges });

/** Request bodies arrive validated against the link schema; this only narrows the type. */
export const bodyOf = <T>(ctx: Ctx): T => (ctx.body ?? {}) as T;

/**
 * A `normalize` for bodies whose link schema wants strings where real
 * clients send references: `{id}` or `{name}` objects become the id (or the
 * name), and `null` in an optional field is the field left out (the Heroku
 * CLI sends `plan: {name}`, `addon: {name}, app: {name}` and `app: null`).
 */
export function refsAsStrings(...fields: string[]): (body: unknown) => unknown {
  return (body) => {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
    const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    for (const field of fields) {
      const v = out[field];
      if (v === null) delete out[field];
      else if (typeof v === 'object' && !Array.isArray(v)) {
        const ref = v as { id?: unknown; name?: unknown };
        const key = typeof ref.id === 'string' ? ref.id : typeof ref.name === 'string' ? ref.name : undefined;
        if (key !== undefined) out[field] = key;
      }
    }
    return out;
  };
}
