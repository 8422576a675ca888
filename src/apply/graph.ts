import type { Change } from '../model/plan.js';

/**
 * The execution graph of a plan. Two kinds of edge:
 * - hard: the dependency must have SUCCEEDED, else the change is skipped
 *   (the planner's `dependsOn`, the app that must exist first, new add-ons
 *   and config that dynos need before they are scaled, add-ons that must be
 *   gone before their app is deleted);
 * - soft: ordering only: the dependency must have FINISHED, whatever its
 *   outcome (DESIGN.md §4 order within an app: app → add-ons → config →
 *   formation; domains, drains and the other leaves after the app alone;
 *   deletions in reverse).
 * Hard edges are also soft edges.
 */
export interface GraphNode {
  change: Change;
  /** Position in the plan: ties are broken by it so runs are reproducible. */
  index: number;
  hard: string[];
  soft: string[];
}

export interface ChangeGraph {
  nodes: Map<string, GraphNode>;
  /** Ids in plan order. */
  order: string[];
  /** Ids of changes caught in a dependency cycle: never executed. */
  cyclic: Set<string>;
}

/** Forward tiers (creates/updates) and reverse tiers (deletions) within one app. */
type Tier =
  | { chain: 'forward'; rank: 0 | 1 | 2 | 3 }
  | { chain: 'delete'; rank: 0 | 1 | 2 };

export function tierOf(change: Change): Tier {
  const isDelete = change.action === 'delete';
  switch (change.kind) {
    case 'app':
    case 'pipeline':
      return isDelete ? { chain: 'delete', rank: 2 } : { chain: 'forward', rank: 0 };
    case 'addon':
      return isDelete ? { chain: 'delete', rank: 1 } : { chain: 'forward', rank: 1 };
    case 'config':
      // A config patch both sets and unsets; its keys do not depend on other deletions.
      return { chain: 'forward', rank: 2 };
    default:
      return isDelete ? { chain: 'delete', rank: 0 } : { chain: 'forward', rank: 3 };
  }
}

/** Whether a change creates or takes over the app that its siblings act on. */
function establishesApp(c: Change): boolean {
  return c.kind === 'app' && (c.action === 'create' || c.action === 'adopt');
}

/** A new add-on: the app's dynos are declared with it, so they are not scaled before it exists. */
function createsAddon(c: Change): boolean {
  return c.kind === 'addon' && c.action === 'create';
}

/**
 * Whether forward change `c` runs after its app's earlier-tier change `d`.
 * Config waits for add-ons (it may name their vars) and formation for both
 * (dynos read them); the rest (domains, drains, features, buildpacks…)
 * need only the app, so they do not sit behind a slow add-on provisioning.
 */
function waitsFor(c: Change, d: Change): boolean {
  if (c.kind === 'formation' || c.kind === 'config' || c.kind === 'addon') return true;
  return d.kind === 'app' || d.kind === 'pipeline';
}

export function buildGraph(changes: readonly Change[]): ChangeGraph {
  const nodes = new Map<string, GraphNode>();
  const order: string[] = [];
  const byApp = new Map<string, Change[]>();
  changes.forEach((change, index) => {
    if (nodes.has(change.id)) throw new Error(`plan has two changes with id ${change.id}`);
    nodes.set(change.id, { change, index, hard: [], soft: [] });
    order.push(change.id);
    const list = byApp.get(change.app) ?? [];
    list.push(change);
    byApp.set(change.app, list);
  });

  const addEdge = (from: GraphNode, to: string, hard: boolean): void => {
    if (to === from.change.id || !nodes.has(to)) return;
    if (!from.soft.includes(to)) from.soft.push(to);
    if (hard && !from.hard.includes(to)) from.hard.push(to);
  };

  for (const node of nodes.values()) {
    // The planner's dependencies are semantic: they are all hard. An id
    // the plan does not contain (e.g. left out by --target) is satisfied.
    for (const dep of node.change.dependsOn) addEdge(node, dep, true);
  }

  for (const siblings of byApp.values()) {
    for (const c of siblings) {
      const node = nodes.get(c.id)!;
      const t = tierOf(c);
      for (const d of siblings) {
        if (d === c) continue;
        const u = tierOf(d);
        if (establishesApp(d) && !(c.kind === 'app')) addEdge(node, d.id, true);
        if (t.chain === 'forward' && u.chain === 'forward' && u.rank < t.rank && waitsFor(c, d)) {
          // Dynos are scaled only once the config and new add-ons they read are in place; an add-on's
          // plan change (the add-on exists either way) and everything else is ordering only.
          const hard = c.kind === 'formation' && (createsAddon(d) || d.kind === 'config');
          addEdge(node, d.id, hard);
        }
        if (t.chain === 'delete' && u.chain === 'delete' && u.rank < t.rank) {
          // An app is deleted only once its add-ons are really gone: a refused
          // add-on deletion must not be bypassed by deleting the app.
          addEdge(node, d.id, c.kind === 'app' && d.kind === 'addon');
        }
        // Deleting the app comes after everything else done to it.
        if (t.chain === 'delete' && t.rank === 2 && u.chain === 'forward') addEdge(node, d.id, false);
      }
    }
  }

  return { nodes, order, cyclic: findCycles(nodes, order) };
}

/** Nodes on or behind a cycle of soft edges (Tarjan would name the cycle; we only need to not deadlock). */
function findCycles(nodes: Map<string, GraphNode>, order: string[]): Set<string> {
  const state = new Map<string, 'visiting' | 'done'>();
  const cyclic = new Set<string>();
  const visit = (id: string, stack: string[]): boolean => {
    const s = state.get(id);
    if (s === 'done') return cyclic.has(id);
    if (s === 'visiting') {
      for (const x of stack.slice(stack.indexOf(id))) cyclic.add(x);
      return true;
    }
    state.set(id, 'visiting');
    stack.push(id);
    let bad = false;
    for (const dep of nodes.get(id)!.soft) if (visit(dep, stack)) bad = true;
    stack.pop();
    state.set(id, 'done');
    if (bad) cyclic.add(id);
    return bad;
  };
  for (const id of order) visit(id, []);
  return cyclic;
}
