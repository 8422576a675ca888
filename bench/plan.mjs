// Benchmark: `dynoform plan` wall time and requests for 50, 200 and 1,000
// apps at --latency 20, next to the ideal (requests ÷ concurrency × latency),
// then the CPU time of the pure diff (bench/plan-diff.mjs).
//
// Each size: build the apps at zero latency (setup, not timed) in an emulator
// that persists to a data file, adopt them once so that state exists, apply
// again (nothing to change: it records the configs it read), then restart
// the emulator at the measured latency and time a no-op `dynoform plan` as a
// user runs it (a child process, node start-up included), once with
// --refresh=full (4N+4 requests) and once at rest (3N+4). Prints figures;
// never fails on time.
//
//   npm run build && node bench/plan.mjs [--sizes 50,200,1000] [--latency 20]
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulator } from '../dist/emulator/index.js';
import { HerokuClient } from '../dist/providers/heroku/client.js';
import { createApp } from '../dist/providers/heroku/apps.js';
import { patchConfigVars } from '../dist/providers/heroku/config-vars.js';
import { createDomain } from '../dist/providers/heroku/domains.js';
import { createDrain } from '../dist/providers/heroku/drains.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '50,200,1000' },
    latency: { type: 'string', default: '20' },
  },
});
const SIZES = values.sizes.split(',').map(Number);
const LATENCY = Number(values.latency);
const CONCURRENCY = 10; // the client's default
const TOKEN = 'bench-token';
const UNLIMITED = { rateLimit: 10_000_000, refillPerHour: 10_000_000 };

function run(args, env, cwd) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(root, 'bin/dynoform.js'), ...args], { cwd, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, ms: performance.now() - t0 }));
  });
}

function yamlFor(names) {
  const lines = ['version: 1', 'apps:'];
  for (const [i, name] of names.entries()) {
    lines.push(
      `  ${name}:`,
      '    config:',
      '      RAILS_ENV: production',
      `      WEB_CONCURRENCY: "${1 + (i % 4)}"`,
      '    domains:',
      `      - www.${name}.example.com`,
      '    drains:',
      `      - https://logs.example.com/${name}`,
    );
  }
  return lines.join('\n') + '\n';
}

async function measure(size) {
  const dir = await mkdtemp(join(tmpdir(), 'dynoform-bench-plan-'));
  const dataFile = join(dir, 'emulator.json');
  try {
    const names = Array.from({ length: size }, (_, i) => `bench-${String(i).padStart(4, '0')}`);
    let emu = await startEmulator({ port: 0, ...UNLIMITED, apiKeys: [TOKEN], dataFile });
    const setup = new HerokuClient({ apiUrl: emu.url, token: TOKEN, concurrency: 32, bucketSize: 10_000_000, refillPerHour: 10_000_000 });
    await Promise.all(
      names.map(async (name, i) => {
        await createApp(setup, { name, region: 'us' });
        await patchConfigVars(setup, name, { RAILS_ENV: 'production', WEB_CONCURRENCY: String(1 + (i % 4)) });
        await createDomain(setup, name, { hostname: `www.${name}.example.com`, sniEndpoint: null });
        await createDrain(setup, name, `https://logs.example.com/${name}`);
      }),
    );
    setup.close();
    await writeFile(join(dir, 'dynoform.yaml'), yamlFor(names));
    let env = { HEROKU_API_URL: emu.url, HEROKU_API_KEY: TOKEN, NO_COLOR: '1' };
    const adopt = await run(['apply', '--auto-approve'], env, dir);
    if (adopt.code !== 0) throw new Error(`adopting ${size} apps failed:\n${adopt.out.slice(-2000)}`);
    // A no-op apply in a later second than the apps' last release records their configs: the plan at rest skips those reads.
    await new Promise((done) => setTimeout(done, 1000 - (Date.now() % 1000) + 20));
    const record = await run(['apply', '--auto-approve'], env, dir);
    if (record.code !== 0) throw new Error(`recording ${size} apps failed:\n${record.out.slice(-2000)}`);
    await emu.close();

    emu = await startEmulator({ port: 0, ...UNLIMITED, apiKeys: [TOKEN], dataFile, latencyMs: LATENCY });
    env = { ...env, HEROKU_API_URL: emu.url };
    const rows = [];
    for (const [mode, args, bound] of [
      ['full', ['--refresh=full'], 4 * size + 4],
      ['at rest', [], 3 * size + 4],
    ]) {
      emu.resetStats();
      const plan = await run(['plan', '--detailed-exitcode', ...args], env, dir);
      const stats = emu.stats();
      if (plan.code !== 0) throw new Error(`the no-op plan of ${size} apps was not empty (exit ${plan.code}):\n${plan.out.slice(-2000)}`);
      const requests = stats.requests;
      const ideal = (requests / CONCURRENCY) * LATENCY;
      rows.push({ size, mode, requests, bound, ms: plan.ms, spanMs: stats.lastResponseAt - stats.firstRequestAt, ideal });
    }
    await emu.close();
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

console.log(`dynoform plan (no-op), emulator latency ${LATENCY} ms, client concurrency ${CONCURRENCY}`);
console.log('apps  reads     requests       bound   wall ms   span ms   ideal ms   span/ideal');
for (const size of SIZES) {
  for (const r of await measure(size)) {
    console.log(
      `${String(r.size).padStart(4)}  ${r.mode.padEnd(8)}  ${String(r.requests).padStart(8)}  ${`(≤ ${r.bound})`.padStart(10)}  ${r.ms.toFixed(0).padStart(8)}  ${r.spanMs.toFixed(0).padStart(8)}  ${r.ideal.toFixed(0).padStart(9)}   ${(r.spanMs / r.ideal).toFixed(2).padStart(10)}`,
    );
  }
}
console.log('(full = --refresh=full, every config read: 4N+4; at rest = the configs apply recorded are not read again: 3N+4;');
console.log(' wall = the child process, node start-up included; span = first request to last answer, at the emulator;');
console.log(' ideal = requests ÷ concurrency × latency)');
console.log('');
await import('./plan-diff.mjs');
