import jsonpatch from 'fast-json-patch';
import type { PatchOp } from '../model/plan.js';

/**
 * JSON Patch (RFC 6902) between two masked snapshots. A missing side counts
 * as `{}` so that a create lists one `add` per field and a delete one
 * `remove` per field, which reads better than a whole-document replace.
 * The snapshots are masked before they get here: the patch can only ever
 * repeat what is already safe to show.
 */
export function diffMasked(before: Record<string, unknown> | null, after: Record<string, unknown> | null): PatchOp[] {
  const ops = jsonpatch.compare(before ?? {}, after ?? {});
  const out: PatchOp[] = [];
  for (const o of ops) {
    // compare() emits only add/remove/replace; the guard keeps the type honest.
    if (o.op === 'add' || o.op === 'replace') out.push({ op: o.op, path: o.path, value: o.value });
    else if (o.op === 'remove') out.push({ op: 'remove', path: o.path });
  }
  return out;
}
