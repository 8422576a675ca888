import type { Change, Operation } from '../../model/plan.js';
import { addMember, getAccountFeature, listMembers, removeMember, setAccountFeature, setMemberRole } from '../../providers/heroku/members.js';
import { orUndefined } from '../../providers/heroku/paths.js';
import { featureGuard, memberGuard } from '../../util/guard.js';
import { checkFingerprint, ifMatchFor, type ExecContext, type ExecSuccess } from './context.js';

type MemberOp = Extract<Operation, { type: 'member.create' | 'member.update' | 'member.delete' }>;
type AccountFeatureOp = Extract<Operation, { type: 'account-feature.set' }>;

/**
 * A member is re-read from the team's list (the API has no per-member GET)
 * and compared with what the plan saw. A role change then sends the list's
 * fresh ETag as If-Match on the same URL; a removal has no GET of its own
 * URL to match, so the fingerprint check right before it is its guard.
 */
export async function executeMember(ctx: ExecContext, change: Change, op: MemberOp): Promise<ExecSuccess> {
  const address = change.address;
  const reread = async () => {
    const list = await listMembers(ctx.client, op.team);
    const m = list?.members.find((x) => x.id === (op.type === 'member.create' ? '' : op.memberId));
    return m && { value: m, ...(list?.etag ? { etag: list.etag } : {}) };
  };
  switch (op.type) {
    case 'member.create': {
      const m = await addMember(ctx.client, op.team, op.email, op.role, { address });
      return { releases: 0, effect: { type: 'member', team: op.team, email: op.email, member: { id: m.id, role: m.role ?? op.role } } };
    }
    case 'member.update': {
      let role = op.role;
      if (op.send) {
        const ifMatch = await ifMatchFor(ctx, change, reread, memberGuard);
        role = (await setMemberRole(ctx.client, op.team, op.email, op.role, ifMatch, { address })).role ?? op.role;
      }
      return { releases: 0, effect: { type: 'member', team: op.team, email: op.email, member: { id: op.memberId, role } } };
    }
    case 'member.delete': {
      await checkFingerprint(change, reread, memberGuard);
      await removeMember(ctx.client, op.team, op.memberId, { address });
      return { releases: 0, effect: { type: 'member-deleted', team: op.team, email: op.email } };
    }
  }
}

/** As an app's feature: re-read first when the plan saw it only in the list (the re-read's ETag then guards the PATCH). */
export async function executeAccountFeature(ctx: ExecContext, change: Change, op: AccountFeatureOp): Promise<ExecSuccess> {
  if (op.send) {
    const ifMatch = await ifMatchFor(ctx, change,
      async () => {
        const got = await orUndefined(() => getAccountFeature(ctx.client, op.name));
        return got && { value: got.feature, ...(got.etag ? { etag: got.etag } : {}) };
      },
      featureGuard,
    );
    await setAccountFeature(ctx.client, op.name, op.enabled, ifMatch, { address: change.address });
  }
  return { releases: 0, effect: { type: 'account-feature', name: op.name, enabled: op.enabled } };
}
