import type { Platform } from '../../platform.js';
import type { AppRecord, CollaboratorRecord } from '../../store/records.js';
import { appParam, appRef } from '../apps/routes.js';
import { bodyOf, created, list, ok, param, type Json, type RouteDef } from '../types.js';
import { addCollaborator, collaboratorsOf, findCollaborator, removeCollaborator, updateCollaborator } from './rules.js';

/** The same shape for both APIs; `permissions` are only meaningful on team apps (empty on personal ones, as Heroku shows). */
export function renderCollaborator(p: Platform, app: AppRecord, c: CollaboratorRecord): Json {
  const user = p.store.accounts.get(c.accountId);
  const member = app.teamId ? [...p.store.teamMembers.values()].find((m) => m.teamId === app.teamId && m.accountId === c.accountId) : undefined;
  return {
    app: appRef(app),
    created_at: c.createdAt,
    id: c.id,
    permissions: app.teamId ? c.permissions.map((name) => ({ name, description: '' })) : [],
    role: member ? member.role : 'collaborator',
    updated_at: c.updatedAt,
    user: { email: user?.email ?? '', federated: false, id: c.accountId },
  };
}

type CreateBody = { user: string; permissions?: string[]; silent?: boolean };

/** `user` arrives as an e-mail or id; the Heroku CLI sends the e-mail. */
const userRef = (body: unknown): unknown => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const b = body as { user?: unknown };
  if (b.user && typeof b.user === 'object') {
    const u = b.user as { email?: unknown; id?: unknown };
    return { ...b, user: typeof u.email === 'string' ? u.email : u.id };
  }
  return body;
};

function routesUnder(prefix: '/apps' | '/teams/apps'): RouteDef[] {
  const team = prefix === '/teams/apps';
  return [
    {
      method: 'GET',
      pattern: `${prefix}/{app}/collaborators`,
      handler: (ctx) => {
        const app = appParam(ctx);
        return list(collaboratorsOf(ctx.platform, app).map((c) => renderCollaborator(ctx.platform, app, c)), ['id']);
      },
    },
    {
      method: 'POST',
      pattern: `${prefix}/{app}/collaborators`,
      normalize: userRef,
      handler: (ctx) => {
        const app = appParam(ctx);
        const b = bodyOf<CreateBody>(ctx);
        return created(renderCollaborator(ctx.platform, app, addCollaborator(ctx.platform, app, b.user, b.permissions, team)));
      },
    },
    {
      method: 'GET',
      pattern: `${prefix}/{app}/collaborators/{collaborator}`,
      handler: (ctx) => {
        const app = appParam(ctx);
        return ok(renderCollaborator(ctx.platform, app, findCollaborator(ctx.platform, app, param(ctx, 'collaborator'))));
      },
    },
    {
      method: 'DELETE',
      pattern: `${prefix}/{app}/collaborators/{collaborator}`,
      handler: (ctx) => {
        const app = appParam(ctx);
        const c = findCollaborator(ctx.platform, app, param(ctx, 'collaborator'));
        const body = renderCollaborator(ctx.platform, app, c);
        removeCollaborator(ctx.platform, c);
        return ok(body);
      },
    },
  ];
}

export const collaboratorRoutes: RouteDef[] = [
  ...routesUnder('/apps'),
  ...routesUnder('/teams/apps'),
  {
    method: 'PATCH',
    pattern: '/teams/apps/{app}/collaborators/{collaborator}',
    handler: (ctx) => {
      const app = appParam(ctx);
      const c = findCollaborator(ctx.platform, app, param(ctx, 'collaborator'));
      return ok(renderCollaborator(ctx.platform, app, updateCollaborator(ctx.platform, app, c, bodyOf<{ permissions: string[] }>(ctx).permissions)));
    },
  },
];
