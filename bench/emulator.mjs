#!/usr/bin/env node
// Requests per second the emulator serves, measured with a keep-alive Node
// client in this process and the emulator in a child process (so each gets
// a core), latency 0 and an effectively unlimited rate limit:
//
// 1. GET /apps/{app}/config-vars at 8, 32 and 64 in flight (one socket per
//    request in flight: the sockets opened are counted and printed);
// 2. PATCH /apps/{app}/config-vars over 10,000 apps, in memory and with
//    --data, side by side: persistence must not be what this measures.
//
// Prints figures and ratios (to the 5,000/s aim, --data to in-memory);
// never fails on time. Needs `npm run build` first (imports dist/).
// BENCH_APPS overrides the 10,000.
import { fork } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const AIM = 5000;
const V3 = 'application/vnd.heroku+json; version=3';

const APPS = Number(process.env.BENCH_APPS ?? 10_000);
/** Sockets the client actually opened (what "in flight" can be at most). */
const sockets = new WeakSet();
let socketCount = 0;


function request(agent, url, method, path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url + path,
      {
        agent,
        method,
        headers: { Accept: V3, Authorization: 'Bearer bench', ...(body ? { 'Content-Type': 'application/json' } : {}) },
      },
      (res) => {
        let size = 0;
        res.on('data', (c) => (size += c.length));
        res.on('end', () => resolve({ status: res.statusCode, size }));
      },
    );
    req.on('socket', (sock) => {
      if (!sockets.has(sock)) {
        sockets.add(sock);
        socketCount++;
      }
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** `total` requests, `concurrency` at a time; `make(i)` gives [method, path, body]. */
async function run(agent, url, make, total, concurrency) {
  const latencies = new Float64Array(total);
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const [method, path, body] = make(i);
        const t0 = performance.now();
        const res = await request(agent, url, method, path, body);
        latencies[i] = performance.now() - t0;
        if (res.status !== 200 && res.status !== 201) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return { total, seconds, rps: total / seconds, p50: pct(50), p99: pct(99), errors };
}

function serve(dataFile) {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', ...(dataFile ? [dataFile] : [])], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve) => child.once('message', ({ url }) => resolve({ child, url })));
}

async function stop(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('stop');
  await exited;
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const line = (r) => `${r.total} requests in ${r.seconds.toFixed(2)} s = ${fmt(r.rps)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  errors: ${r.errors}`;

async function main() {
  await readBench();
  await writeBench();
}

async function readBench() {
  const { child, url } = await serve();
  try {
    const setup = new http.Agent({ keepAlive: true, maxSockets: 1 });
    await request(setup, url, 'POST', '/apps', JSON.stringify({ name: 'bench-app' }));
    const vars = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`VAR_${i}`, `value-${i}-${'x'.repeat(30)}`]));
    await request(setup, url, 'PATCH', '/apps/bench-app/config-vars', JSON.stringify(vars));
    setup.destroy();

    const path = '/apps/bench-app/config-vars';
    const get = () => ['GET', path];
    console.log(`emulator: GET ${path} (20 vars), keep-alive client, one socket per request in flight, latency 0`);
    const results = [];
    for (const concurrency of [8, 32, 64]) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
      socketCount = 0;
      await run(agent, url, get, 3000, concurrency); // warm-up: JIT, sockets
      const r = await run(agent, url, get, 30_000, concurrency);
      results.push(r);
      console.log(`  ${String(concurrency).padStart(2)} in flight on ${String(socketCount).padStart(2)} sockets: ${line(r)}`);
      agent.destroy();
    }
    const best = Math.max(...results.map((r) => r.rps));
    console.log(`  best: ${fmt(best)} req/s = ${(best / AIM).toFixed(2)}× the ${AIM.toLocaleString('en-US')}/s aim`);
    child.send('stats');
    const { stats } = await new Promise((resolve) => child.once('message', resolve));
    console.log(`  emulator counted ${stats.requests.toLocaleString('en-US')} requests (${JSON.stringify(stats.byStatus)})`);
  } finally {
    await stop(child);
  }
}

/** 10,000 apps with 20 config vars each, then PATCHes spread over them; the same with --data. */
async function writeBench() {
  const dir = await mkdtemp(join(tmpdir(), 'emu-bench-'));
  const concurrency = 32;
  const total = 20_000;
  console.log(`emulator: PATCH /apps/{app}/config-vars over ${APPS.toLocaleString('en-US')} apps (20 vars each), ${concurrency} in flight, in memory vs --data`);
  const rows = [];
  try {
    for (const mode of ['in memory', '--data']) {
      const dataFile = mode === '--data' ? join(dir, 'emulator.json') : undefined;
      const { child, url } = await serve(dataFile);
      const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
      try {
        const vars = JSON.stringify(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`VAR_${i}`, `value-${i}-${'x'.repeat(30)}`])));
        await run(agent, url, (i) => ['POST', '/apps', JSON.stringify({ name: `bench-${i}` })], APPS, concurrency);
        await run(agent, url, (i) => ['PATCH', `/apps/bench-${i}/config-vars`, vars], APPS, concurrency);
        // Spread over the apps in a fixed stride, so both modes write the same records.
        const patch = (i) => ['PATCH', `/apps/bench-${(i * 7919) % APPS}/config-vars`, JSON.stringify({ COUNTER: String(i) })];
        await run(agent, url, patch, 2000, concurrency); // warm-up
        const r = await run(agent, url, patch, total, concurrency);
        let size = '';
        if (dataFile) {
          const files = (await readdir(dir)).filter((n) => n.startsWith('emulator.json'));
          const bytes = (await Promise.all(files.map((n) => stat(join(dir, n))))).reduce((a, s) => a + s.size, 0);
          size = `  (on disk while running: ${(bytes / 1e6).toFixed(1)} MB in ${files.length} files)`;
        }
        rows.push({ mode, r });
        console.log(`  ${mode.padEnd(9)}: ${line(r)}${size}`);
      } finally {
        agent.destroy();
        await stop(child);
      }
    }
    const [mem, data] = rows;
    console.log(`  --data / in memory: ${(data.r.rps / mem.r.rps).toFixed(2)} (aim: at least 0.80)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') {
  const { startEmulator } = await import('../dist/emulator/index.js');
  const dataFile = process.argv[3];
  const emu = await startEmulator({ rateLimit: 1_000_000_000, refillPerHour: 1_000_000_000, ...(dataFile ? { dataFile } : {}) });
  process.send?.({ url: emu.url });
  // If the bench dies, so does its emulator.
  process.on('disconnect', () => process.exit(1));
  process.on('message', async (m) => {
    if (m === 'stats') process.send?.({ stats: emu.stats() });
    if (m === 'stop') {
      await emu.close();
      process.exit(0);
    }
  });
} else {
  await main();
}
