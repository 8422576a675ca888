import { dynoSizeById } from '../catalogue/data.js';
import type { Platform } from '../../platform.js';
import type { FormationRecord } from '../../store/records.js';
import { appParam, appRef } from '../apps/routes.js';
import { list, ok, param, type Ctx, type Json, type RouteDef } from '../types.js';
import { findFormation, formationOf, updateFormation, type FormationUpdate } from './rules.js';

export function renderFormation(platform: Platform, f: FormationRecord): Json {
  const app = platform.store.apps.get(f.appId);
  const size = dynoSizeById(f.sizeId);
  return {
    app: app ? appRef(app) : { id: f.appId, name: '' },
    command: f.command,
    created_at: f.createdAt,
    dyno_size: { id: size.id, name: size.displayName },
    id: f.id,
    quantity: f.quantity,
    size: size.displayName,
    type: f.type,
    updated_at: f.updatedAt,
  };
}

const RELATIVE = /^[+-]\d+$/;
const ABSOLUTE = /^\d+$/;

/**
 * The Heroku CLI sends `{"quantity": "2", "size": "standard-1X"}` (a string,
 * the size in the user's case, the deprecated `size` field); the schema wants
 * an integer `quantity` and a `dyno_size` object. Both forms are accepted.
 * Relative quantities (`+1`) are dropped here and read from the raw body.
 */
function normalizeUpdate(u: unknown): unknown {
  if (u === null || typeof u !== 'object' || Array.isArray(u)) return u;
  const out: Record<string, unknown> = { ...(u as Record<string, unknown>) };
  if ('size' in out) {
    if (typeof out.size === 'string' && out.dyno_size === undefined) out.dyno_size = { name: out.size };
    delete out.size;
  }
  if (typeof out.quantity === 'string') {
    const q = out.quantity.trim();
    if (ABSOLUTE.test(q)) out.quantity = Number(q);
    else if (RELATIVE.test(q)) delete out.quantity;
  }
  return out;
}

function normalizeBatch(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || !Array.isArray((body as { updates?: unknown }).updates)) return body;
  const b = body as { updates: unknown[] };
  return { ...b, updates: b.updates.map(normalizeUpdate) };
}

type UpdateBody = { type?: string; quantity?: number; dyno_size?: { id?: string; name?: string } };

function toUpdate(type: string, body: UpdateBody, raw: unknown): FormationUpdate {
  const update: FormationUpdate = { type };
  if (body.quantity !== undefined) update.quantity = { absolute: body.quantity };
  const rawQuantity = raw !== null && typeof raw === 'object' ? (raw as { quantity?: unknown }).quantity : undefined;
  if (typeof rawQuantity === 'string' && RELATIVE.test(rawQuantity.trim())) update.quantity = { delta: Number(rawQuantity.trim()) };
  const size = body.dyno_size?.id ?? body.dyno_size?.name;
  if (size !== undefined) update.size = size;
  return update;
}

const rawUpdates = (ctx: Ctx): unknown[] => {
  const raw = ctx.rawBody as { updates?: unknown } | null | undefined;
  return raw && Array.isArray(raw.updates) ? raw.updates : [];
};

export const formationRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/apps/{app}/formation',
    handler: (ctx) => list(formationOf(ctx.platform, appParam(ctx)).map((f) => renderFormation(ctx.platform, f)), ['id', 'type']),
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/formation/{formation}',
    handler: (ctx) => ok(renderFormation(ctx.platform, findFormation(ctx.platform, appParam(ctx), param(ctx, 'formation')))),
  },
  {
    method: 'PATCH',
    pattern: '/apps/{app}/formation',
    normalize: normalizeBatch,
    handler: (ctx) => {
      const app = appParam(ctx);
      const body = ctx.body as { updates: UpdateBody[] };
      const raws = rawUpdates(ctx);
      const updates = body.updates.map((u, i) => toUpdate(u.type ?? '', u, raws[i]));
      return ok(updateFormation(ctx.platform, app, updates).map((f) => renderFormation(ctx.platform, f)));
    },
  },
  {
    method: 'PATCH',
    pattern: '/apps/{app}/formation/{formation}',
    normalize: normalizeUpdate,
    handler: (ctx) => {
      const app = appParam(ctx);
      const update = toUpdate(param(ctx, 'formation'), (ctx.body ?? {}) as UpdateBody, ctx.rawBody);
      const [f] = updateFormation(ctx.platform, app, [update]);
      return ok(renderFormation(ctx.platform, f ?? findFormation(ctx.platform, app, update.type)));
    },
  },
];
