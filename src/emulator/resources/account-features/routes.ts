import { renderFeature } from '../app-features/routes.js';
import { accountOf, bodyOf, list, ok, param, type RouteDef } from '../types.js';
import { accountFeaturesOf, findAccountFeature, setAccountFeature } from './rules.js';

/** `created_at` is the account's: an account feature has existed as long as the account has. */
export const accountFeatureRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/account/features',
    handler: (ctx) => {
      const account = accountOf(ctx);
      return list(accountFeaturesOf(account).map((f) => renderFeature(account, f)), ['id', 'name']);
    },
  },
  {
    method: 'GET',
    pattern: '/account/features/{feature}',
    handler: (ctx) => {
      const account = accountOf(ctx);
      return ok(renderFeature(account, findAccountFeature(account, param(ctx, 'feature'))));
    },
  },
  {
    method: 'PATCH',
    pattern: '/account/features/{feature}',
    handler: (ctx) => {
      const account = accountOf(ctx);
      return ok(renderFeature(account, setAccountFeature(ctx.platform, account, param(ctx, 'feature'), bodyOf<{ enabled: boolean }>(ctx).enabled)));
    },
  },
];
