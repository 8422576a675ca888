// Benchmark: applying one config change to 200 apps at --latency 20, next to the ideal.
//
// Setup (not timed, emulator at zero latency): the apply engine creates N
// apps with a few config vars, recorded in a file state. The emulator data is
// then reloaded into a second emulator that answers every request after
// --latency ms. For each apply concurrency (apps in progress at once) the
// bench changes one config value of every app, plans (not timed) and times
// the apply. It prints wall time, requests, the ideal (requests ÷ client
// concurrency × latency) and their ratio. Never fails on time.
//
//   npm run build && node bench/apply.mjs [--apps 200] [--latency 20] [--client-concurrency 10] [--apply-concurrency 4,10,32]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runApply } from '../dist/apply/index.js';
import { startEmulator } from '../dist/emulator/index.js';
import { createPlan } from '../dist/planner/index.js';
import { HerokuClient } from '../dist/providers/heroku/client.js';
import { readLiveState } from '../dist/providers/heroku/live.js';
import { createFileBackend } from '../dist/state/index.js';
import { newInventory } from '../dist/state/inventory.js';
import { createFingerprinter, saltForLineage } from '../dist/util/fingerprint.js';

const { values } = parseArgs({
  options: {
    apps: { type: 'string', default: '200' },
    latency: { type: 'string', default: '20' },
    'client-concurrency': { type: 'string', default: '10' },
    'apply-concurrency': { type: 'string', default: '4,10,32' },
  },
});
const APPS = Number(values.apps);
const LATENCY = Number(values.latency);
const CLIENT_CONCURRENCY = Number(values['client-concurrency']);
const APPLY_CONCURRENCY = values['apply-concurrency'].split(',').map(Number);
const TOKEN = 'bench-token';
const BUDGET = { bucketSize: 1_000_000, refillPerHour: 1_000_000 };

const dir = await mkdtemp(join(tmpdir(), 'dynoform-bench-apply-'));
const dataFile = join(dir, 'emulator.json');
const state = createFileBackend(join(dir, 'state.json'));

/** The declared state: N apps, each with RAILS_ENV, a per-app key, and RELEASE = the round's value. */
function desired(round) {
  const names = Array.from({ length: APPS }, (_, i) => `bench-apply-${String(i).padStart(4, '0')}`);
  const lit = (value) => ({ value, secret: false });
  return {
    files: [],
    apps: Object.fromEntries(
      names.map((name, i) => [
        name,
        {
          key: name,
          name,
          protect: true,
          config: { RAILS_ENV: lit('production'), SHARD: lit(String(i % 8)), RELEASE: lit(`r${round}`) },
          configMode: 'merge',
          addons: {},
          formation: {},
          domains: [],
          drains: [],
        },
      ]),
    ),
  };
}

async function planAndApply(client, round, applyConcurrency) {
  const d = desired(round);
  const lock = await state.lock({ who: 'bench', operation: 'apply' });
  try {
    const inventory = lock.current ?? newInventory();
    const fingerprint = createFingerprinter(saltForLineage(inventory.lineage));
    const live = await readLiveState(client, d, inventory);
    const plan = createPlan({
      desired: d,
      live,
      inventory,
      fingerprint: (v, s) => fingerprint.sync(v, s),
      options: { apiUrl: client.apiUrl.href, dynoformVersion: 'bench', now: new Date().toISOString() },
    });
    const t0 = performance.now();
    const result = await runApply(plan, { client, desired: d, inventory, lock, fingerprint, options: { allowDestroy: false, concurrency: applyConcurrency } });
    return { plan, result, wallMs: performance.now() - t0 };
  } finally {
    await lock.release();
  }
}

try {
  {
    const init = await state.lock({ who: 'bench', operation: 'init' });
    await init.write(newInventory());
    await init.release();
  }
  // Setup at zero latency, through the engine itself.
  const fast = await startEmulator({ latencyMs: 0, rateLimit: 1_000_000, refillPerHour: 1_000_000, apiKeys: [TOKEN], dataFile });
  const setupClient = new HerokuClient({ apiUrl: fast.url, token: TOKEN, concurrency: 20, ...BUDGET });
  const setup = await planAndApply(setupClient, 0, 20);
  setupClient.close();
  await fast.close();
  if (setup.result.failed.length > 0) throw new Error(`setup failed: ${JSON.stringify(setup.result.failed.slice(0, 3))}`);

  const emu = await startEmulator({ latencyMs: LATENCY, jitter: 0, rateLimit: 1_000_000, refillPerHour: 1_000_000, apiKeys: [TOKEN], dataFile });
  try {
    console.log(`apply bench: one config change on each of ${APPS} apps at latency ${LATENCY} ms, client concurrency ${CLIENT_CONCURRENCY}`);
    console.log('  apply-conc  changes  requests  planned  releases   wall ms  ideal ms  ratio');
    let round = 1;
    for (const applyConcurrency of APPLY_CONCURRENCY) {
      const client = new HerokuClient({ apiUrl: emu.url, token: TOKEN, concurrency: CLIENT_CONCURRENCY, ...BUDGET });
      const { plan, result, wallMs } = await planAndApply(client, round++, applyConcurrency);
      client.close();
      if (result.failed.length > 0) console.log(`  (${result.failed.length} failed: ${result.failed[0].message})`);
      const idealMs = (result.requests / CLIENT_CONCURRENCY) * LATENCY;
      console.log(
        `  ${String(applyConcurrency).padStart(10)}  ${String(result.succeeded.length).padStart(7)}  ${String(result.requests).padStart(8)}  ${String(plan.summary.requests).padStart(7)}  ${String(result.releases).padStart(8)}  ${wallMs.toFixed(0).padStart(8)}  ${idealMs.toFixed(0).padStart(8)}  ${(wallMs / idealMs).toFixed(2).padStart(5)}`,
      );
    }
    console.log('  ideal = requests ÷ client concurrency × latency; ratio = wall ÷ ideal.');
    console.log('  Apply concurrency bounds the apps in progress; below the client concurrency it, not the client, is the limit.');
  } finally {
    await emu.close();
  }
} finally {
  await state.close();
  await rm(dir, { recursive: true, force: true });
}
