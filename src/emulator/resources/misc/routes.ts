import { notFound } from '../../http/errors.js';
import { appParam } from '../apps/routes.js';
import { list, type RouteDef } from '../types.js';

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
];
