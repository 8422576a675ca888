import type { Platform } from '../../platform.js';
import type { DomainRecord } from '../../store/records.js';
import { appParam, appRef } from '../apps/routes.js';
import { bodyOf, created, list, ok, param, type Json, type RouteDef } from '../types.js';
import { createDomain, deleteDomain, domainsOf, findDomain, updateDomain } from './rules.js';

export function renderDomain(platform: Platform, d: DomainRecord): Json {
  const app = platform.store.apps.get(d.appId);
  const sni = d.sniEndpointId === null ? undefined : platform.store.sniEndpoints.get(d.sniEndpointId);
  return {
    acm_status: d.acmStatus,
    acm_status_reason: d.acmStatusReason,
    app: app ? appRef(app) : { id: d.appId, name: '' },
    cname: d.cname,
    created_at: d.createdAt,
    hostname: d.hostname,
    id: d.id,
    kind: d.kind,
    updated_at: d.updatedAt,
    status: d.status,
    sni_endpoint: sni ? { id: sni.id, name: sni.name } : null,
  };
}

export const domainRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/apps/{app}/domains',
    handler: (ctx) => list(domainsOf(ctx.platform, appParam(ctx)).map((d) => renderDomain(ctx.platform, d)), ['id', 'hostname']),
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/domains',
    handler: (ctx) => {
      const body = bodyOf<{ hostname: string; sni_endpoint: string | null }>(ctx);
      return created(renderDomain(ctx.platform, createDomain(ctx.platform, appParam(ctx), body.hostname, body.sni_endpoint)));
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/domains/{domain}',
    handler: (ctx) => ok(renderDomain(ctx.platform, findDomain(ctx.platform, appParam(ctx), param(ctx, 'domain')))),
  },
  {
    method: 'PATCH',
    pattern: '/apps/{app}/domains/{domain}',
    handler: (ctx) => {
      const app = appParam(ctx);
      const domain = findDomain(ctx.platform, app, param(ctx, 'domain'));
      return ok(renderDomain(ctx.platform, updateDomain(ctx.platform, app, domain, bodyOf<{ sni_endpoint: string | null }>(ctx).sni_endpoint)));
    },
  },
  {
    method: 'DELETE',
    pattern: '/apps/{app}/domains/{domain}',
    handler: (ctx) => ok(renderDomain(ctx.platform, deleteDomain(ctx.platform, findDomain(ctx.platform, appParam(ctx), param(ctx, 'domain'))))),
  },
];
