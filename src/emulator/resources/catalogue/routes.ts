import {
  ADDON_SERVICES,
  DYNO_SIZES,
  GENERATIONS,
  PLANS,
  REGIONS,
  STACKS,
  findDynoSize,
  findPlan,
  findRegion,
  findService,
  findStack,
  planName,
  serviceByName,
  type AddonService,
  type DynoSize,
  type Plan,
  type Region,
  type Stack,
} from '../catalogue/data.js';
import { notFound } from '../../http/errors.js';
import { herokuSchema } from '../../schema.js';
import { accountOf, list, ok, param, type Ctx, type Json, type RouteDef } from '../types.js';
import { findApp } from '../apps/rules.js';

export const renderRegion = (r: Region): Json => ({
  country: r.country,
  created_at: r.createdAt,
  description: r.description,
  id: r.id,
  locale: r.locale,
  name: r.name,
  private_capable: r.privateCapable,
  provider: { name: 'amazon-web-services', region: r.provider },
  updated_at: r.updatedAt,
});

export const renderStack = (s: Stack): Json => ({
  default: s.isDefault,
  created_at: s.createdAt,
  id: s.id,
  name: s.name,
  state: s.state,
  updated_at: s.updatedAt,
});

export const renderDynoSize = (d: DynoSize): Json => ({
  architecture: 'amd64',
  compute: d.compute,
  cost: d.cents === null ? null : { cents: d.cents, unit: 'month' },
  dedicated: d.dedicated,
  precise_dyno_units: d.preciseDynoUnits,
  generation: { ...GENERATIONS.cedar },
  id: d.id,
  memory: d.memory,
  name: d.name,
  private_space_only: d.privateSpaceOnly,
});

export const renderService = (s: AddonService): Json => ({
  cli_plugin_name: s.cliPluginName,
  created_at: s.createdAt,
  human_name: s.humanName,
  id: s.id,
  name: s.name,
  state: 'ga',
  supports_multiple_installations: s.supportsMultipleInstallations,
  supports_sharing: s.supportsSharing,
  updated_at: s.updatedAt,
  supported_generations: [{ ...GENERATIONS.cedar }, { ...GENERATIONS.fir }],
});

export const renderPlan = (p: Plan): Json => ({
  addon_service: { id: serviceByName(p.serviceName).id, name: p.serviceName },
  created_at: p.createdAt,
  compliance: p.compliance,
  default: p.isDefault,
  description: p.description,
  human_name: p.humanName,
  id: p.id,
  installable_inside_private_network: p.insidePrivateNetwork,
  installable_outside_private_network: true,
  name: planName(p),
  price: { cents: p.cents, contract: false, unit: 'month' },
  space_default: false,
  state: 'public',
  updated_at: p.updatedAt,
  visible: true,
});

function must<T>(value: T | undefined, resource: string, what: string): T {
  if (value === undefined) throw notFound(`Couldn't find that ${what}.`, resource);
  return value;
}

const serviceParam = (ctx: Ctx): AddonService => must(findService(param(ctx, 'service')), 'add-on service', 'add-on service');

export const catalogueRoutes: RouteDef[] = [
  { method: 'GET', pattern: '/regions', handler: () => list(REGIONS.map(renderRegion), ['id', 'name']) },
  { method: 'GET', pattern: '/regions/{region}', handler: (ctx) => ok(renderRegion(must(findRegion(param(ctx, 'region')), 'region', 'region'))) },
  { method: 'GET', pattern: '/stacks', handler: () => list(STACKS.map(renderStack), ['id', 'name']) },
  { method: 'GET', pattern: '/stacks/{stack}', handler: (ctx) => ok(renderStack(must(findStack(param(ctx, 'stack')), 'stack', 'stack'))) },
  {
    method: 'GET',
    pattern: '/apps/{app}/available-stacks',
    handler: (ctx) => {
      findApp(ctx.platform, accountOf(ctx), param(ctx, 'app'));
      return list(STACKS.filter((s) => s.state === 'public').map(renderStack), ['id', 'name']);
    },
  },
  { method: 'GET', pattern: '/dyno-sizes', handler: () => list(DYNO_SIZES.map(renderDynoSize), ['id', 'name']) },
  {
    method: 'GET',
    pattern: '/dyno-sizes/{size}',
    handler: (ctx) => ok(renderDynoSize(must(findDynoSize(param(ctx, 'size')), 'dyno-size', 'dyno size'))),
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/available-dyno-sizes',
    handler: (ctx) => {
      findApp(ctx.platform, accountOf(ctx), param(ctx, 'app'));
      return list(DYNO_SIZES.filter((s) => !s.privateSpaceOnly).map(renderDynoSize), ['id', 'name']);
    },
  },
  { method: 'GET', pattern: '/addon-services', auth: 'optional', handler: () => list(ADDON_SERVICES.map(renderService), ['id', 'name']) },
  { method: 'GET', pattern: '/addon-services/{service}', auth: 'optional', handler: (ctx) => ok(renderService(serviceParam(ctx))) },
  {
    method: 'GET',
    pattern: '/addon-services/{service}/plans',
    auth: 'optional',
    handler: (ctx) => {
      const service = serviceParam(ctx);
      return list(PLANS.filter((p) => p.serviceName === service.name).map(renderPlan), ['id', 'name']);
    },
  },
  {
    method: 'GET',
    pattern: '/addon-services/{service}/plans/{plan}',
    auth: 'optional',
    handler: (ctx) => ok(renderPlan(must(findPlan(param(ctx, 'plan'), serviceParam(ctx)), 'plan', 'add-on plan'))),
  },
  {
    method: 'GET',
    pattern: '/plans/{plan}',
    auth: 'optional',
    handler: (ctx) => {
      const key = param(ctx, 'plan');
      // Only an id or a full `service:plan` name identifies a plan on its own.
      const plan = key.includes(':') || /^[0-9a-f-]{36}$/i.test(key) ? findPlan(key) : undefined;
      return ok(renderPlan(must(plan, 'plan', 'add-on plan')));
    },
  },
  // The API serves its own schema; clients such as heroics build themselves from it.
  { method: 'GET', pattern: '/schema', auth: 'optional', handler: () => ok(herokuSchema()) },
];
