import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPlanJson } from '../../../src/render/index.js';
import { richPlan } from './scenario.js';

function keysOf(v: unknown, out = new Set<string>(), skip = false): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => keysOf(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (!skip) out.add(k);
      // Keys inside snapshots are the user's config keys and process types, not format keys.
      keysOf(x, out, skip || k === 'before' || k === 'after' || k === 'value');
    }
  }
  return out;
}

describe('renderPlanJson', () => {
  it('is the documented, versioned, snake_case document', () => {
    const doc = JSON.parse(renderPlanJson(richPlan()));
    expect(Object.keys(doc)).toEqual(['format_version', 'dynoform_version', 'created_at', 'api_url', 'state', 'targets', 'files', 'changes', 'summary', 'diagnostics', 'config_reads']);
    expect(doc.format_version).toBe(1);
    expect(doc.summary).toEqual({
      create: 3, update: 3, delete: 1, adopt: 1, forget: 0, blocked: 1, replace_refused: 1, waiting: 1, releases: 3, requests: 9, rate_limit_remaining: 1180,
    });
    const config = doc.changes.find((c: { address: string }) => c.address === 'app.shop/config');
    expect(Object.keys(config)).toEqual(['id', 'address', 'app', 'kind', 'action', 'forget', 'reason', 'before', 'after', 'patch', 'items', 'dependencies', 'side_effects', 'requests', 'source']);
    expect(config.side_effects).toEqual({ releases: 1 });
    // Config needs only the app (updated here): the add-on before it is ordering, not a dependency (issue 15).
    expect(config.dependencies).toEqual(['app.shop']);
  });

  it('documents every key it emits (docs/plan-format.md)', () => {
    const docs = readFileSync(resolve(import.meta.dirname, '../../../docs/plan-format.md'), 'utf8');
    const missing = [...keysOf(JSON.parse(renderPlanJson(richPlan())))].filter((k) => !docs.includes('`' + k + '`') && !docs.includes(`"${k}"`));
    expect(missing).toEqual([]);
  });

  it('is stable: the same plan renders byte-identically whatever the order of its changes', () => {
    const a = richPlan();
    const b = structuredClone(a);
    b.changes.reverse();
    // Reversal flips the order within an app too; restore it per app to model "same plan, different grouping".
    const order = new Map(a.changes.map((c, i) => [c.id, i]));
    b.changes.sort((x, y) => (x.app === y.app ? order.get(x.id)! - order.get(y.id)! : 0));
    expect(renderPlanJson(b)).toBe(renderPlanJson(a));
  });

  it('carries neither ops, guards nor fingerprints', () => {
    const text = renderPlanJson(richPlan());
    expect(text).not.toMatch(/fingerprint|scrypt:|"op":\s*\{|guard|etag/i);
  });
});
