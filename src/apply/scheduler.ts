import type { ChangeGraph, GraphNode } from './graph.js';

export type NodeOutcome = 'succeeded' | 'failed' | 'conflict' | 'skipped';

export interface SchedulerHooks {
  /** Runs one change; resolves to its outcome (it must not reject: failures are outcomes). */
  execute(node: GraphNode): Promise<Exclude<NodeOutcome, 'skipped'>>;
  /** A change that will not run, with the reason (blocked, failed dependency, interrupted…). */
  skip(node: GraphNode, reason: string): void;
  /** Reason to never run a change (not an executable action), or undefined. */
  refuse(node: GraphNode): string | undefined;
}

export interface SchedulerOptions {
  /** How many apps may have work in progress at once. */
  concurrency: number;
  /** When aborted, no new change starts; in-flight ones finish. */
  signal?: AbortSignal;
}

/**
 * Runs a change graph: a change starts once its ordering dependencies have
 * finished and its hard dependencies have succeeded; a failed hard
 * dependency skips it (and, in turn, its own dependents). At most
 * `concurrency` apps are open (started and not finished) at a time, so an
 * apply finishes apps rather than touching all of them a little; inside an
 * open app, independent changes run side by side. Every request still goes
 * through the one shared client, whose queue does the rate limiting.
 */
export async function runGraph(graph: ChangeGraph, hooks: SchedulerHooks, opts: SchedulerOptions): Promise<{ interrupted: boolean }> {
  const concurrency = Math.max(1, Math.floor(opts.concurrency));
  const outcome = new Map<string, NodeOutcome>();
  const pending: GraphNode[] = [];
  /** Apps with a change started and changes not finished yet. */
  const openApps = new Set<string>();
  const remainingPerApp = new Map<string, number>();
  let running = 0;

  for (const id of graph.order) {
    const node = graph.nodes.get(id)!;
    const refusal = graph.cyclic.has(id) ? 'dependency cycle in the plan' : hooks.refuse(node);
    if (refusal !== undefined) {
      outcome.set(id, 'skipped');
      hooks.skip(node, refusal);
    } else {
      pending.push(node);
      remainingPerApp.set(node.change.app, (remainingPerApp.get(node.change.app) ?? 0) + 1);
    }
  }

  const finished = (id: string): boolean => outcome.has(id);

  return await new Promise((resolve) => {
    let interrupted = false;
    let resolved = false;
    const onAbort = (): void => {
      interrupted = true;
      pump();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) interrupted = true;

    const settle = (node: GraphNode, result: NodeOutcome): void => {
      outcome.set(node.change.id, result);
      const app = node.change.app;
      const left = (remainingPerApp.get(app) ?? 1) - 1;
      remainingPerApp.set(app, left);
      if (left === 0) openApps.delete(app);
    };

    // pump() may be re-entered (an execute hook or an abort listener firing
    // inside it): the nested call only asks for one more pass.
    let pumping = false;
    let again = false;
    const pump = (): void => {
      if (pumping) {
        again = true;
        return;
      }
      pumping = true;
      try {
        do {
          again = false;
          pass();
        } while (again);
      } finally {
        pumping = false;
      }
    };

    const pass = (): void => {
      // Cascade skips first: they may unblock ordering elsewhere.
      let progressed = true;
      while (progressed) {
        progressed = false;
        for (let i = 0; i < pending.length; i++) {
          const node = pending[i]!;
          const failedDep = node.hard.find((d) => finished(d) && outcome.get(d) !== 'succeeded');
          if (failedDep === undefined) continue;
          pending.splice(i--, 1);
          const dep = graph.nodes.get(failedDep)!.change;
          settle(node, 'skipped');
          hooks.skip(node, `depends on ${dep.address} (${dep.action}), which ${describe(outcome.get(failedDep)!)}`);
          progressed = true;
        }
      }

      if (interrupted) {
        if (running === 0) {
          for (const node of pending.splice(0)) {
            settle(node, 'skipped');
            // A run stopped for a stated reason (e.g. the API refused the token) says so; Ctrl-C has none.
            const why = opts.signal?.reason;
            hooks.skip(node, typeof why === 'string' ? `not started: ${why}` : 'interrupted before it started');
          }
        }
      } else {
        const ready = pending.filter((n) => n.soft.every(finished));
        // Apps already open go first, so that started apps are finished first.
        ready.sort((a, b) => Number(openApps.has(b.change.app)) - Number(openApps.has(a.change.app)) || a.index - b.index);
        for (const node of ready) {
          if (interrupted) break;
          const app = node.change.app;
          // When nothing runs, opening one more app is the only way forward
          // (a cross-app dependency could otherwise wait forever on a full set of slots).
          if (!openApps.has(app) && openApps.size >= concurrency && running > 0) continue;
          pending.splice(pending.indexOf(node), 1);
          openApps.add(app);
          running++;
          void hooks.execute(node).then(
            (r) => done(node, r),
            () => done(node, 'failed'),
          );
        }
      }

      if (running === 0 && pending.length === 0 && !resolved) {
        resolved = true;
        opts.signal?.removeEventListener('abort', onAbort);
        resolve({ interrupted });
      }
    };

    const done = (node: GraphNode, r: NodeOutcome): void => {
      running--;
      settle(node, r);
      pump();
    };

    pump();
  });
}

function describe(o: NodeOutcome): string {
  switch (o) {
    case 'failed':
      return 'failed';
    case 'conflict':
      return 'changed since plan';
    case 'skipped':
      return 'was skipped';
    default:
      return 'succeeded';
  }
}
