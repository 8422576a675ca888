import { notFound } from '../../http/errors.js';
import type { AccountRecord } from '../../store/records.js';
import { accountOf, bodyOf, ok, param, type Ctx, type Json, type RouteDef } from '../types.js';
import { updateAccount } from './rules.js';

export function renderAccount(a: AccountRecord): Json {
  return {
    allow_tracking: a.allowTracking,
    beta: a.beta,
    created_at: a.createdAt,
    email: a.email,
    federated: false,
    id: a.id,
    identity_provider: null,
    last_login: a.createdAt,
    name: a.name,
    sms_number: null,
    suspended_at: null,
    delinquent_at: null,
    two_factor_authentication: false,
    updated_at: a.updatedAt,
    verified: true,
    country_of_residence: null,
    default_organization: null,
    default_team: null,
  };
}

/** `/users/{~ | email | id}`: only the caller exists from the caller's point of view. */
export function userOf(ctx: Ctx): AccountRecord {
  const account = accountOf(ctx);
  const key = param(ctx, 'user');
  if (key === '~' || key.toLowerCase() === account.email.toLowerCase() || key.toLowerCase() === account.id) return account;
  throw notFound("Couldn't find that user.", 'user');
}

type AccountPatch = { allow_tracking?: boolean; beta?: boolean; name?: string | null };

export const accountRoutes: RouteDef[] = [
  { method: 'GET', pattern: '/account', handler: (ctx) => ok(renderAccount(accountOf(ctx))) },
  {
    method: 'PATCH',
    pattern: '/account',
    handler: (ctx) => ok(renderAccount(updateAccount(ctx.platform, accountOf(ctx), bodyOf<AccountPatch>(ctx)))),
  },
  { method: 'GET', pattern: '/users/{user}', handler: (ctx) => ok(renderAccount(userOf(ctx))) },
  {
    method: 'PATCH',
    pattern: '/users/{user}',
    handler: (ctx) => ok(renderAccount(updateAccount(ctx.platform, userOf(ctx), bodyOf<AccountPatch>(ctx)))),
  },
  // Free of charge, as the API reference says; the number is the one in RateLimit-Remaining.
  { method: 'GET', pattern: '/account/rate-limits', cost: 0, handler: (ctx) => ok({ remaining: ctx.remaining }) },
];
