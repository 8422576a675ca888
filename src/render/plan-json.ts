import type { Change, ChangeItem, Plan } from '../model/plan.js';
import type { Diagnostic } from '../model/diagnostic.js';

/** Version of the JSON document below (docs/plan-format.md); bumped only on incompatible changes. */
export const PLAN_JSON_FORMAT_VERSION = 1;

/**
 * The plan as stable, documented JSON for automation (docs/plan-format.md):
 * snake_case keys in a fixed order, object keys sorted, changes in plan
 * order (apps sorted, dependencies first). Values are the masked ones:
 * no secret, no fingerprint, no guard.
 */
export function renderPlanJson(plan: Plan): string {
  const s = plan.summary;
  const doc = {
    format_version: PLAN_JSON_FORMAT_VERSION,
    dynoform_version: plan.dynoformVersion,
    created_at: plan.createdAt,
    api_url: plan.apiUrl,
    state: { lineage: plan.lineage, serial: plan.serial },
    targets: plan.targets ? [...plan.targets].sort() : null,
    files: [...plan.files],
    changes: orderChanges(plan.changes).map(changeJson),
    summary: {
      create: s.create,
      update: s.update,
      delete: s.delete,
      adopt: s.adopt,
      forget: s.forget ?? 0,
      blocked: s.blocked,
      replace_refused: s.replaceRefused,
      waiting: s.waiting,
      releases: s.releases,
      requests: s.requests,
      rate_limit_remaining: s.rateLimitRemaining ?? null,
    },
    diagnostics: plan.diagnostics.map(diagnosticJson),
    // Config reads made and those the state's records saved (null: the plan's reader used no records).
    config_reads: plan.configReads
      ? { read: plan.configReads.read, skipped: plan.configReads.skipped, reasons: sortDeep({ ...plan.configReads.reasons }) }
      : null,
  };
  return JSON.stringify(doc, null, 2);
}

function orderChanges(changes: readonly Change[]): Change[] {
  // Stable sort by app: within an app the planner's order already puts dependencies first.
  return [...changes].sort((a, b) => (a.app < b.app ? -1 : a.app > b.app ? 1 : 0));
}

function changeJson(c: Change): Record<string, unknown> {
  return {
    id: c.id,
    address: c.address,
    app: c.app,
    kind: c.kind,
    action: c.action,
    forget: c.op.type === 'state.forget',
    reason: c.reason ?? null,
    before: sortDeep(c.before),
    after: sortDeep(c.after),
    patch: c.patch.map((p) => (p.op === 'remove' ? { op: p.op, path: p.path } : { op: p.op, path: p.path, value: sortDeep(p.value) })),
    items: (c.items ?? []).map(itemJson),
    dependencies: [...c.dependsOn],
    side_effects: { releases: c.sideEffects.releases },
    requests: c.requests,
    source: c.loc ? { file: c.loc.file, line: c.loc.line, col: c.loc.col } : null,
  };
}

function itemJson(i: ChangeItem): Record<string, unknown> {
  return {
    key: i.key,
    action: i.action,
    before: i.before ?? null,
    after: i.after ?? null,
    note: i.note ?? null,
    source: i.loc ? { file: i.loc.file, line: i.loc.line, col: i.loc.col } : null,
  };
}

function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    address: d.address ?? null,
    source: d.file ? { file: d.file, line: d.line ?? null, col: d.col ?? null } : null,
  };
}

function sortDeep<T>(v: T): T {
  if (Array.isArray(v)) return v.map(sortDeep) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortDeep((v as Record<string, unknown>)[k]);
    return out as T;
  }
  return v;
}
