import type { Platform } from '../../platform.js';
import type { SniEndpointRecord } from '../../store/records.js';
import { appParam, appRef } from '../apps/routes.js';
import { bodyOf, created, list, ok, param, type Json, type RouteDef } from '../types.js';
import { createEndpoint, deleteEndpoint, endpointsOf, findEndpoint, summaryOf, updateEndpoint } from './rules.js';

export function renderEndpoint(p: Platform, e: SniEndpointRecord): Json {
  const app = p.store.apps.get(e.appId);
  const s = summaryOf(e);
  return {
    certificate_chain: e.certificateChain,
    created_at: e.createdAt,
    id: e.id,
    name: e.name,
    updated_at: e.updatedAt,
    display_name: null,
    domains: [...p.store.domains.values()].filter((d) => d.sniEndpointId === e.id).map((d) => d.id),
    app: app ? appRef(app) : { id: e.appId, name: '' },
    ssl_cert: {
      'ca_signed?': s.caSigned,
      cert_domains: s.certDomains,
      expires_at: s.expiresAt,
      issuer: s.issuer,
      'self_signed?': s.selfSigned,
      starts_at: s.startsAt,
      subject: s.subject,
      // No `acm` here: the schema has no such field, and the CLI reads its absence as an uploaded (SNI) certificate.
      id: e.certId,
    },
  };
}

type CertBody = { certificate_chain: string; private_key: string };

export const sniEndpointRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/apps/{app}/sni-endpoints',
    handler: (ctx) => list(endpointsOf(ctx.platform, appParam(ctx)).map((e) => renderEndpoint(ctx.platform, e)), ['id', 'name']),
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/sni-endpoints',
    handler: (ctx) => {
      const body = bodyOf<CertBody>(ctx);
      return created(renderEndpoint(ctx.platform, createEndpoint(ctx.platform, appParam(ctx), body.certificate_chain, body.private_key)));
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/sni-endpoints/{endpoint}',
    handler: (ctx) => ok(renderEndpoint(ctx.platform, findEndpoint(ctx.platform, appParam(ctx), param(ctx, 'endpoint')))),
  },
  {
    method: 'PATCH',
    pattern: '/apps/{app}/sni-endpoints/{endpoint}',
    handler: (ctx) => {
      const endpoint = findEndpoint(ctx.platform, appParam(ctx), param(ctx, 'endpoint'));
      const body = bodyOf<CertBody>(ctx);
      return ok(renderEndpoint(ctx.platform, updateEndpoint(ctx.platform, endpoint, body.certificate_chain, body.private_key)));
    },
  },
  {
    method: 'DELETE',
    pattern: '/apps/{app}/sni-endpoints/{endpoint}',
    handler: (ctx) => ok(renderEndpoint(ctx.platform, deleteEndpoint(ctx.platform, findEndpoint(ctx.platform, appParam(ctx), param(ctx, 'endpoint'))))),
  },
];
