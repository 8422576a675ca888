// Benchmark: how close the client's live read comes to the ideal under latency.
//
// Starts the emulator at --latency 20 (in its own process by default, as the
// real API is on another machine), creates 200 apps with config vars, a
// domain and a drain through the client (setup, not timed), then times
// readLiveState for all of them. Prints requests made, wall time, the ideal
// (requests ÷ concurrency × latency) and their ratio. Never fails on time.
//
//   npm run build && node bench/client.mjs [--apps 200] [--latency 20] [--concurrency 10] [--rounds 3] [--in-process]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
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
    rounds: { type: 'string', default: '3' },
    'in-process': { type: 'boolean', default: false },
  },
});
const APPS = Number(values.apps);
const LATENCY = Number(values.latency);
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Number(values.rounds);
const TOKEN = 'bench-token-3f9a1c';
// jitter 0: the ideal below assumes every request takes exactly LATENCY.
const EMU_OPTS = { port: 0, latencyMs: LATENCY, jitter: 0, rateLimit: 1_000_000, refillPerHour: 1_000_000, apiKeys: [TOKEN] };

async function startEmulatorSomewhere() {
  if (values['in-process']) {
    const { startEmulator } = await import('../dist/emulator/index.js');
    const emu = await startEmulator(EMU_OPTS);
    return { url: emu.url, close: () => emu.close() };
  }
  const script = `
    const { startEmulator } = await import(${JSON.stringify(new URL('../dist/emulator/index.js', import.meta.url).href)});
    const emu = await startEmulator(${JSON.stringify(EMU_OPTS)});
    process.stdout.write(emu.url + '\\n');
    process.stdin.on('end', () => emu.close().then(() => process.exit(0)));
    process.stdin.resume();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [chunk] = await once(child.stdout, 'data');
  return {
    url: String(chunk).trim(),
    close: async () => {
      child.stdin.end();
      await once(child, 'exit');
    },
  };
}

const emu = await startEmulatorSomewhere();
try {
  // Setup is not what is measured: a wide client gets it done quickly.
  const setup = new HerokuClient({ apiUrl: emu.url, token: TOKEN, concurrency: 50, bucketSize: 1_000_000, refillPerHour: 1_000_000 });
  const s0 = performance.now();
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
  console.log(
    `setup: ${APPS} apps with config, a domain and a drain in ${((performance.now() - s0) / 1000).toFixed(1)} s (not timed below); ` +
      `emulator ${values['in-process'] ? 'in this process' : 'in its own process'}`,
  );

  const desired = {
    files: [],
    apps: Object.fromEntries(
      names.map((name) => [name, { key: name, name, protect: true, config: {}, configMode: 'merge', addons: {}, formation: {}, domains: [], drains: [] }]),
    ),
  };
  console.log(`readLiveState of ${APPS} apps at latency ${LATENCY} ms, concurrency ${CONCURRENCY}:`);
  console.log('round  apps  requests  wall ms  ideal ms  ratio');
  const ratios = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // A fresh client each round: cold sockets, as a real `dynoform plan` starts.
    const client = new HerokuClient({ apiUrl: emu.url, token: TOKEN, concurrency: CONCURRENCY, bucketSize: 1_000_000, refillPerHour: 1_000_000 });
    const t0 = performance.now();
    const live = await readLiveState(client, desired, undefined);
    const wallMs = performance.now() - t0;
    client.close();
    const idealMs = (live.requests / CONCURRENCY) * LATENCY;
    ratios.push(wallMs / idealMs);
    console.log(
      `${String(round).padStart(5)}  ${String(Object.keys(live.apps).length).padStart(4)}  ${String(live.requests).padStart(8)}  ` +
        `${wallMs.toFixed(0).padStart(7)}  ${idealMs.toFixed(0).padStart(8)}  ${(wallMs / idealMs).toFixed(2).padStart(5)}`,
    );
  }
  ratios.sort((a, b) => a - b);
  console.log(`requests = 4N + 4 = ${4 * APPS + 4}; ideal = requests ÷ concurrency × latency; median ratio ${ratios[Math.floor(ratios.length / 2)].toFixed(2)}`);
} finally {
  await emu.close();
}
