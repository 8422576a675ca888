import type { Platform } from '../../platform.js';
import type { AppRecord } from '../../store/records.js';
import { APP_RANGES, appParam, renderApp } from '../apps/routes.js';
import { accountOf, bodyOf, created, list, ok, type Json, type RouteDef } from '../types.js';
import { teamParam } from '../teams/routes.js';
import { createTeamApp, setLocked, transferApp } from './rules.js';

/** The team-app shape: the app's, with `locked` and `joined`, without the personal-app-only fields. */
export function renderTeamApp(platform: Platform, app: AppRecord): Json {
  const { acm: _acm, generation: _generation, organization: _organization, ...rest } = renderApp(platform, app);
  const team = app.teamId ? platform.store.teams.get(app.teamId) : undefined;
  // The team-app schema names the team by name only.
  return { ...rest, team: team ? { name: team.name } : null, joined: false, locked: app.locked ?? false };
}

const rawRef = (field: string) => (body: unknown): unknown => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const v = (body as Record<string, unknown>)[field];
  if (v && typeof v === 'object') {
    const r = v as { name?: unknown; id?: unknown; email?: unknown };
    return { ...(body as object), [field]: r.name ?? r.email ?? r.id };
  }
  return body;
};

export const teamAppRoutes: RouteDef[] = [
  {
    method: 'POST',
    pattern: '/teams/apps',
    normalize: rawRef('team'),
    handler: (ctx) => created(renderTeamApp(ctx.platform, createTeamApp(ctx.platform, accountOf(ctx), bodyOf(ctx)))),
  },
  { method: 'GET', pattern: '/teams/apps/{app}', handler: (ctx) => ok(renderTeamApp(ctx.platform, appParam(ctx))) },
  {
    method: 'PATCH',
    pattern: '/teams/apps/{app}',
    normalize: rawRef('owner'),
    handler: (ctx) => {
      const app = appParam(ctx);
      const b = bodyOf<{ locked?: boolean; owner?: string }>(ctx);
      if (b.owner !== undefined) return ok(renderTeamApp(ctx.platform, transferApp(ctx.platform, accountOf(ctx), app, b.owner)));
      return ok(renderTeamApp(ctx.platform, setLocked(ctx.platform, app, b.locked === true)));
    },
  },
  {
    method: 'GET',
    pattern: '/teams/{team}/apps',
    handler: (ctx) => {
      const team = teamParam(ctx);
      const apps = [...ctx.platform.store.apps.values()].filter((a) => a.teamId === team.id);
      return list(apps.map((a) => renderTeamApp(ctx.platform, a)), APP_RANGES);
    },
  },
];
