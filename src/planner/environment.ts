import type { DesiredApp } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { ForeignApp, Inventory } from '../model/inventory.js';
import type { LiveState } from '../model/live.js';
import type { Change } from '../model/plan.js';
import { formatAddress } from '../util/address.js';
import { makeChange, plural, sortObject, type StagedChange } from './context.js';

/** Stable codes of the environment guards. */
export const EnvironmentCode = {
  /** A declared app that another state owns: adopting it would take it from that environment. */
  foreignApp: 'app-owned-elsewhere',
  /** The plan deletes every app the state manages, or more than half of them. */
  massDestroy: 'mass-destroy',
  /** The files declare no app at all (e.g. only the shared defaults file was given). */
  noApps: 'no-apps-declared',
} as const;

/** Apps other states own, by app id. */
export function foreignById(foreign: readonly ForeignApp[] | undefined): Map<string, ForeignApp> {
  return new Map((foreign ?? []).map((f) => [f.id, f]));
}

function owner(f: ForeignApp): string {
  return `environment ${f.environment} (state ${f.state}, as app.${f.key})`;
}

/**
 * A declared app whose live counterpart another state owns and this one
 * does not: refused, and none of its parts planned. This is what keeps
 * `plan -f .` with the staging state from adopting every production app.
 */
export function foreignDeclared(
  d: DesiredApp,
  live: LiveState,
  inventory: Inventory,
  foreign: ReadonlyMap<string, ForeignApp>,
): StagedChange | undefined {
  const found = live.apps[d.key];
  if (!found) return undefined;
  const f = foreign.get(found.id);
  if (!f || inventory.apps[d.key]?.id === found.id) return undefined;
  return {
    stage: 'app',
    change: makeChange({
      address: formatAddress(d.key),
      app: d.key,
      kind: 'app',
      action: 'blocked',
      reason:
        `${found.name} is managed by ${owner(f)}: this state cannot adopt it. ` +
        'Plan it with that environment\'s files, or remove it from these files',
      before: sortObject({ name: found.name }),
      after: null,
      op: { type: 'none' },
      ...(d.loc ? { loc: d.loc } : {}),
    }),
  };
}

/** An undeclared app of this state that another state also owns: it is not this environment's to delete. */
export function foreignUndeclared(key: string, inventory: Inventory, foreign: ReadonlyMap<string, ForeignApp>): StagedChange | undefined {
  const inv = inventory.apps[key];
  const f = inv ? foreign.get(inv.id) : undefined;
  if (!inv || !f) return undefined;
  return {
    stage: 'app-delete',
    change: makeChange({
      address: formatAddress(key),
      app: key,
      kind: 'app',
      action: 'blocked',
      reason:
        `no longer declared, but ${inv.name} is also managed by ${owner(f)}: it is never deleted from here. ` +
        `To stop managing it in this environment only, run \`dynoform state forget ${formatAddress(key)}\``,
      before: sortObject({ name: inv.name, protect: inv.protect }),
      after: null,
      op: { type: 'none' },
    }),
  };
}

/** Share of the managed apps above which a plan's app deletions are refused without --allow-mass-destroy. */
export const MASS_DESTROY_SHARE = 0.5;

const deletesApp = (c: Change): boolean => c.kind === 'app' && c.after === null && (c.action === 'blocked' || (c.action === 'delete' && c.op.type === 'app.delete'));

/**
 * The guards against a wrong set of files: one that declares no app, or a
 * plan that would delete every app this state manages (or more than half):
 * the signature of a CI job that forgot the environment's file. Errors, so
 * that plan exits 1 and apply refuses, unless --allow-mass-destroy.
 */
export function massDestroyGuards(args: {
  desiredApps: number;
  files: readonly string[];
  inventory: Inventory;
  changes: readonly Change[];
  targets: ReadonlySet<string> | undefined;
  allow: boolean;
  /** The files declare `teams:` or `account:`: a set with no app is then meant, unless the state owns apps to lose. */
  declaresDirectory?: boolean;
}): Diagnostic[] {
  if (args.allow) return [];
  const out: Diagnostic[] = [];
  const directoryOnly = args.declaresDirectory === true && Object.keys(args.inventory.apps).length === 0;
  if (args.desiredApps === 0 && !args.targets && !directoryOnly) {
    const files = args.files.length > 0 ? args.files.join(', ') : 'the files given';
    out.push({
      severity: 'error',
      code: EnvironmentCode.noApps,
      message:
        `${files} declare${args.files.length === 1 ? 's' : ''} no apps: give the environment's file too (e.g. -f defaults.yaml -f staging.yaml)` +
        (Object.keys(args.inventory.apps).length > 0 ? ', or pass --allow-mass-destroy to delete every app of this state' : ''),
      ...(args.files[0] !== undefined ? { file: args.files[0] } : {}),
    });
    return out;
  }
  const managed = Object.values(args.inventory.apps).filter((a) => !args.targets || args.targets.has(a.key)).length;
  const deleted = args.changes.filter(deletesApp);
  if (managed === 0 || deleted.length === 0) return out;
  if (deleted.length === managed || deleted.length > managed * MASS_DESTROY_SHARE) {
    const names = deleted.map((c) => c.app).sort();
    out.push({
      severity: 'error',
      code: EnvironmentCode.massDestroy,
      message:
        // With --target the share is of the targeted apps: say so, not "every app this state manages".
        `the plan deletes ${
          deleted.length === managed
            ? args.targets
              ? `every app it targets (${plural(managed, 'app')})`
              : `every app this state manages (${plural(managed, 'app')})`
            : `${deleted.length} of the ${managed} ${args.targets ? 'targeted apps' : 'apps this state manages'} (more than half)`
        }: ` +
        `${names.join(', ')}. If the files are the right ones for this environment and that is intended, pass --allow-mass-destroy; ` +
        'otherwise check the -f files and --env',
    });
  }
  return out;
}
