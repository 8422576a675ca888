#!/usr/bin/env node
// Requests per second the emulator serves for GET /apps/{app}/config-vars,
// measured with a keep-alive Node client in this process and the emulator in
// a child process (so each gets a core), latency 0 and an effectively
// unlimited rate limit. Prints figures and the ratio to the 5,000/s aim;
// never fails on time. Needs `npm run build` first (imports dist/).
import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const AIM = 5000;
const V3 = 'application/vnd.heroku+json; version=3';

if (process.argv[2] === '--serve') {
  const { startEmulator } = await import('../dist/emulator/index.js');
  const emu = await startEmulator({ rateLimit: 1_000_000_000, refillPerHour: 1_000_000_000 });
  process.send?.({ url: emu.url });
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
    req.on('error', reject);
    req.end(body);
  });
}

async function run(agent, url, path, total, concurrency) {
  const latencies = new Float64Array(total);
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        const res = await request(agent, url, 'GET', path);
        latencies[i] = performance.now() - t0;
        if (res.status !== 200) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return { total, seconds, rps: total / seconds, p50: pct(50), p99: pct(99), errors };
}

async function main() {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { url } = await new Promise((resolve) => child.once('message', resolve));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  try {
    await request(agent, url, 'POST', '/apps', JSON.stringify({ name: 'bench-app' }));
    const vars = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`VAR_${i}`, `value-${i}-${'x'.repeat(30)}`]));
    await new Promise((resolve, reject) => {
      const req = http.request(url + '/apps/bench-app/config-vars', { agent, method: 'PATCH', headers: { Accept: V3, Authorization: 'Bearer bench', 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(JSON.stringify(vars));
    });

    const path = '/apps/bench-app/config-vars';
    await run(agent, url, path, 3000, 32); // warm-up: JIT, sockets
    console.log(`emulator: GET ${path} (20 vars), keep-alive client, 32 sockets, latency 0`);
    const results = [];
    for (const concurrency of [8, 32, 64]) {
      const r = await run(agent, url, path, 30_000, concurrency);
      results.push(r);
      console.log(
        `  ${String(concurrency).padStart(2)} in flight: ${r.total} requests in ${r.seconds.toFixed(2)} s = ${Math.round(r.rps).toLocaleString('en-US')} req/s` +
          `  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  non-200: ${r.errors}`,
      );
    }
    const best = Math.max(...results.map((r) => r.rps));
    console.log(`  best: ${Math.round(best).toLocaleString('en-US')} req/s = ${(best / AIM).toFixed(2)}× the ${AIM.toLocaleString('en-US')}/s aim`);
    child.send('stats');
    const { stats } = await new Promise((resolve) => child.once('message', resolve));
    console.log(`  emulator counted ${stats.requests.toLocaleString('en-US')} requests (${JSON.stringify(stats.byStatus)})`);
  } finally {
    agent.destroy();
    child.send('stop');
  }
}
