/**
 * Reading the live state with a running account of it: before the first
 * read, what the reads will cost against the rate-limit budget (so a plan
 * that must wait says so up front), and while they run, how far they got.
 * Both are events; the views decide how to show them.
 */
import type { ClientEvent } from '../model/client.js';
import type { DesiredState } from '../model/desired.js';
import type { Inventory } from '../model/inventory.js';
import type { LiveState } from '../model/live.js';
import type { HerokuClient } from '../providers/heroku/client.js';
import { readLiveState, type ReadLiveOptions } from '../providers/heroku/live.js';
import { canonicalDynoSize } from '../config/index.js';
import type { ReadEstimateEvent, ReadProgressEvent } from './events.js';
import type { Resolved } from './options.js';

/** Reads besides the per-app ones: the free rate-limit read, the app, add-on and attachment lists (one page each). */
const ACCOUNT_READS = 4;
/** Per existing app: config vars, formation, domains, drains (more for the kinds it declares; one less when the state's record saves the config read). */
const READS_PER_APP = 4;
/** A rate-limit pause this recent means the reads are running at the refill rate. */
const PACED_FOR_MS = 5_000;

export interface ReadLiveArgs {
  client: HerokuClient;
  desired: DesiredState;
  inventory: Inventory | undefined;
  /** Subscribes to the client's events (from `connect`), so waits show in the progress. */
  listen?: (listener: (e: ClientEvent) => void) => () => void;
  apps?: string[];
  everyApp?: ReadLiveOptions['everyApp'];
  /** Config from the state's record instead of a read, where it holds (plan, drift, apply; not import). */
  configFromRecord?: ReadLiveOptions['configFromRecord'];
  /** How many of the apps have a record that may save their config read: the estimate counts them at one read less. */
  recorded?: number;
  signal?: AbortSignal;
}

export async function readLiveWithProgress(r: Resolved, args: ReadLiveArgs): Promise<LiveState> {
  const { client, desired } = args;
  const start = client.stats().requests;
  const apps = (args.apps ?? Object.keys(desired.apps)).filter((k) => desired.apps[k] !== undefined).length;
  // Before the app list is in: every declared app existing, and each app with a record
  // still at rest (its release is only known from the list).
  const needed = ACCOUNT_READS + READS_PER_APP * apps - Math.min(apps, args.configFromRecord ? (args.recorded ?? 0) : 0);

  // The rate-limit read is free; awaiting it costs one round trip and makes
  // the estimate (and the client's pacing from the first request) right.
  await client.refreshRateLimit(args.signal).catch(() => undefined);
  const estimate = (): ReadEstimateEvent => {
    const budget = client.budgetInfo();
    const etaMs = client.estimateMs(needed - 1); // the rate-limit read is free, and done
    return {
      type: 'read-estimate',
      requests: needed,
      apps,
      ...(budget.remaining !== undefined ? { remaining: budget.remaining } : {}),
      reserve: budget.reserve,
      refillPerHour: budget.observedRefillPerHour ?? budget.refillPerHour,
      etaMs,
      // The budget cannot hold the reads above the client's reserve: the plan will be paced.
      paced: budget.remaining !== undefined && needed > budget.remaining - budget.reserve,
    };
  };
  r.emit(estimate());

  let appsRead = 0;
  let appsTotal = apps;
  // Config reads the state's record saved: the total shrinks as they are known.
  let skipped = 0;
  const given = args.configFromRecord;
  const fromRecord: ReadLiveOptions['configFromRecord'] = given
    ? (key, app) => {
        const got = given(key, app);
        if ('config' in got) skipped += 1;
        return got;
      }
    : undefined;
  // The client is "paced" while its rate-limit pauses keep coming.
  let lastWaitAt = -Infinity;
  const progress = (): ReadProgressEvent => {
    const sent = client.stats().requests - start;
    const budget = client.budgetInfo();
    const total = Math.max(sent, ACCOUNT_READS + READS_PER_APP * appsTotal - skipped);
    const paced = Date.now() - lastWaitAt < PACED_FOR_MS;
    return {
      type: 'read-progress',
      appsRead,
      appsTotal,
      requests: sent,
      requestsTotal: total,
      ...(budget.remaining !== undefined ? { remaining: budget.remaining } : {}),
      ...(paced ? { pacedPerHour: budget.observedRefillPerHour ?? budget.refillPerHour } : {}),
      etaMs: client.estimateMs(total - sent),
    };
  };
  const unlisten = args.listen?.((e) => {
    if (e.type !== 'rate-limit-wait') return;
    lastWaitAt = Date.now();
    r.emit(progress());
  });
  try {
    const live = await readLiveState(client, desired, args.inventory, {
      primed: true,
      ...(args.apps ? { apps: args.apps } : {}),
      ...(args.everyApp ? { everyApp: args.everyApp } : {}),
      ...(fromRecord ? { configFromRecord: fromRecord } : {}),
      ...(args.signal ? { signal: args.signal } : {}),
      onApp: (_key, done, total) => {
        appsRead = done;
        appsTotal = total;
        r.emit(progress());
      },
    });
    return withCanonicalSizes(live);
  } finally {
    unlisten?.();
  }
}

/**
 * The API reports formation sizes as its dashboard prints them (`Basic`,
 * `Standard-1X`) and the Heroku CLI sends whatever case it was typed in;
 * plans and drift show Heroku's canonical names (`basic`, `standard-1X`),
 * as the YAML is normalised, so one size is never shown two ways.
 */
function withCanonicalSizes(live: LiveState): LiveState {
  for (const app of Object.values(live.apps)) {
    for (const f of app.formation) f.size = canonicalDynoSize(f.size) ?? f.size;
  }
  return live;
}
