import { describe, expect, it } from 'vitest';
import { buildGraph, type GraphNode } from '../../../src/apply/graph.js';
import { runGraph, type NodeOutcome } from '../../../src/apply/scheduler.js';
import type { Change } from '../../../src/model/plan.js';
import { change } from './fixtures.js';

function cfg(app: string, extra: Partial<Change> = {}): Change {
  return change(app, 'config', 'update', { type: 'config.patch', set: {}, unset: ['X'], own: {} }, extra);
}

/** Runs a graph with controllable executions; records starts, skips and peak concurrency. */
function harness(changes: Change[], outcomes: Record<string, Exclude<NodeOutcome, 'skipped'>> = {}, opts: { concurrency?: number; refuse?: (n: GraphNode) => string | undefined; signal?: AbortSignal; onStart?: (id: string) => void } = {}) {
  const started: string[] = [];
  const skipped: Record<string, string> = {};
  const openApps = new Set<string>();
  const runningPerApp = new Map<string, number>();
  let peakApps = 0;
  const graph = buildGraph(changes);
  const run = runGraph(
    graph,
    {
      execute: async (node) => {
        const app = node.change.app;
        started.push(node.change.id);
        runningPerApp.set(app, (runningPerApp.get(app) ?? 0) + 1);
        openApps.add(app);
        peakApps = Math.max(peakApps, openApps.size);
        opts.onStart?.(node.change.id);
        await new Promise((r) => setTimeout(r, 2));
        const left = runningPerApp.get(app)! - 1;
        runningPerApp.set(app, left);
        if (left === 0) openApps.delete(app);
        return outcomes[node.change.id] ?? 'succeeded';
      },
      skip: (node, reason) => {
        skipped[node.change.id] = reason;
      },
      refuse: opts.refuse ?? (() => undefined),
    },
    { concurrency: opts.concurrency ?? 4, ...(opts.signal ? { signal: opts.signal } : {}) },
  );
  return { run, started, skipped, peak: () => peakApps };
}

describe('runGraph', () => {
  it('runs within an app in order and skips the dependents of a failure, not independent changes', async () => {
    const app = change('shop', 'app', 'create', { type: 'app.create', name: 'shop' });
    const addon = change('shop', 'addon', 'create', { type: 'addon.create', plan: 'p:x' }, { key: 'db' });
    const config = cfg('shop');
    const formation = change('shop', 'formation', 'update', { type: 'formation.batch', updates: [] });
    const domain = change('shop', 'domain', 'create', { type: 'domain.create', hostname: 'a.io', sniEndpoint: null }, { key: 'a.io' });
    const other = cfg('web');
    const h = harness([formation, domain, config, addon, app, other], { [addon.id]: 'failed' });
    const r = await h.run;
    expect(r.interrupted).toBe(false);
    expect(h.started.indexOf(app.id)).toBeLessThan(h.started.indexOf(addon.id));
    expect(h.started.indexOf(addon.id)).toBeLessThan(h.started.indexOf(config.id));
    expect(h.started).toContain(domain.id);
    expect(h.started).toContain(other.id);
    expect(h.started).not.toContain(formation.id);
    expect(h.skipped[formation.id]).toBe('depends on app.shop/addon.db (create), which failed');
  });

  it('cascades skips through a chain and says "changed since plan" for a conflict', async () => {
    const a = cfg('a');
    const b = cfg('b', { dependsOn: [a.id] });
    const c = cfg('c', { dependsOn: [b.id] });
    const h = harness([a, b, c], { [a.id]: 'conflict' });
    await h.run;
    expect(h.started).toEqual([a.id]);
    expect(h.skipped[b.id]).toMatch(/changed since plan/);
    expect(h.skipped[c.id]).toMatch(/app\.b\/config .*was skipped/);
  });

  it('never has more than `concurrency` apps open', async () => {
    const changes = Array.from({ length: 12 }, (_, i) => cfg(`app${i}`));
    const h = harness(changes, {}, { concurrency: 3 });
    await h.run;
    expect(h.started).toHaveLength(12);
    expect(h.peak()).toBe(3);
  });

  it('refused changes are reported skipped and count as not succeeded for dependents', async () => {
    const blocked = change('old', 'app', 'blocked', { type: 'none' });
    const dep = cfg('x', { dependsOn: [blocked.id] });
    const h = harness([blocked, dep], {}, { refuse: (n) => (n.change.action === 'blocked' ? 'blocked: protected' : undefined) });
    await h.run;
    expect(h.started).toEqual([]);
    expect(h.skipped[blocked.id]).toBe('blocked: protected');
    expect(h.skipped[dep.id]).toMatch(/depends on app\.old/);
  });

  it('on abort starts nothing new, lets in-flight work finish, and skips the rest as interrupted', async () => {
    const ac = new AbortController();
    const changes = Array.from({ length: 10 }, (_, i) => cfg(`app${i}`));
    const h = harness(changes, {}, { concurrency: 5, signal: ac.signal, onStart: (id) => id === 'app.app1/config' && ac.abort() });
    const r = await h.run;
    expect(r.interrupted).toBe(true);
    expect(h.started).toEqual(['app.app0/config', 'app.app1/config']);
    expect(Object.keys(h.skipped)).toHaveLength(8);
    expect(Object.values(h.skipped).every((s) => s === 'interrupted before it started')).toBe(true);
  });

  it('opens an extra app rather than deadlock when open apps wait on an unopened one', async () => {
    // a and b (opened first by plan order) each wait on c; concurrency 1.
    const c = cfg('c');
    const a1 = change('a', 'app', 'update', { type: 'app.update', appId: 'a' });
    const a2 = cfg('a', { dependsOn: [c.id] });
    const h = harness([a1, a2, c], {}, { concurrency: 1 });
    await h.run;
    expect(h.started).toEqual([a1.id, c.id, a2.id]);
  });
});
