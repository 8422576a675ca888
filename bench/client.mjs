// Benchmark: how close the client's live read comes to the ideal under latency.
//
// Starts the emulator at --latency 20, creates 200 apps with config vars,
// domains and drains through the client (setup, not timed), then times
// readLiveState for all of them. Prints requests made, wall time, the ideal
// (requests ÷ concurrency × latency) and their ratio. Never fails on time.
//
//   npm run build && node bench/client.mjs [--apps 200] [--latency 20] [--concurrency 10]
import { parseArgs } from 'node:util';
import { startEmulator } from '../dist/emulator/index.js';
import { HerokuClient } from '../dist/providers/heroku/client.js';
import { createApp } from '../dist/providers/heroku/apps.js';
import { patchConfigVars } from '../dist/providers/heroku/config-vars.js';
import { createDomain } from '../dist/providers/heroku/domains.js';
import { createDrain } from '../dist/providers/heroku/drains.js';
import { readLiveState } from '../dist/providers/heroku/live.js';

const { values } = parseArgs({
  options: {
    apps: { type: 'string', default: '200' },
    latency: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '10' },
  },
});
const APPS = Number(values.apps);
const LATENCY = Number(values.latency);
const CONCURRENCY = Number(values.concurrency);
const TOKEN = 'bench-token';

const emu = await startEmulator({ port: 0, latencyMs: 0, rateLimit: 1_000_000, refillPerHour: 1_000_000, apiKeys: [TOKEN] });
try {
  // Setup at zero latency: it is not what is measured.
  const setup = new HerokuClient({ apiUrl: emu.url, token: TOKEN, concurrency: 20, bucketSize: 1_000_000, refillPerHour: 1_000_000 });
  const names = Array.from({ length: APPS }, (_, i) => `bench-${String(i).padStart(4, '0')}`);
  await Promise.all(
    names.map(async (name, i) => {
      await createApp(setup, { name, region: 'us' });
      await patchConfigVars(setup, name, { RAILS_ENV: 'production', WEB_CONCURRENCY: String(1 + (i % 4)), FEATURE_X: 'on' });
      await createDomain(setup, name, { hostname: `www.${name}.example.com`, sniEndpoint: null });
      await createDrain(setup, name, `https://logs.example.com/${name}`);
    }),
  );
  setup.close();

  emu.setLatency?.(LATENCY);
  const desired = {
    files: [],
    apps: Object.fromEntries(
      names.map((name) => [
        name,
        { key: name, name, protect: true, config: {}, configMode: 'merge', addons: {}, formation: {}, domains: [], drains: [] },
      ]),
    ),
  };
  const client = new HerokuClient({ apiUrl: emu.url, token: TOKEN, concurrency: CONCURRENCY, bucketSize: 1_000_000, refillPerHour: 1_000_000 });
  const t0 = performance.now();
  const live = await readLiveState(client, desired, undefined);
  const wallMs = performance.now() - t0;
  client.close();

  const read = Object.keys(live.apps).length;
  const requests = live.requests;
  const idealMs = (requests / CONCURRENCY) * LATENCY;
  console.log(`client bench: readLiveState of ${read}/${APPS} apps at latency ${LATENCY} ms, concurrency ${CONCURRENCY}`);
  console.log(`  requests   ${requests}  (4N + 4 = ${4 * APPS + 4})`);
  console.log(`  wall       ${wallMs.toFixed(0)} ms`);
  console.log(`  ideal      ${idealMs.toFixed(0)} ms  (requests ÷ concurrency × latency)`);
  console.log(`  ratio      ${(wallMs / idealMs).toFixed(2)}  (wall ÷ ideal)`);
} finally {
  await emu.close();
}
