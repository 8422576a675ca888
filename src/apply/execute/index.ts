import type { Change } from '../../model/plan.js';
import { executeAddon } from './addon.js';
import { executeApp } from './app.js';
import { configRebase, executeConfig } from './config.js';
import { ChangeError, type ExecContext, type ExecSuccess } from './context.js';
import { executeDomain } from './domain.js';
import { executeDrain } from './drain.js';
import { executeFormation, formationRebase } from './formation.js';
import { executeBuildpacks } from './buildpacks.js';
import { executeFeature } from './feature.js';
import { executeAcm, executeCertificate } from './certificate.js';
import { executeCoupling, executePipeline } from './pipeline.js';
import { executeTeam } from './team.js';
import { executeCollaborator } from './collaborator.js';
import { executeWebhook } from './webhook.js';
import { executeAttachment } from './attachment.js';
import { executeReviewApps } from './review-apps.js';
import { executeAccountFeature, executeMember } from './member.js';

/** Runs one planned operation against the API; returns what the state must record. */
export async function executeChange(ctx: ExecContext, change: Change): Promise<ExecSuccess> {
  const op = change.op;
  switch (op.type) {
    case 'app.create':
    case 'app.update':
    case 'app.adopt':
    case 'app.delete':
      return executeApp(ctx, change, op);
    case 'config.patch':
    case 'stage-config.patch':
      return executeConfig(ctx, change, op);
    case 'review-apps.enable':
    case 'review-apps.update':
    case 'review-apps.adopt':
    case 'review-apps.disable':
      return executeReviewApps(ctx, change, op);
    case 'addon.create':
    case 'addon.update':
    case 'addon.adopt':
    case 'addon.delete':
      return executeAddon(ctx, change, op);
    case 'formation.batch':
      return executeFormation(ctx, change, op);
    case 'domain.create':
    case 'domain.update':
    case 'domain.adopt':
    case 'domain.delete':
      return executeDomain(ctx, change, op);
    case 'drain.create':
    case 'drain.adopt':
    case 'drain.delete':
      return executeDrain(ctx, change, op);
    case 'buildpacks.set':
      return executeBuildpacks(ctx, change, op);
    case 'feature.set':
      return executeFeature(ctx, change, op);
    case 'certificate.create':
    case 'certificate.update':
    case 'certificate.adopt':
    case 'certificate.delete':
      return executeCertificate(ctx, change, op);
    case 'acm.set':
      return executeAcm(ctx, change, op);
    case 'pipeline.create':
    case 'pipeline.update':
    case 'pipeline.adopt':
    case 'pipeline.delete':
      return executePipeline(ctx, change, op);
    case 'coupling.create':
    case 'coupling.update':
    case 'coupling.adopt':
    case 'coupling.delete':
      return executeCoupling(ctx, change, op);
    case 'team.set':
      return executeTeam(ctx, change, op);
    case 'collaborator.create':
    case 'collaborator.update':
    case 'collaborator.adopt':
    case 'collaborator.delete':
      return executeCollaborator(ctx, change, op);
    case 'webhook.create':
    case 'webhook.update':
    case 'webhook.adopt':
    case 'webhook.delete':
      return executeWebhook(ctx, change, op);
    case 'attachment.create':
    case 'attachment.adopt':
    case 'attachment.delete':
      return executeAttachment(ctx, change, op);
    case 'member.create':
    case 'member.update':
    case 'member.delete':
      return executeMember(ctx, change, op);
    case 'account-feature.set':
      return executeAccountFeature(ctx, change, op);
    case 'state.forget':
      return { releases: 0, effect: { type: 'forget' } };
    case 'none':
      throw new ChangeError('nothing-to-do', `${change.address}: the plan has no operation for this change`);
  }
}

/**
 * Finds the guarded changes whose ETag our own earlier changes in this run
 * will invalidate (see rebase.ts): config vars after an add-on is attached
 * (its own, or another app's through an attachment), detached or re-planned; formation after the app is renamed.
 */
export function registerRebases(ctx: ExecContext, changes: readonly Change[]): void {
  for (const c of changes) {
    if (c.guard.etag === undefined) continue;
    const siblings = changes.filter((d) => d.app === c.app && d !== c);
    if (c.op.type === 'config.patch') {
      const disturbers = siblings.filter(
        (d) =>
          d.op.type === 'addon.create' ||
          d.op.type === 'addon.delete' ||
          d.op.type === 'addon.update' ||
          (d.op.type === 'addon.adopt' && d.op.livePlan !== undefined) ||
          d.op.type === 'attachment.create' ||
          d.op.type === 'attachment.delete',
      );
      ctx.rebases.register(c, disturbers, configRebase(ctx, c, c.op));
    } else if (c.op.type === 'formation.batch') {
      const disturbers = siblings.filter((d) => (d.op.type === 'app.update' || d.op.type === 'app.adopt') && d.op.name !== undefined);
      ctx.rebases.register(c, disturbers, formationRebase(ctx, c));
    }
  }
}
