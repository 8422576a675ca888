import { GENERATIONS, regionById, stackById } from '../catalogue/data.js';
import type { Platform } from '../../platform.js';
import type { AppPermission, AppRecord } from '../../store/records.js';
import { teamOwnerEmail } from '../teams/rules.js';
import { userOf } from '../account/routes.js';
import { accountOf, bodyOf, created, list, ok, param, type Ctx, type Json, type RouteDef } from '../types.js';
import { appsOf, createApp, deleteApp, findApp, updateApp } from './rules.js';

/** The fields the two app lists can be sorted on (the schema's `ranges`). */
export const APP_RANGES = ['id', 'name', 'updated_at'] as const;

export function renderApp(platform: Platform, app: AppRecord): Json {
  const owner = platform.store.accounts.get(app.ownerId);
  const slug = app.slugId ? platform.store.slugs.get(app.slugId) : undefined;
  const region = regionById(app.regionId);
  const stack = stackById(app.stackId);
  const buildStack = stackById(app.buildStackId);
  const team = app.teamId ? platform.store.teams.get(app.teamId) : undefined;
  return {
    acm: app.acm,
    archived_at: null,
    buildpack_provided_description: slug?.buildpackProvidedDescription ?? null,
    build_stack: { id: buildStack.id, name: buildStack.name },
    created_at: app.createdAt,
    generation: { ...GENERATIONS.cedar },
    git_url: `https://git.heroku.com/${app.name}.git`,
    id: app.id,
    internal_routing: null,
    maintenance: app.maintenance,
    name: app.name,
    owner: team ? { email: teamOwnerEmail(team), id: team.id } : { email: owner?.email ?? '', id: app.ownerId },
    organization: team ? { id: team.id, name: team.name } : null,
    team: team ? { id: team.id, name: team.name } : null,
    region: { id: region.id, name: region.name },
    released_at: app.releasedAt,
    repo_size: null,
    slug_size: slug?.size ?? null,
    space: null,
    stack: { id: stack.id, name: stack.name },
    updated_at: app.updatedAt,
    web_url: `https://${app.name}.herokuapp.com/`,
  };
}

export const appRef = (app: AppRecord): Json => ({ id: app.id, name: app.name });

/**
 * The permission a request on an app takes: reads view; the app itself,
 * its collaborators and add-ons manage; scaling operate; the rest deploy.
 */
export function permissionFor(method: string, path: string): AppPermission {
  if (method === 'GET' || method === 'HEAD') return 'view';
  const rest = path.replace(/^\/(?:teams\/)?apps\/[^/]+/, '');
  if (rest === '' || /^\/(?:collaborators|addons|acm|sni-endpoints|webhooks)(?:\/|$)/.test(rest)) return 'manage';
  if (/^\/(?:formation|dynos)(?:\/|$)/.test(rest)) return 'operate';
  return 'deploy';
}

export const appParam = (ctx: Ctx): AppRecord => findApp(ctx.platform, accountOf(ctx), param(ctx, 'app'), permissionFor(ctx.method, ctx.path));

const listApps = (ctx: Ctx, account = accountOf(ctx)) =>
  list(
    appsOf(ctx.platform, account).map((a) => renderApp(ctx.platform, a)),
    APP_RANGES,
  );

export const appRoutes: RouteDef[] = [
  {
    method: 'POST',
    pattern: '/apps',
    handler: (ctx) =>
      created(renderApp(ctx.platform, createApp(ctx.platform, accountOf(ctx), bodyOf<{ name?: string; region?: string; stack?: string }>(ctx)))),
  },
  { method: 'GET', pattern: '/apps', handler: (ctx) => listApps(ctx) },
  { method: 'GET', pattern: '/users/{user}/apps', handler: (ctx) => listApps(ctx, userOf(ctx)) },
  { method: 'GET', pattern: '/apps/{app}', handler: (ctx) => ok(renderApp(ctx.platform, appParam(ctx))) },
  {
    method: 'PATCH',
    pattern: '/apps/{app}',
    handler: (ctx) =>
      ok(renderApp(ctx.platform, updateApp(ctx.platform, appParam(ctx), bodyOf<{ name?: string; maintenance?: boolean; build_stack?: string }>(ctx)))),
  },
  {
    method: 'DELETE',
    pattern: '/apps/{app}',
    handler: (ctx) => {
      const app = appParam(ctx);
      // Rendered before deletion: the owner, slug and domains are still there to read.
      const body = renderApp(ctx.platform, app);
      deleteApp(ctx.platform, accountOf(ctx), app);
      return ok(body);
    },
  },
  // `heroku pipelines:info` reads a pipeline's apps through this filter (team-app shape).
  {
    method: 'POST',
    pattern: '/filters/apps',
    handler: (ctx) => {
      const ids = new Set((bodyOf<{ in?: { id?: string[] } }>(ctx).in?.id ?? []).map((i) => i.toLowerCase()));
      const apps = appsOf(ctx.platform, accountOf(ctx)).filter((a) => ids.has(a.id));
      return list(
        apps.map((a) => {
          const { acm: _acm, generation: _generation, organization: _organization, ...rest } = renderApp(ctx.platform, a);
          return { ...rest, joined: false, locked: false };
        }),
        ['id', 'name', 'updated_at'],
      );
    },
  },
];
