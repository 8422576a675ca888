import { createHash } from 'node:crypto';
import { dynoSizeById } from '../catalogue.js';
import { notFound } from '../http/errors.js';
import type { Platform } from '../platform.js';
import type { AppRecord } from '../store/records.js';
import { appParam, appRef } from './apps.js';
import { list, param, type Json, type RouteDef } from './types.js';

/** A stable uuid-shaped id for a derived object (dynos have no record of their own). */
function derivedId(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('/')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/** Dynos follow the formation: `web.1 … web.N`, all up, on the current release. */
function dynosOf(platform: Platform, app: AppRecord): Json[] {
  const current = platform.releasesOf(app).find((r) => r.version === app.version);
  const out: Json[] = [];
  for (const f of platform.formationOf(app)) {
    const size = dynoSizeById(f.sizeId);
    for (let i = 1; i <= f.quantity; i++) {
      out.push({
        attach_url: null,
        command: f.command,
        created_at: f.updatedAt,
        id: derivedId(app.id, f.type, String(i), f.updatedAt),
        name: `${f.type}.${i}`,
        release: { id: current?.id ?? derivedId(app.id, 'release'), version: app.version },
        app: appRef(app),
        size: size.displayName,
        state: 'up',
        type: f.type,
        updated_at: f.updatedAt,
      });
    }
  }
  return out;
}

export const miscRoutes: RouteDef[] = [
  // No certificates in the emulator: an app has no SNI endpoints.
  { method: 'GET', pattern: '/apps/{app}/sni-endpoints', handler: (ctx) => (appParam(ctx), list([], ['id', 'name'])) },
  {
    method: 'GET',
    pattern: '/apps/{app}/sni-endpoints/{endpoint}',
    handler: (ctx) => {
      appParam(ctx);
      throw notFound("Couldn't find that SNI endpoint.", 'sni_endpoint');
    },
  },
  // An app outside a pipeline answers 404 here, which is what the Heroku CLI expects.
  {
    method: 'GET',
    pattern: '/apps/{app}/pipeline-couplings',
    handler: (ctx) => {
      appParam(ctx);
      throw notFound("Couldn't find that pipeline coupling.", 'pipeline_coupling');
    },
  },
  { method: 'GET', pattern: '/apps/{app}/dynos', handler: (ctx) => list(dynosOf(ctx.platform, appParam(ctx)), ['id', 'name']) },
  {
    method: 'GET',
    pattern: '/apps/{app}/dynos/{dyno}',
    handler: (ctx) => {
      const key = param(ctx, 'dyno');
      const dyno = dynosOf(ctx.platform, appParam(ctx)).find((d) => d.id === key || d.name === key);
      if (!dyno) throw notFound("Couldn't find that dyno.", 'dyno');
      return { status: 200, body: dyno };
    },
  },
  // Personal apps: the owner is not listed as a collaborator.
  { method: 'GET', pattern: '/apps/{app}/collaborators', handler: (ctx) => (appParam(ctx), list([], ['id'])) },
];
