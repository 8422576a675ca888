import type { Change, Operation } from '../../model/plan.js';
import { createApp, deleteApp, getApp, updateApp, type AppUpdate } from '../../providers/heroku/apps.js';
import { orUndefined } from '../../providers/heroku/paths.js';
import { appGuard } from '../../util/guard.js';
import { ChangeError, ifMatchFor, type ExecContext, type ExecSuccess } from './context.js';

type AppOp = Extract<Operation, { type: 'app.create' | 'app.update' | 'app.adopt' | 'app.delete' }>;

export async function executeApp(ctx: ExecContext, change: Change, op: AppOp): Promise<ExecSuccess> {
  const { client } = ctx;
  const address = change.address;
  switch (op.type) {
    case 'app.create': {
      const created = await createApp(
        client,
        {
          name: op.name,
          ...(op.region ? { region: op.region } : {}),
          ...(op.stack ? { stack: op.stack } : {}),
          ...(op.team ? { team: op.team, ...(op.locked !== undefined ? { locked: op.locked } : {}) } : {}),
        },
        { address },
      );
      let app = created.app;
      if (op.maintenance === true) {
        // POST /apps takes no maintenance flag. The app is ours and seconds old: its fresh ETag guards the write.
        app = (await updateApp(client, app.id, { maintenance: true }, created.etag, { address })).app;
      }
      return {
        releases: 0,
        effect: {
          type: 'app',
          id: app.id,
          name: app.name,
          created: true,
          region: app.region,
          stack: app.buildStack,
          maintenance: app.maintenance,
          ...(op.protect !== undefined ? { protect: op.protect } : {}),
          ...(op.team ? { team: op.team, ...(op.locked !== undefined ? { locked: op.locked } : {}) } : {}),
        },
      };
    }
    case 'app.update':
    case 'app.adopt': {
      const update: AppUpdate = {};
      if (op.name !== undefined) update.name = op.name;
      if (op.maintenance !== undefined) update.maintenance = op.maintenance;
      if (op.buildStack !== undefined) update.buildStack = op.buildStack;
      const known = ctx.inventory().apps[change.app];
      if (Object.keys(update).length === 0) {
        // Only ownership or protection changes: state only, no request.
        const name = known?.name ?? (typeof change.after?.name === 'string' ? change.after.name : undefined) ?? ctx.desired.apps[change.app]?.name;
        if (!name) throw new ChangeError('app-unknown', `${address}: the app's name is not known; run plan again`);
        return {
          releases: 0,
          effect: { type: 'app', id: op.appId, name, created: false, ...(op.protect !== undefined ? { protect: op.protect } : {}) },
        };
      }
      const ifMatch = await ifMatchFor(ctx, change, () => readApp(ctx, op.appId), appGuard);
      const { app } = await updateApp(client, op.appId, update, ifMatch, { address });
      return {
        releases: 0,
        effect: {
          type: 'app',
          id: app.id,
          name: app.name,
          created: false,
          region: app.region,
          stack: app.buildStack,
          maintenance: app.maintenance,
          ...(op.protect !== undefined ? { protect: op.protect } : {}),
        },
      };
    }
    case 'app.delete': {
      const inv = ctx.inventory().apps[change.app];
      // Consent is re-checked against the state we hold the lock on, not only the plan.
      if (inv?.protect !== false) throw new ChangeError('destroy-protected', `${address} is protected in state; apply protect: false first`);
      const ifMatch = await ifMatchFor(ctx, change, () => readApp(ctx, op.appId), appGuard);
      await deleteApp(client, op.appId, ifMatch, { address });
      return { releases: 0, effect: { type: 'app-deleted' } };
    }
  }
}

async function readApp(ctx: ExecContext, appId: string) {
  const got = await orUndefined(() => getApp(ctx.client, appId));
  return got && { value: got.app, ...(got.etag ? { etag: got.etag } : {}) };
}
