// Benchmark: applying one config change to each of N apps (50, 200, 1,000)
// at --latency 20, next to the ideal.
//
// Setup (not timed, emulator at zero latency): the library's `applyAndWait`
// creates N apps with a few config vars, recorded in a file state. The
// emulator data is then reloaded into a second emulator that answers every
// request after --latency ms. The bench changes one config value of every
// app, plans with the library (not timed), then applies that saved plan and
// measures the API span at the emulator: from the apply's first request to
// its last answer. Next to it the ideal (requests ÷ client concurrency ×
// latency) and their ratio. Prints figures; never fails on time.
//
//   npm run build && node bench/apply.mjs [--sizes 50,200,1000] [--latency 20] [--apply-concurrency 10]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from '../dist/emulator/index.js';
import { applyAndWait, plan } from '../dist/operations/index.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '50,200,1000' },
    latency: { type: 'string', default: '20' },
    'apply-concurrency': { type: 'string', default: '10' },
  },
});
const SIZES = values.sizes.split(',').map(Number);
const LATENCY = Number(values.latency);
const APPLY_CONCURRENCY = Number(values['apply-concurrency']);
const CLIENT_CONCURRENCY = Math.max(10, APPLY_CONCURRENCY); // the client's default, raised to apply's
const TOKEN = 'bench-token';
const UNLIMITED = { rateLimit: 10_000_000, refillPerHour: 10_000_000 };

function yamlFor(size, round) {
  const lines = ['version: 1', 'apps:'];
  for (let i = 0; i < size; i++) {
    lines.push(
      `  bench-apply-${String(i).padStart(4, '0')}:`,
      '    config:',
      '      RAILS_ENV: production',
      `      SHARD: "${i % 8}"`,
      `      RELEASE: r${round}`,
    );
  }
  return lines.join('\n') + '\n';
}

async function measure(size) {
  const dir = await mkdtemp(join(tmpdir(), 'dynoform-bench-apply-'));
  const dataFile = join(dir, 'emulator.json');
  const common = (url) => ({
    cwd: dir,
    files: ['dynoform.yaml'],
    state: join(dir, 'state.json'),
    apiUrl: url,
    token: TOKEN,
    env: { DYNOFORM_RATE_LIMIT_POOL: String(UNLIMITED.rateLimit), DYNOFORM_RATE_LIMIT_REFILL_PER_HOUR: String(UNLIMITED.refillPerHour) },
  });
  try {
    let emu = await startEmulator({ port: 0, latencyMs: 0, ...UNLIMITED, apiKeys: [TOKEN], dataFile });
    await writeFile(join(dir, 'dynoform.yaml'), yamlFor(size, 0));
    const setup = await applyAndWait({ ...common(emu.url), concurrency: 20 });
    if (!setup.result || setup.result.failed.length > 0) throw new Error(`setup of ${size} apps failed`);
    await emu.close();

    emu = await startEmulator({ port: 0, latencyMs: LATENCY, jitter: 0, ...UNLIMITED, apiKeys: [TOKEN], dataFile });
    try {
      await writeFile(join(dir, 'dynoform.yaml'), yamlFor(size, 1));
      const planned = await plan({ ...common(emu.url), out: 'bench.plan' });
      emu.resetStats();
      const applied = await applyAndWait({ ...common(emu.url), planFile: 'bench.plan', concurrency: APPLY_CONCURRENCY });
      const stats = emu.stats();
      const result = applied.result;
      if (!result) throw new Error(`the apply of ${size} apps did nothing (${applied.skipped})`);
      return {
        size,
        changes: result.succeeded.length,
        failed: result.failed.length,
        requests: stats.requests,
        planned: planned.plan.summary.requests,
        spanMs: stats.lastResponseAt - stats.firstRequestAt,
        idealMs: (stats.requests / CLIENT_CONCURRENCY) * LATENCY,
      };
    } finally {
      await emu.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

console.log(
  `apply bench: one config change on each of N apps, emulator latency ${LATENCY} ms, apply concurrency ${APPLY_CONCURRENCY}, client concurrency ${CLIENT_CONCURRENCY}`,
);
console.log('  apps  changes  requests  planned   span ms  ideal ms  span/ideal');
for (const size of SIZES) {
  const r = await measure(size);
  if (r.failed > 0) console.log(`  (${r.failed} changes failed)`);
  console.log(
    `  ${String(r.size).padStart(4)}  ${String(r.changes).padStart(7)}  ${String(r.requests).padStart(8)}  ${String(r.planned).padStart(7)}  ${r.spanMs.toFixed(0).padStart(8)}  ${r.idealMs.toFixed(0).padStart(8)}  ${(r.spanMs / r.idealMs).toFixed(2).padStart(10)}`,
  );
}
console.log('  span = first request to last answer of the apply, at the emulator; ideal = requests ÷ client concurrency × latency.');
