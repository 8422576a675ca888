import type { Change, Plan } from '../model/plan.js';

/**
 * Compares a saved plan with the plan re-derived at apply from the YAML and
 * the live state: apply of a saved plan writes only when the two agree on
 * every change, so an edited plan file (even one whose checksum was
 * recomputed) cannot write what the YAML does not say.
 *
 * Two things are left out of the comparison because they are salted afresh
 * by every plan and are checked elsewhere: the fingerprint of a secret value
 * (preflight checks the saved one against the value re-resolved from the
 * environment) and a no-ETag guard (re-checked against a fresh read right
 * before the write). ETags are compared: an object that moved since the
 * plan is refused here, before any write, rather than by a 412 halfway.
 */
export interface PlanDifference {
  /** The address of the first change that differs. */
  address: string;
  /** The differing field, as a dotted path into the change (`op.set.A.value`), or `change` when one side lacks the change. */
  field: string;
  /** Short JSON of each side; neither holds a secret (plans hold fingerprints only). */
  saved: string;
  now: string;
}

export function firstPlanDifference(saved: Plan, fresh: Plan): PlanDifference | undefined {
  const freshById = new Map(fresh.changes.map((c) => [c.id, c]));
  const savedIds = new Set(saved.changes.map((c) => c.id));
  for (const s of saved.changes) {
    const f = freshById.get(s.id);
    if (!f) return { address: s.address, field: 'change', saved: `${s.action} (${s.op.type})`, now: 'no such change' };
    const at = firstDifferentPath(comparable(s), comparable(f), '');
    if (at) return { address: s.address, field: at.path, saved: short(at.a), now: short(at.b) };
  }
  for (const f of fresh.changes) {
    if (!savedIds.has(f.id)) return { address: f.address, field: 'change', saved: 'no such change', now: `${f.action} (${f.op.type})` };
  }
  return undefined;
}

/** The change without what is salted afresh by every plan (see above). */
function comparable(change: Change): unknown {
  const { guard, ...rest } = change;
  return { ...(withoutSecretFingerprints(rest) as Record<string, unknown>), guard: guard.etag !== undefined ? { etag: guard.etag } : {} };
}

function withoutSecretFingerprints(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecretFingerprints);
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  // A PlanValue of kind secret: its envRefs say which variables it is built from, its fingerprint is salted.
  const isSecret = o.kind === 'secret' && typeof o.fingerprint === 'string';
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && !(isSecret && k === 'fingerprint')).map(([k, v]) => [k, withoutSecretFingerprints(v)]));
}

function firstDifferentPath(a: unknown, b: unknown, path: string): { path: string; a: unknown; b: unknown } | undefined {
  if (Object.is(a, b)) return undefined;
  const bothArrays = Array.isArray(a) && Array.isArray(b);
  const bothObjects = !bothArrays && isPlainObject(a) && isPlainObject(b);
  if (!bothArrays && !bothObjects) return { path: path || '(the change)', a, b };
  const keys = bothArrays
    ? Array.from({ length: Math.max((a as unknown[]).length, (b as unknown[]).length) }, (_, i) => String(i))
    : [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
  for (const k of keys) {
    const av = (a as Record<string, unknown>)[k];
    const bv = (b as Record<string, unknown>)[k];
    const sub = bothArrays ? `${path}[${k}]` : path === '' ? k : `${path}.${k}`;
    const d = firstDifferentPath(av, bv, sub);
    if (d) return d;
  }
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function short(v: unknown): string {
  if (v === undefined) return '(absent)';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
