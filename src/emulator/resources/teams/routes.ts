import type { Platform } from '../../platform.js';
import type { AccountRecord, TeamMemberRecord, TeamRecord } from '../../store/records.js';
import { isUuid } from '../catalogue/data.js';
import { accountOf, bodyOf, created, list, ok, param, type Ctx, type Json, type RouteDef } from '../types.js';
import { notFound } from '../../http/errors.js';
import { createTeam, findTeam, membersOf, membershipOf, removeMember, teamsOf, upsertMember } from './rules.js';
import type { TeamRole } from '../../store/records.js';

export const TEAM_FEATURES: ReadonlyArray<{ id: string; name: string; description: string }> = [
  { id: '7e3a0000-0000-4000-8000-000000000001', name: 'org-access-controls', description: 'Fine-grained app permissions (view, deploy, operate, manage) for team members.' },
];

export const APP_PERMISSIONS = [
  { name: 'view', description: 'Can view apps and their activity, config, logs and resources.' },
  { name: 'deploy', description: 'Can deploy apps, run commands and change config vars.' },
  { name: 'operate', description: 'Can scale, restart and change the formation of apps.' },
  { name: 'manage', description: 'Can manage add-ons, collaborators, domains and the app itself.' },
] as const;

export function renderTeam(p: Platform, team: TeamRecord, account: AccountRecord): Json {
  return {
    id: team.id,
    created_at: team.createdAt,
    credit_card_collections: true,
    default: team.default,
    enterprise_account: null,
    identity_provider: null,
    membership_limit: null,
    name: team.name,
    provisioned_licenses: false,
    role: membershipOf(p, team, account)?.role ?? null,
    type: 'team',
    updated_at: team.updatedAt,
  };
}

export function renderMember(p: Platform, m: TeamMemberRecord): Json {
  const user = p.store.accounts.get(m.accountId);
  return {
    created_at: m.createdAt,
    email: user?.email ?? '',
    federated: false,
    id: m.id,
    identity_provider: null,
    role: m.role,
    two_factor_authentication: false,
    updated_at: m.updatedAt,
    user: { email: user?.email ?? '', id: m.accountId, name: user?.name ?? null },
  };
}

function renderTeamFeature(team: TeamRecord, f: (typeof TEAM_FEATURES)[number]): Json {
  return {
    created_at: team.createdAt,
    description: f.description,
    doc_url: 'https://devcenter.heroku.com/articles/app-permissions',
    enabled: team.features.includes(f.name),
    id: f.id,
    name: f.name,
    state: 'general',
    updated_at: team.updatedAt,
    display_name: f.name,
    feedback_email: '',
  };
}

export const teamParam = (ctx: Ctx): TeamRecord => findTeam(ctx.platform, accountOf(ctx), param(ctx, 'team'));

function teamFeature(ctx: Ctx): (typeof TEAM_FEATURES)[number] {
  const key = param(ctx, 'feature');
  const f = TEAM_FEATURES.find((x) => (isUuid(key) ? x.id === key.toLowerCase() : x.name === key));
  if (!f) throw notFound("Couldn't find that feature.", 'team_feature');
  return f;
}

export const teamRoutes: RouteDef[] = [
  { method: 'GET', pattern: '/teams', handler: (ctx) => list(teamsOf(ctx.platform, accountOf(ctx)).map((t) => renderTeam(ctx.platform, t, accountOf(ctx))), ['id', 'name']) },
  {
    method: 'POST',
    pattern: '/teams',
    handler: (ctx) => created(renderTeam(ctx.platform, createTeam(ctx.platform, accountOf(ctx), bodyOf<{ name: string }>(ctx)), accountOf(ctx))),
  },
  { method: 'GET', pattern: '/teams/permissions', handler: () => list(APP_PERMISSIONS.map((x) => ({ ...x })), ['name']) },
  { method: 'GET', pattern: '/teams/{team}', handler: (ctx) => ok(renderTeam(ctx.platform, teamParam(ctx), accountOf(ctx))) },
  {
    method: 'GET',
    pattern: '/teams/{team}/members',
    handler: (ctx) => list(membersOf(ctx.platform, teamParam(ctx)).map((m) => renderMember(ctx.platform, m)), ['id', 'email']),
  },
  ...(['PUT', 'POST', 'PATCH'] as const).map(
    (method): RouteDef => ({
      method,
      pattern: '/teams/{team}/members',
      handler: (ctx) => {
        const mode = method === 'PUT' ? 'put' : method === 'POST' ? 'create' : 'update';
        const { member, created: isNew } = upsertMember(ctx.platform, teamParam(ctx), accountOf(ctx), bodyOf<{ email: string; role: TeamRole }>(ctx), mode);
        // PUT and POST are the schema's `create` links: 201 when the member is new, 200 when a role changed.
        return isNew ? created(renderMember(ctx.platform, member)) : ok(renderMember(ctx.platform, member));
      },
    }),
  ),
  {
    method: 'DELETE',
    pattern: '/teams/{team}/members/{member}',
    handler: (ctx) => ok(renderMember(ctx.platform, removeMember(ctx.platform, teamParam(ctx), accountOf(ctx), param(ctx, 'member')))),
  },
  {
    method: 'GET',
    pattern: '/teams/{team}/features',
    handler: (ctx) => {
      const team = teamParam(ctx);
      return list(TEAM_FEATURES.map((f) => renderTeamFeature(team, f)), ['id', 'name']);
    },
  },
  {
    method: 'GET',
    pattern: '/teams/{team}/features/{feature}',
    handler: (ctx) => ok(renderTeamFeature(teamParam(ctx), teamFeature(ctx))),
  },
];
