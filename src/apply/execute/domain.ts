import type { Change, Operation } from '../../model/plan.js';
import { createDomain, deleteDomain, getDomain, updateSni } from '../../providers/heroku/domains.js';
import { orUndefined } from '../../providers/heroku/paths.js';
import { domainGuard } from '../../util/guard.js';
import { appIdOf, ChangeError, ifMatchFor, type ExecContext, type ExecSuccess } from './context.js';

type DomainOp = Extract<Operation, { type: 'domain.create' | 'domain.update' | 'domain.adopt' | 'domain.delete' }>;

/**
 * The endpoint to send: a domain naming one of the app's certificates gets
 * the endpoint state records for it now (one this run created included).
 */
function endpointOf(ctx: ExecContext, change: Change, op: { sniEndpoint?: string | null; certificate?: string }): string | null | undefined {
  if (op.certificate === undefined) return op.sniEndpoint;
  const c = ctx.inventory().apps[change.app]?.certificates?.[op.certificate];
  if (!c) throw new ChangeError('certificate-unknown', `${change.address}: certificate ${op.certificate} is not in state (its upload failed or was skipped), so the domain cannot name it; run plan again`);
  return c.name;
}

export async function executeDomain(ctx: ExecContext, change: Change, op: DomainOp): Promise<ExecSuccess> {
  const appId = appIdOf(ctx, change);
  const address = change.address;
  if (op.type === 'domain.create') {
    const d = await createDomain(ctx.client, appId, { hostname: op.hostname, sniEndpoint: endpointOf(ctx, change, op) ?? null }, { address });
    return { releases: 0, effect: { type: 'domain', domain: { id: d.id, hostname: d.hostname } } };
  }
  const read = async () => {
    const d = await orUndefined(() => getDomain(ctx.client, appId, op.domainId));
    return d && { value: d, ...(d.etag ? { etag: d.etag } : {}) };
  };
  switch (op.type) {
    case 'domain.update':
    case 'domain.adopt': {
      // An adoption carries sniEndpoint only when the certificate differs.
      const sni = op.sniEndpoint === undefined ? undefined : endpointOf(ctx, change, op);
      if (sni !== undefined) {
        const ifMatch = await ifMatchFor(ctx, change, read, domainGuard);
        await updateSni(ctx.client, appId, op.domainId, sni, ifMatch, { address });
      }
      return { releases: 0, effect: { type: 'domain', domain: { id: op.domainId, hostname: op.hostname } } };
    }
    case 'domain.delete': {
      const ifMatch = await ifMatchFor(ctx, change, read, domainGuard);
      await deleteDomain(ctx.client, appId, op.domainId, ifMatch, { address });
      return { releases: 0, effect: { type: 'domain-deleted', hostname: op.hostname } };
    }
  }
}
