import type { BuildpackRef } from '../../store/records.js';
import { appParam } from '../apps/routes.js';
import { bodyOf, ok, type Json, type RouteDef } from '../types.js';
import { buildpacksOf, setBuildpacks } from './rules.js';

const render = (list: BuildpackRef[]): Json[] => list.map((b, ordinal) => ({ buildpack: { url: b.url, name: b.name }, ordinal }));

// A plain array, not a ranged list: the API answers the whole ordered list
// (order is the ordinal, which no Range may re-sort).
export const buildpackRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/apps/{app}/buildpack-installations',
    handler: (ctx) => ok(render(buildpacksOf(appParam(ctx)))),
  },
  {
    method: 'PUT',
    pattern: '/apps/{app}/buildpack-installations',
    handler: (ctx) => ok(render(setBuildpacks(ctx.platform, appParam(ctx), bodyOf<{ updates: { buildpack: string }[] }>(ctx).updates))),
  },
];
