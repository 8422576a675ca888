import { CONFIG_STAGES, type DesiredPipeline, type DesiredState } from '../model/desired.js';
import type { SourceLocation } from '../model/diagnostic.js';
import type { DriftItem } from '../model/drift.js';
import type { Inventory, InventoryPipeline } from '../model/inventory.js';
import type { LiveCoupling, LivePipeline, LivePipelines, LiveReviewApps, LiveState } from '../model/live.js';
import type { ReviewAppSettings } from '../model/plan.js';
import { classifyConfigVars } from './config.js';
import type { FingerprintFn } from './context.js';
import { formatPipelineAddress } from '../util/address.js';

type Item = Omit<DriftItem, 'address' | 'app' | 'kind'>;

/**
 * Pure: drift of the declared and owned pipelines and their couplings.
 * Nothing when the live reader did not read pipelines (nothing declared
 * or owned).
 */
export function classifyPipelines(desired: DesiredState, live: LiveState, inventory: Inventory, fingerprint: FingerprintFn): DriftItem[] {
  const lp = live.pipelines;
  if (!lp) return [];
  const out: DriftItem[] = [];
  const declared = desired.pipelines ?? {};
  const owned = inventory.pipelines ?? {};
  const appName = (id: string): string => Object.entries(live.appIds).find(([, v]) => v === id)?.[0] ?? id;
  const appIdOf = (key: string): string | undefined => {
    const invId = inventory.apps[key]?.id;
    if (invId !== undefined && Object.values(live.appIds).includes(invId)) return invId;
    const name = desired.apps[key]?.name;
    return name !== undefined ? live.appIds[name] : undefined;
  };

  for (const key of [...new Set([...Object.keys(declared), ...Object.keys(owned)])].sort()) {
    const d = declared[key];
    const inv = owned[key];
    const scope = `pipeline.${key}`;
    const pipelineItem = (n: Item): void => {
      out.push({ ...n, address: formatPipelineAddress(key), app: scope, kind: 'pipeline' });
    };
    const couplingItem = (app: string, n: Item): void => {
      out.push({ ...n, address: formatPipelineAddress(key, app), app: scope, kind: 'coupling', key: app });
    };
    const loc = (l: SourceLocation | undefined): { loc?: SourceLocation } => (l ? { loc: l } : d?.loc ? { loc: d.loc } : {});
    const found: LivePipeline | undefined = inv ? lp.pipelines.find((p) => p.id === inv.id) : d ? lp.pipelines.find((p) => p.name === d.name) : undefined;

    if (!found) {
      if (inv) pipelineItem({ class: 'missing', message: `pipeline ${inv.name} was deleted outside dynoform`, ...loc(undefined), before: inv.name, after: null });
      else if (d) pipelineItem({ class: 'pending', message: `pipeline ${d.name} is declared but does not exist yet: apply will create it`, ...loc(undefined), before: null, after: d.name });
      continue;
    }
    if (inv && !d) {
      pipelineItem({
        class: 'pending',
        message: `pipeline ${found.name} was removed from the YAML and not applied: apply would delete it (refused unless protect: false was applied and --allow-destroy is given)`,
        before: found.name,
        after: null,
      });
      continue;
    }
    if (!d) continue;
    if (!inv) {
      pipelineItem({ class: 'pending', message: `pipeline ${found.name} exists but is not managed yet: apply will adopt it`, ...loc(undefined), before: null, after: found.name });
    } else {
      if (found.name !== inv.name) {
        pipelineItem({ class: 'changed-outside', field: 'name', message: `pipeline ${inv.name} was renamed outside dynoform`, ...loc(d.fieldLocs?.['name']), before: inv.name, after: found.name });
      }
      if (d.name !== inv.name) {
        pipelineItem({ class: 'pending', field: 'name', message: `pipeline name changed in the YAML and not applied`, ...loc(d.fieldLocs?.['name']), before: inv.name, after: d.name });
      }
    }
    couplings(d, inv, found, lp.couplings, appIdOf, appName, couplingItem);
    stageConfig(d, inv, found, lp, fingerprint, (stage, n) => out.push({ ...n, address: formatPipelineAddress(key, { config: stage }), app: scope, kind: 'stage-config' }));
    reviewApps(d, inv, found, lp, (n) => out.push({ ...n, address: formatPipelineAddress(key, { reviewApps: true }), app: scope, kind: 'review-apps' }));
  }
  return out;
}

/** Each stage's config vars, by the same rules as an app's config. */
function stageConfig(
  d: DesiredPipeline,
  inv: InventoryPipeline | undefined,
  found: LivePipeline,
  lp: LivePipelines,
  fingerprint: FingerprintFn,
  add: (stage: string, n: Item) => void,
): void {
  for (const stage of CONFIG_STAGES) {
    const declared = d.config?.[stage];
    const owned = inv?.stageConfig?.[stage];
    const live = lp.stageConfig?.[found.id]?.[stage];
    if ((declared === undefined && owned === undefined) || !live) continue;
    const fieldLoc = d.fieldLocs?.[`config.${stage}`] ?? d.fieldLocs?.['config'] ?? d.loc;
    classifyConfigVars({
      noun: `${stage}-stage config var`,
      declared: declared ?? {},
      exclusive: declared !== undefined && d.configMode === 'exclusive' && inv !== undefined,
      live: live.vars,
      owned: owned ?? {},
      reserved: () => false,
      fingerprint,
      ...(fieldLoc ? { fieldLoc, holderLoc: fieldLoc } : {}),
      add: (n) => add(stage, n),
    });
  }
}

const REVIEW_FIELDS: ReadonlyArray<{ api: keyof ReviewAppSettings; live: keyof LiveReviewApps }> = [
  { api: 'automatic_review_apps', live: 'automaticReviewApps' },
  { api: 'destroy_stale_apps', live: 'destroyStaleApps' },
  { api: 'stale_days', live: 'staleDays' },
  { api: 'wait_for_ci', live: 'waitForCi' },
  { api: 'base_name', live: 'baseName' },
  { api: 'deploy_target', live: 'deployTarget' },
];

const shownSetting = (v: unknown): string | number | boolean | null =>
  v === undefined || v === null ? null : typeof v === 'object' ? `${(v as { type: string }).type} ${(v as { id: string }).id}` : (v as string | number | boolean);

/** Review apps: enabled or not, the repository, and each declared field against what was last applied. */
function reviewApps(d: DesiredPipeline, inv: InventoryPipeline | undefined, found: LivePipeline, lp: LivePipelines, add: (n: Item) => void): void {
  const r = d.reviewApps;
  const owned = inv?.reviewApps;
  if (!r && !owned) return;
  const live = lp.reviewApps?.[found.id];
  if (live === undefined) return;
  const loc = r?.loc ?? d.loc;
  const at = (l?: SourceLocation): { loc?: SourceLocation } => (l ?? loc ? { loc: (l ?? loc)! } : {});
  if (owned && live === null) {
    add({ class: 'missing', message: `review apps of pipeline ${found.name} were disabled outside dynoform`, ...at(), before: owned.repo, after: null });
    return;
  }
  if (!r) {
    add({ class: 'pending', message: `review apps were removed from the YAML and not applied: apply would disable them (with --allow-destroy)`, ...at(), before: owned!.repo, after: null });
    return;
  }
  if (live === null) {
    add({ class: 'pending', message: `review apps are declared but not enabled yet`, ...at(), before: null, after: r.repo });
    return;
  }
  if (!owned) {
    add({ class: 'pending', message: `review apps of pipeline ${found.name} are enabled but not managed yet: apply will adopt them`, ...at(), before: null, after: r.repo });
    return;
  }
  if (owned.repoId !== null && live.repoId !== null && owned.repoId !== live.repoId) {
    add({ class: 'changed-outside', field: 'repo', message: `review apps were connected to another repository outside dynoform`, ...at(r.fieldLocs?.['repo']), before: owned.repo, after: `repository id ${live.repoId}` });
  }
  if (owned.repo !== r.repo) {
    add({ class: 'pending', field: 'repo', message: `the review-app repository changed in the YAML and not applied (it needs review apps disabled and enabled again)`, ...at(r.fieldLocs?.['repo']), before: owned.repo, after: r.repo });
  }
  const declared: Record<string, unknown> = {
    automatic_review_apps: r.automaticReviewApps,
    destroy_stale_apps: r.destroyStaleApps,
    stale_days: r.staleDays,
    wait_for_ci: r.waitForCi,
    base_name: r.baseName,
    deploy_target: r.deployTarget,
  };
  for (const f of REVIEW_FIELDS) {
    const want = declared[f.api];
    if (want === undefined) continue;
    const now = shownSetting(live[f.live]);
    const last = f.api in owned.applied ? shownSetting(owned.applied[f.api]) : undefined;
    const fieldAt = at(r.fieldLocs?.[f.api]);
    if (last !== undefined && now !== last) add({ class: 'changed-outside', field: f.api, message: `${f.api} was changed outside dynoform`, ...fieldAt, before: last, after: now });
    if (shownSetting(want) !== (last ?? now)) add({ class: 'pending', field: f.api, message: `${f.api} changed in the YAML and was not applied`, ...fieldAt, before: last ?? now, after: shownSetting(want) });
  }
}

function couplings(
  d: DesiredPipeline,
  inv: InventoryPipeline | undefined,
  found: LivePipeline,
  live: LiveCoupling[],
  appIdOf: (key: string) => string | undefined,
  appName: (id: string) => string,
  add: (app: string, n: Item) => void,
): void {
  const owned = inv?.couplings ?? {};
  const at = (app: string): { loc?: SourceLocation } => {
    const l = d.couplings[app]?.loc ?? d.fieldLocs?.['stages'] ?? d.loc;
    return l ? { loc: l } : {};
  };
  for (const app of [...new Set([...Object.keys(d.couplings), ...Object.keys(owned)])].sort()) {
    const dc = d.couplings[app];
    const oc = owned[app];
    const lc = oc ? live.find((c) => c.id === oc.id) : undefined;
    if (oc && !lc) {
      add(app, { class: 'missing', message: `${app} was removed from pipeline ${found.name} outside dynoform`, ...at(app), before: oc.stage, after: null });
      continue;
    }
    if (oc && lc) {
      if (lc.pipelineId !== found.id || lc.stage !== oc.stage) {
        add(app, { class: 'changed-outside', field: 'stage', message: `the stage of ${app} was changed outside dynoform`, ...at(app), before: oc.stage, after: lc.stage });
      }
      if (!dc) add(app, { class: 'pending', message: `${app} was removed from pipeline ${found.name} in the YAML and not applied`, ...at(app), before: oc.stage, after: null });
      else if (dc.stage !== oc.stage) add(app, { class: 'pending', field: 'stage', message: `the stage of ${app} changed in the YAML and not applied`, ...at(app), before: oc.stage, after: dc.stage });
      continue;
    }
    if (dc) {
      const id = appIdOf(app);
      const current = id !== undefined ? live.find((c) => c.appId === id) : undefined;
      const here = current && current.pipelineId === found.id;
      add(app, {
        class: 'pending',
        message: here ? `${app} is in pipeline ${found.name} but not managed yet: apply will adopt the coupling` : `${app} is declared in stage ${dc.stage} and not coupled yet`,
        ...at(app),
        before: here ? current.stage : null,
        after: dc.stage,
      });
    }
  }
  const known = new Set([...Object.values(owned).map((c) => c.id)]);
  const declaredIds = new Set(Object.keys(d.couplings).map(appIdOf).filter((x): x is string => x !== undefined));
  for (const c of live.filter((x) => x.pipelineId === found.id && !known.has(x.id) && !declaredIds.has(x.appId))) {
    const name = appName(c.appId);
    add(name, { class: 'unmanaged', message: `${name} is in pipeline ${found.name} (${c.stage}) but neither declared nor owned`, ...(d.fieldLocs?.['stages'] ? { loc: d.fieldLocs['stages'] } : d.loc ? { loc: d.loc } : {}), before: null, after: c.stage });
  }
}
