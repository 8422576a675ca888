import type { DesiredCoupling, DesiredPipeline, DesiredState } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Inventory, InventoryCoupling, InventoryPipeline } from '../model/inventory.js';
import type { LiveCoupling, LivePipeline, LivePipelines } from '../model/live.js';
import type { Change, ChangeItem } from '../model/plan.js';
import { formatPipelineAddress } from '../util/address.js';
import { couplingGuard, pipelineGuard } from '../util/guard.js';
import { EXECUTABLE, guardReads, listGuard, locOf, makeChange, plural, sortObject, type FingerprintFn } from './context.js';
import { planReviewApps } from './review-apps.js';
import { planStageConfig } from './stage-config.js';

/** The scope every change of a pipeline carries as `Change.app`: it cannot collide with an app key (those have no dot). */
export function pipelineScope(key: string): string {
  return `pipeline.${key}`;
}

interface PipelineWorld {
  desired: DesiredState;
  live: LivePipelines;
  inventory: Inventory;
  /** Every app name visible to the account → id. */
  appIds: Record<string, string>;
  /** The changes planned for apps, by id: couplings wait for the app's create or adoption. */
  appChanges: ReadonlyMap<string, Change>;
  diagnostics: Diagnostic[];
  fingerprint: FingerprintFn;
}

type Snapshot = Record<string, string | boolean | null>;

/**
 * Pipelines and their couplings: desired × live × inventory → changes.
 * Pure. Deleting a pipeline needs the consent an app needs (`protect:
 * false` applied, then `--allow-destroy`); couplings are owned one by one
 * and only owned ones are removed. A coupling waits for the pipeline and
 * for its app to exist, and for the app's old coupling to go when it moves
 * between two pipelines this state owns.
 */
export function planPipelines(w: PipelineWorld): Change[] {
  const declared = w.desired.pipelines ?? {};
  const owned = w.inventory.pipelines ?? {};
  const keys = [...new Set([...Object.keys(declared), ...Object.keys(owned)])].sort();
  const byId = new Map(w.live.pipelines.map((p) => [p.id, p]));
  const couplingByApp = new Map(w.live.couplings.map((c) => [c.appId, c]));
  const out: Change[] = [];
  // Coupling deletions first, so that a coupling moving between pipelines can wait for its own removal.
  const deletions = new Map<string, Change>();
  const creates: Array<{ change: Change; appId?: string }> = [];

  for (const key of keys) {
    const d = declared[key];
    const inv = owned[key];
    const found = (inv ? byId.get(inv.id) : undefined) ?? (d ? w.live.pipelines.find((p) => p.name === d.name && !ownedElsewhere(owned, p.id, key)) : undefined);
    if (!d) {
      out.push(undeclared(inv!, found));
      continue;
    }
    const invHere = inv && found && inv.id === found.id ? inv : undefined;
    const head = pipelineChange(w, d, found, invHere, inv);
    if (head) out.push(head);
    // A refused pipeline (unknown team, other owner) is left alone, couplings and all.
    if (head?.action === 'replace-refused') continue;
    // Couplings wait for the pipeline's own change: its create or adoption, and a rename too (a coupling's
    // representation names its pipeline, so its ETag changes with the name).
    const pipelineDep = head && EXECUTABLE.has(head.action) ? [head.id] : [];
    const liveHere = found ? w.live.couplings.filter((c) => c.pipelineId === found.id) : [];

    for (const c of Object.values(d.couplings).sort((a, b) => (a.app < b.app ? -1 : a.app > b.app ? 1 : 0))) {
      const appId = appIdFor(w, c.app);
      const liveC = appId !== undefined ? couplingByApp.get(appId) : undefined;
      const ownedC = invHere?.couplings[c.app];
      const change = couplingChange(w, d, c, appId, liveC, found, ownedC, owned);
      if (!change) continue;
      const appChange = w.appChanges.get(`app.${c.app}`);
      const deps = [...pipelineDep];
      if (appChange && EXECUTABLE.has(appChange.action) && (appChange.action === 'create' || appChange.action === 'adopt')) deps.push(appChange.id);
      if (EXECUTABLE.has(change.action)) change.dependsOn = deps;
      out.push(change);
      if (change.op.type === 'coupling.create') creates.push({ change, ...(appId !== undefined ? { appId } : {}) });
    }

    // Stage config and review apps wait for the pipeline's create or adoption (the ids come from it).
    const parts = { pipeline: d, ...(found ? { found } : {}), ...(invHere ? { inv: invHere } : {}), live: w.live };
    for (const change of [...planStageConfig({ ...parts, fingerprint: w.fingerprint, diagnostics: w.diagnostics }), planReviewApps(parts)]) {
      if (!change) continue;
      if (EXECUTABLE.has(change.action)) change.dependsOn = [...pipelineDep];
      out.push(change);
    }

    // Owned couplings no longer declared: removed when still there, else forgotten.
    for (const [app, oc] of Object.entries(invHere?.couplings ?? {}).sort()) {
      if (d.couplings[app]) continue;
      const liveC = w.live.couplings.find((x) => x.id === oc.id);
      const change = liveC ? deleteCoupling(key, app, oc, liveC, d) : forgetCoupling(key, app, oc);
      if (liveC) change.dependsOn = [...pipelineDep];
      out.push(change);
      if (liveC) deletions.set(liveC.appId, change);
    }

    const unmanaged = liveHere
      .filter((c) => !Object.values(d.couplings).some((dc) => appIdFor(w, dc.app) === c.appId))
      .filter((c) => !Object.values(invHere?.couplings ?? {}).some((oc) => oc.id === c.id))
      .map((c) => appNameOf(w, c.appId));
    if (unmanaged.length > 0) {
      w.diagnostics.push({
        severity: 'info',
        code: 'unmanaged-couplings',
        message: `${plural(unmanaged.length, 'app')} in pipeline ${d.name} ${unmanaged.length === 1 ? 'is' : 'are'} neither declared nor owned and left alone: ${unmanaged.sort().join(', ')}`,
        address: formatPipelineAddress(key),
        ...locOf(d.fieldLocs?.['stages'] ?? d.loc),
      });
    }
  }

  // A coupling that moves from one owned pipeline to another waits for its removal from the first.
  for (const { change, appId } of creates) {
    const del = appId !== undefined ? deletions.get(appId) : undefined;
    if (del) change.dependsOn.push(del.id);
  }
  // Deletions of whole pipelines remove their couplings too: a coupling moving out of one waits for it.
  for (const del of out.filter((c) => c.op.type === 'pipeline.delete')) {
    const pid = (del.op as { pipelineId: string }).pipelineId;
    for (const { change, appId } of creates) {
      if (appId !== undefined && couplingByApp.get(appId)?.pipelineId === pid) change.dependsOn.push(del.id);
    }
  }
  return out;
}

/** True when another pipeline key of this state owns the pipeline with that id (a name match must not steal it). */
function ownedElsewhere(owned: Record<string, InventoryPipeline>, id: string, key: string): boolean {
  return Object.entries(owned).some(([k, p]) => k !== key && p.id === id);
}

function appIdFor(w: PipelineWorld, appKey: string): string | undefined {
  const invId = w.inventory.apps[appKey]?.id;
  const liveIds = new Set(Object.values(w.appIds));
  if (invId !== undefined && liveIds.has(invId)) return invId;
  const name = w.desired.apps[appKey]?.name;
  return name !== undefined ? w.appIds[name] : undefined;
}

function appNameOf(w: PipelineWorld, appId: string): string {
  return Object.entries(w.appIds).find(([, id]) => id === appId)?.[0] ?? appId;
}

function snapshot(p: LivePipeline, inv: InventoryPipeline | undefined, teamName: string | undefined): Snapshot {
  const s: Snapshot = { name: p.name, owner: p.owner ? (p.owner.type === 'team' ? `team ${teamName ?? p.owner.id}` : 'user') : null };
  if (inv) s.protect = inv.protect;
  return s;
}

function teamNameOf(live: LivePipelines, id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  return Object.entries(live.teamIds ?? {}).find(([, tid]) => tid === id)?.[0];
}

/** The pipeline's own change: create, adopt, rename or state-only consent; undefined when nothing differs. */
function pipelineChange(
  w: PipelineWorld,
  d: DesiredPipeline,
  found: LivePipeline | undefined,
  inv: InventoryPipeline | undefined,
  staleInv: InventoryPipeline | undefined,
): Change | undefined {
  const address = formatPipelineAddress(d.key);
  const app = pipelineScope(d.key);
  const loc = d.loc ? { loc: d.loc } : {};
  const teamId = d.team !== undefined ? w.live.teamIds?.[d.team] : undefined;
  if (d.team !== undefined && teamId === undefined) {
    w.diagnostics.push({
      severity: 'error',
      code: 'unknown-team',
      message: `pipeline ${d.name} names team ${JSON.stringify(d.team)}, which the account is not a member of (or which does not exist)`,
      address,
      ...locOf(d.fieldLocs?.['team'] ?? d.loc),
    });
    return makeChange({ address, app, kind: 'pipeline', action: 'replace-refused', reason: `team ${d.team} is unknown`, before: null, after: null, op: { type: 'none' }, ...loc });
  }

  if (!found) {
    const after: Snapshot = { name: d.name, owner: d.team !== undefined ? `team ${d.team}` : 'user', protect: d.protect };
    return makeChange({
      address,
      app,
      kind: 'pipeline',
      action: 'create',
      before: null,
      after: sortObject(after),
      requests: 1,
      op: { type: 'pipeline.create', name: d.name, protect: d.protect, ...(teamId !== undefined ? { owner: { id: teamId, type: 'team' as const } } : {}) },
      ...(staleInv ? { reason: `was in state (id ${staleInv.id}) but no longer exists: deleted outside dynoform, so it will be created again` } : {}),
      ...loc,
    });
  }

  const liveTeam = teamNameOf(w.live, found.owner?.type === 'team' ? found.owner.id : undefined);
  const before = snapshot(found, inv, liveTeam);
  if (teamId !== undefined && (found.owner?.type !== 'team' || found.owner.id !== teamId)) {
    return makeChange({
      address,
      app,
      kind: 'pipeline',
      action: 'replace-refused',
      reason: `pipeline ${found.name} is owned by ${String(before.owner ?? 'nobody')}, not team ${d.team}: dynoform does not transfer pipelines (use heroku pipelines:transfer, or change team:)`,
      before: sortObject(before),
      after: sortObject({ ...before, owner: `team ${d.team}` }),
      op: { type: 'none' },
      ...loc,
    });
  }

  const items: ChangeItem[] = [];
  const adopting = inv === undefined;
  const rename = d.name !== found.name ? d.name : undefined;
  if (rename !== undefined) items.push({ key: 'name', action: 'update', before: found.name, after: d.name, note: 'rename' });
  if (inv && inv.protect !== d.protect) items.push({ key: 'protect', action: 'update', before: inv.protect, after: d.protect, note: 'state only, no request' });
  if (!adopting && items.length === 0) return undefined;

  const guard = rename !== undefined ? listGuard(undefined, () => pipelineGuard(found)) : {};
  const after: Snapshot = { ...before, protect: d.protect, ...(rename !== undefined ? { name: rename } : {}) };
  return makeChange({
    address,
    app,
    kind: 'pipeline',
    action: adopting ? 'adopt' : 'update',
    before: sortObject(before),
    after: sortObject(after),
    items,
    guard,
    requests: rename !== undefined ? 1 + guardReads(guard) : 0,
    op: { type: adopting ? 'pipeline.adopt' : 'pipeline.update', pipelineId: found.id, protect: d.protect, ...(rename !== undefined ? { name: rename } : {}) },
    ...(adopting
      ? {
          reason: staleInv
            ? `the pipeline in state (id ${staleInv.id}) no longer exists; the live pipeline named ${found.name} is adopted instead`
            : 'exists but is not in state: dynoform takes ownership',
        }
      : {}),
    ...loc,
  });
}

/** An owned pipeline the YAML no longer declares: delete with consent, else blocked; forget when already gone. */
function undeclared(inv: InventoryPipeline, found: LivePipeline | undefined): Change {
  const address = formatPipelineAddress(inv.key);
  const app = pipelineScope(inv.key);
  const exists = found !== undefined && found.id === inv.id;
  const before: Snapshot = exists ? snapshot(found, inv, undefined) : { name: inv.name, protect: inv.protect };
  const couplings = Object.keys(inv.couplings).length;
  if (!exists) {
    return makeChange({
      address,
      app,
      kind: 'pipeline',
      action: 'delete',
      reason: 'no longer declared and already deleted outside dynoform: only removed from state (no request)',
      before: sortObject(before),
      after: null,
      op: { type: 'state.forget' },
    });
  }
  if (inv.protect) {
    return makeChange({
      address,
      app,
      kind: 'pipeline',
      action: 'blocked',
      reason: `removed from the YAML but protected: deleting pipeline ${inv.name} removes its couplings and review-app settings. To delete it, set protect: false and apply first, then remove it, and apply with --allow-destroy`,
      before: sortObject(before),
      after: null,
      op: { type: 'none' },
    });
  }
  const guard = listGuard(undefined, () => pipelineGuard(found));
  return makeChange({
    address,
    app,
    kind: 'pipeline',
    action: 'delete',
    reason: `deletes pipeline ${inv.name}${couplings > 0 ? ` and its ${plural(couplings, 'coupling')}` : ''} (the apps stay); apply needs --allow-destroy`,
    before: sortObject(before),
    after: null,
    guard,
    requests: 1 + guardReads(guard),
    op: { type: 'pipeline.delete', pipelineId: inv.id },
  });
}

function couplingChange(
  w: PipelineWorld,
  d: DesiredPipeline,
  c: DesiredCoupling,
  appId: string | undefined,
  liveC: LiveCoupling | undefined,
  pipeline: LivePipeline | undefined,
  ownedC: InventoryCoupling | undefined,
  owned: Record<string, InventoryPipeline>,
): Change | undefined {
  const address = formatPipelineAddress(d.key, c.app);
  const app = pipelineScope(d.key);
  const loc = c.loc ? { loc: c.loc } : {};
  const appName = w.desired.apps[c.app]?.name ?? c.app;
  const after = { app: appName, stage: c.stage };

  if (liveC && pipeline && liveC.pipelineId === pipeline.id) {
    const guard = listGuard(undefined, () => couplingGuard(liveC));
    const moves = liveC.stage !== c.stage;
    if (ownedC && ownedC.id === liveC.id) {
      if (!moves) return undefined;
      return makeChange({
        address,
        app,
        kind: 'coupling',
        action: 'update',
        before: { app: appName, stage: liveC.stage },
        after,
        items: [{ key: 'stage', action: 'update', before: liveC.stage, after: c.stage }],
        guard,
        requests: 1 + guardReads(guard),
        op: { type: 'coupling.update', couplingId: liveC.id, app: c.app, appId: liveC.appId, stage: c.stage },
        ...loc,
      });
    }
    return makeChange({
      address,
      app,
      kind: 'coupling',
      action: 'adopt',
      reason: `${appName} is already in pipeline ${pipeline.name}: dynoform takes ownership${moves ? ` and moves it to ${c.stage}` : ''}`,
      before: { app: appName, stage: liveC.stage },
      after,
      ...(moves ? { items: [{ key: 'stage', action: 'update' as const, before: liveC.stage, after: c.stage }] } : {}),
      ...(moves ? { guard } : {}),
      requests: moves ? 1 + guardReads(guard) : 0,
      op: { type: 'coupling.adopt', couplingId: liveC.id, app: c.app, appId: liveC.appId, stage: c.stage, liveStage: liveC.stage },
      ...loc,
    });
  }

  if (liveC) {
    // Coupled elsewhere: fine when the other pipeline is ours and lets it go in this plan (the create waits for that).
    const releasedByUs = Object.entries(owned).some(
      ([k, p]) =>
        (p.id === liveC.pipelineId && !w.desired.pipelines?.[k]) ||
        Object.entries(p.couplings).some(([a, oc]) => oc.id === liveC.id && !w.desired.pipelines?.[k]?.couplings[a]),
    );
    if (!releasedByUs) {
      const other = w.live.pipelines.find((p) => p.id === liveC.pipelineId)?.name ?? liveC.pipelineId;
      return makeChange({
        address,
        app,
        kind: 'coupling',
        action: 'replace-refused',
        reason: `${appName} is in pipeline ${other} (${liveC.stage}), which this state does not release: an app is in one pipeline. Remove it there first (heroku pipelines:remove -a ${appName}), or declare that pipeline here`,
        before: { app: appName, pipeline: other, stage: liveC.stage },
        after,
        op: { type: 'none' },
        ...loc,
      });
    }
  }

  return makeChange({
    address,
    app,
    kind: 'coupling',
    action: 'create',
    before: null,
    after,
    requests: 1,
    op: {
      type: 'coupling.create',
      app: c.app,
      stage: c.stage,
      ...(appId !== undefined ? { appId } : {}),
      ...(pipeline ? { pipelineId: pipeline.id } : {}),
    },
    ...(ownedC ? { reason: 'was in state but no longer exists: removed outside dynoform, so it will be coupled again' } : {}),
    ...loc,
  });
}

function deleteCoupling(key: string, app: string, oc: InventoryCoupling, liveC: LiveCoupling, d: DesiredPipeline): Change {
  const guard = listGuard(undefined, () => couplingGuard(liveC));
  return makeChange({
    address: formatPipelineAddress(key, app),
    app: pipelineScope(key),
    kind: 'coupling',
    action: 'delete',
    reason: 'no longer listed in the pipeline: the app is removed from it (the app itself stays)',
    before: { app, stage: liveC.stage },
    after: null,
    guard,
    requests: 1 + guardReads(guard),
    op: { type: 'coupling.delete', couplingId: oc.id, app },
    ...(d.fieldLocs?.['stages'] ? { loc: d.fieldLocs['stages'] } : d.loc ? { loc: d.loc } : {}),
  });
}

function forgetCoupling(key: string, app: string, oc: InventoryCoupling): Change {
  return makeChange({
    address: formatPipelineAddress(key, app),
    app: pipelineScope(key),
    kind: 'coupling',
    action: 'delete',
    reason: 'no longer listed and already removed outside dynoform: only removed from state (no request)',
    before: { app, stage: oc.stage },
    after: null,
    op: { type: 'state.forget' },
  });
}
