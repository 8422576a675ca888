import type { Change, Operation } from '../../model/plan.js';
import { createSniEndpoint, deleteSniEndpoint, getAcm, getSniEndpoint, setAcm, updateSniEndpoint } from '../../providers/heroku/certificates.js';
import { orUndefined } from '../../providers/heroku/paths.js';
import { certificateFingerprint } from '../../util/certificates.js';
import { acmGuard, certificateGuard } from '../../util/guard.js';
import { resolveCertificateKey } from '../secrets.js';
import { appIdOf, ChangeError, checkFingerprint, ifMatchFor, type ExecContext, type ExecSuccess } from './context.js';

type CertificateOp = Extract<Operation, { type: 'certificate.create' | 'certificate.update' | 'certificate.adopt' | 'certificate.delete' }>;

/** The key to upload: re-resolved from the YAML and refused unless it is the reviewed one. */
function privateKeyOf(ctx: ExecContext, change: Change, op: Extract<CertificateOp, { privateKey?: unknown }>): { value: string; fingerprint: string } {
  if (!op.privateKey) throw new ChangeError('plan-malformed', `${change.address}: the plan has no private key for this certificate`);
  const r = resolveCertificateKey(ctx.desired, ctx.fingerprint, change, op.key, op.privateKey);
  if (!r.ok) throw new ChangeError(r.code, r.message);
  return { value: r.value, fingerprint: ctx.fingerprint.sync(r.value, true) };
}

/** The chain sent is the reviewed one, byte for byte; a plan whose chain does not hash to its own fingerprint was altered. */
function reviewedChain(change: Change, op: { chain: string; fingerprint: string }): string {
  if (typeof op.chain !== 'string' || certificateFingerprint(op.chain) !== op.fingerprint) {
    throw new ChangeError('plan-malformed', `${change.address}: the plan's certificate chain does not match its fingerprint`);
  }
  return op.chain;
}

export async function executeCertificate(ctx: ExecContext, change: Change, op: CertificateOp): Promise<ExecSuccess> {
  const appId = appIdOf(ctx, change);
  const address = change.address;
  const read = async () => {
    const got = await orUndefined(() => getSniEndpoint(ctx.client, appId, op.type === 'certificate.create' ? '' : op.endpointId));
    return got && { value: got.endpoint, ...(got.etag ? { etag: got.etag } : {}) };
  };
  switch (op.type) {
    case 'certificate.create': {
      const chain = reviewedChain(change, op);
      const key = privateKeyOf(ctx, change, op);
      // Endpoints other certificates of this state own are never taken for this one's read-back.
      const notIds = new Set(Object.values(ctx.inventory().apps[change.app]?.certificates ?? {}).map((c) => c.id));
      const e = await createSniEndpoint(ctx.client, appId, chain, key.value, { address, notIds });
      return { releases: 0, effect: { type: 'certificate', key: op.key, certificate: { id: e.id, name: e.name, fingerprint: op.fingerprint, keyFingerprint: key.fingerprint } } };
    }
    case 'certificate.update': {
      const chain = reviewedChain(change, op);
      const key = privateKeyOf(ctx, change, op);
      const ifMatch = await ifMatchFor(ctx, change, read, certificateGuard);
      const e = await updateSniEndpoint(ctx.client, appId, op.endpointId, chain, key.value, ifMatch, { address });
      return { releases: 0, effect: { type: 'certificate', key: op.key, certificate: { id: e.id, name: e.name, fingerprint: op.fingerprint, keyFingerprint: key.fingerprint } } };
    }
    case 'certificate.adopt': {
      // Nothing is sent; the key's fingerprint is recorded so that a later key change shows.
      const key = op.privateKey ? privateKeyOf(ctx, change, op) : undefined;
      return {
        releases: 0,
        effect: { type: 'certificate', key: op.key, certificate: { id: op.endpointId, name: op.name, fingerprint: op.fingerprint, ...(key ? { keyFingerprint: key.fingerprint } : {}) } },
      };
    }
    case 'certificate.delete': {
      const ifMatch = await ifMatchFor(ctx, change, read, certificateGuard);
      await deleteSniEndpoint(ctx.client, appId, op.endpointId, ifMatch, { address });
      return { releases: 0, effect: { type: 'certificate-deleted', key: op.key } };
    }
  }
}

/** ACM on or off. The route takes no If-Match: the app is re-read and its ACM compared with what the plan saw. */
export async function executeAcm(ctx: ExecContext, change: Change, op: Extract<Operation, { type: 'acm.set' }>): Promise<ExecSuccess> {
  if (op.send) {
    const appId = appIdOf(ctx, change);
    if (change.guard.fingerprint !== undefined) {
      await checkFingerprint(change, async () => ({ value: await getAcm(ctx.client, appId) }), acmGuard);
    } else if (!ctx.createdApps.has(change.app)) {
      await ifMatchFor(ctx, change, async () => undefined, acmGuard);
    }
    await setAcm(ctx.client, appId, op.enabled === true, { address: change.address });
  }
  return { releases: 0, effect: { type: 'acm', enabled: op.enabled === true } };
}
