import type { Change, Operation } from '../../model/plan.js';
import { orUndefined } from '../../providers/heroku/paths.js';
import { addCollaborator, getCollaborator, removeCollaborator, updateCollaborator } from '../../providers/heroku/teams.js';
import { collaboratorGuard } from '../../util/guard.js';
import { appIdOf, ifMatchFor, type ExecContext, type ExecSuccess } from './context.js';

type CollaboratorOp = Extract<Operation, { type: 'collaborator.create' | 'collaborator.update' | 'collaborator.adopt' | 'collaborator.delete' }>;

export async function executeCollaborator(ctx: ExecContext, change: Change, op: CollaboratorOp): Promise<ExecSuccess> {
  const appId = appIdOf(ctx, change);
  const address = change.address;
  const reread = (id: string) => async () => {
    const got = await orUndefined(() => getCollaborator(ctx.client, appId, id));
    return got && { value: got.collaborator, ...(got.etag ? { etag: got.etag } : {}) };
  };
  switch (op.type) {
    case 'collaborator.create': {
      const c = await addCollaborator(ctx.client, appId, op.email, op.permissions, { address });
      return { releases: 0, effect: { type: 'collaborator', email: op.email, collaborator: { id: c.id, ...(op.permissions ? { permissions: c.permissions } : {}) } } };
    }
    case 'collaborator.update':
    case 'collaborator.adopt': {
      let permissions = op.permissions;
      if (op.livePermissions !== undefined && op.permissions) {
        const ifMatch = await ifMatchFor(ctx, change, reread(op.collaboratorId), collaboratorGuard);
        permissions = (await updateCollaborator(ctx.client, appId, op.collaboratorId, op.permissions, ifMatch, { address })).permissions;
      }
      return { releases: 0, effect: { type: 'collaborator', email: op.email, collaborator: { id: op.collaboratorId, ...(permissions ? { permissions: [...permissions].sort() } : {}) } } };
    }
    case 'collaborator.delete': {
      const ifMatch = await ifMatchFor(ctx, change, reread(op.collaboratorId), collaboratorGuard);
      await removeCollaborator(ctx.client, appId, op.collaboratorId, ifMatch, { address });
      return { releases: 0, effect: { type: 'collaborator-deleted', email: op.email } };
    }
  }
}
