import type { DesiredPipeline, DesiredReviewApps } from '../model/desired.js';
import type { InventoryPipeline } from '../model/inventory.js';
import type { LivePipeline, LivePipelines, LiveReviewApps } from '../model/live.js';
import type { Change, ChangeItem, ReviewAppSettings } from '../model/plan.js';
import { formatPipelineAddress } from '../util/address.js';
import { reviewAppsGuard } from '../util/guard.js';
import { guardReads, listGuard, makeChange, sortObject } from './context.js';

type Field = keyof ReviewAppSettings;
type Shown = string | number | boolean | null;

/** The managed fields: YAML/API name → the desired and live property. */
const FIELDS: ReadonlyArray<{ api: Field; desired: keyof DesiredReviewApps; live: keyof LiveReviewApps }> = [
  { api: 'automatic_review_apps', desired: 'automaticReviewApps', live: 'automaticReviewApps' },
  { api: 'destroy_stale_apps', desired: 'destroyStaleApps', live: 'destroyStaleApps' },
  { api: 'stale_days', desired: 'staleDays', live: 'staleDays' },
  { api: 'wait_for_ci', desired: 'waitForCi', live: 'waitForCi' },
  { api: 'base_name', desired: 'baseName', live: 'baseName' },
  { api: 'deploy_target', desired: 'deployTarget', live: 'deployTarget' },
];

function shown(v: unknown): Shown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'object') {
    const t = v as { type: string; id: string };
    return `${t.type} ${t.id}`;
  }
  return v as Shown;
}

function same(a: unknown, b: unknown): boolean {
  return shown(a) === shown(b);
}

/** What the YAML sets, as the API names it (only the fields declared). */
function declaredSettings(r: DesiredReviewApps): ReviewAppSettings {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) if (r[f.desired] !== undefined) out[f.api] = r[f.desired];
  return out as ReviewAppSettings;
}

function snapshot(repo: string | undefined, settings: Partial<Record<Field, unknown>>): Record<string, Shown> {
  const s: Record<string, Shown> = {};
  if (repo !== undefined) s['repo'] = repo;
  for (const f of FIELDS) if (f.api in settings) s[f.api] = shown(settings[f.api]);
  return sortObject(s);
}

function liveSettings(l: LiveReviewApps): Record<Field, unknown> {
  const out = {} as Record<Field, unknown>;
  for (const f of FIELDS) out[f.api] = l[f.live];
  return out;
}

export interface ReviewAppsScope {
  pipeline: DesiredPipeline;
  found?: LivePipeline;
  inv?: InventoryPipeline;
  live: LivePipelines;
}

/**
 * Review apps of one pipeline. Declared: enabled (POST) when they are not,
 * else the declared fields that differ are PATCHed; fields not declared are
 * left as they are. `repo` is fixed once enabled: the API shows it only by
 * id and cannot change it in place, so a new repo is refused with the way
 * to do it. Owned and no longer declared: disabled (DELETE), which destroys
 * the review apps that exist, so apply needs --allow-destroy.
 */
export function planReviewApps(s: ReviewAppsScope): Change | undefined {
  const d = s.pipeline;
  const r = d.reviewApps;
  const address = formatPipelineAddress(d.key, { reviewApps: true });
  const app = `pipeline.${d.key}`;
  const owned = s.inv?.reviewApps;
  if (!r && !owned) return undefined;
  const live = s.found ? s.live.reviewApps?.[s.found.id] : null;
  if (s.found && live === undefined) throw new Error(`${address}: the live reader did not read the review-app settings`);
  const loc = r?.loc ?? d.fieldLocs?.['review_apps'] ?? d.loc;
  const at = loc ? { loc } : {};

  if (!r) {
    if (!owned) return undefined;
    if (!live || !s.found) {
      return makeChange({
        address,
        app,
        kind: 'review-apps',
        action: 'delete',
        reason: 'no longer declared and already disabled outside dynoform: only removed from state (no request)',
        before: { repo: owned.repo },
        after: null,
        op: { type: 'state.forget' },
        ...at,
      });
    }
    const guard = listGuard(live.etag, () => reviewAppsGuard(live));
    return makeChange({
      address,
      app,
      kind: 'review-apps',
      action: 'delete',
      reason: `removed from the YAML: disables review apps of pipeline ${d.name}, which deletes the review apps that exist; apply needs --allow-destroy`,
      before: snapshot(owned.repo, liveSettings(live)),
      after: null,
      guard,
      requests: 1 + guardReads(guard),
      op: { type: 'review-apps.disable', pipelineId: s.found.id },
      ...at,
    });
  }

  const wanted = declaredSettings(r);
  if (!live) {
    return makeChange({
      address,
      app,
      kind: 'review-apps',
      action: 'create',
      before: null,
      after: snapshot(r.repo, wanted),
      // A POST takes the settings with it; none of them needs a second request.
      requests: 1,
      op: { type: 'review-apps.enable', ...(s.found ? { pipelineId: s.found.id } : {}), repo: r.repo, set: wanted },
      ...(owned ? { reason: 'was enabled by dynoform but is disabled now (outside dynoform): enabled again' } : {}),
      ...at,
    });
  }

  const current = liveSettings(live);
  const set: Record<string, unknown> = {};
  const items: ChangeItem[] = [];
  for (const f of FIELDS) {
    if (!(f.api in wanted) || same(wanted[f.api], current[f.api])) continue;
    set[f.api] = wanted[f.api];
    const fieldLoc = r.fieldLocs?.[f.api];
    items.push({ key: f.api, action: 'update', before: shown(current[f.api]), after: shown(wanted[f.api]), ...(fieldLoc ? { loc: fieldLoc } : {}) });
  }
  const before = snapshot(owned?.repo, current);
  const after = snapshot(r.repo, { ...current, ...set });
  const found = s.found!;

  if (owned && owned.repo !== r.repo) {
    return makeChange({
      address,
      app,
      kind: 'review-apps',
      action: 'replace-refused',
      reason: `review apps of pipeline ${d.name} come from ${owned.repo}; the API cannot change the repository in place. Remove review_apps: and apply with --allow-destroy (this deletes the review apps that exist), then declare it again with repo: ${r.repo}`,
      before,
      after,
      op: { type: 'none' },
      ...(r.fieldLocs?.['repo'] ? { loc: r.fieldLocs['repo'] } : at),
    });
  }

  const writes = Object.keys(set).length;
  if (owned && writes === 0) return undefined;
  const guard = writes > 0 ? listGuard(live.etag, () => reviewAppsGuard(live)) : {};
  return makeChange({
    address,
    app,
    kind: 'review-apps',
    action: owned ? 'update' : 'adopt',
    before,
    after,
    items,
    guard,
    requests: writes > 0 ? 1 + guardReads(guard) : 0,
    op: { type: owned ? 'review-apps.update' : 'review-apps.adopt', pipelineId: found.id, repo: r.repo, repoId: live.repoId, set: set as ReviewAppSettings, record: wanted },
    ...(owned
      ? {}
      : {
          reason: `review apps are enabled but not in state: dynoform takes ownership (the API names the repository by id only, so repo: ${r.repo} is recorded as declared)`,
        }),
    ...at,
  });
}
