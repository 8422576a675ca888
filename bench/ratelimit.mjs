// Benchmark (real time, minutes): a plan of 1,500 apps against an emulator
// whose rate-limit bucket holds 1,000 tokens and refills at 36,000 an hour
// (issue 20). The plan needs about 4N + 4 = 6,004 requests, so it must pace
// itself to the refill for most of them. It must finish with no 429, print
// its estimate before the first page and progress lines while it waits.
//
// Setup (not timed): the apps are created with a roomy bucket in an emulator
// that persists to a data file, which is then reloaded behind the small
// bucket. The plan runs as a user runs it: `dynoform plan` in a child
// process, stderr not a terminal (a line every 10 s or 10 %), told the
// account's profile through DYNOFORM_RATE_LIMIT_POOL / _REFILL_PER_HOUR.
// Prints the figures and the estimate and progress lines; never fails on time.
// Not part of `npm test`: it takes about ten minutes
// (test/integration/plan/read-progress.test.ts checks the same lines on a
// small fleet and bucket).
//
//   npm run build && node bench/ratelimit.mjs [--apps 1500] [--bucket 1000] [--refill-per-hour 36000]
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulator } from '../dist/emulator/index.js';
import { HerokuClient } from '../dist/providers/heroku/client.js';
import { createApp } from '../dist/providers/heroku/apps.js';
import { patchConfigVars } from '../dist/providers/heroku/config-vars.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    apps: { type: 'string', default: '1500' },
    bucket: { type: 'string', default: '1000' },
    'refill-per-hour': { type: 'string', default: '36000' },
  },
});
const APPS = Number(values.apps);
const BUCKET = Number(values.bucket);
const REFILL = Number(values['refill-per-hour']);
for (const [flag, n] of [['--apps', APPS], ['--bucket', BUCKET], ['--refill-per-hour', REFILL]]) {
  if (!Number.isInteger(n) || n < 1) {
    console.error(`${flag} must be a whole number of at least 1`);
    process.exit(1);
  }
}
const TOKEN = 'bench-ratelimit-token';

const dir = await mkdtemp(join(tmpdir(), 'dynoform-bench-ratelimit-'));
const dataFile = join(dir, 'emulator.json');
try {
  const names = Array.from({ length: APPS }, (_, i) => `rl-${String(i).padStart(4, '0')}`);
  const setupStart = performance.now();
  const roomy = await startEmulator({ port: 0, rateLimit: 10_000_000, refillPerHour: 10_000_000, apiKeys: [TOKEN], dataFile });
  const setup = new HerokuClient({ apiUrl: roomy.url, token: TOKEN, concurrency: 32, bucketSize: 10_000_000, refillPerHour: 10_000_000 });
  await Promise.all(
    names.map(async (name, i) => {
      await createApp(setup, { name, region: 'us' });
      await patchConfigVars(setup, name, { RAILS_ENV: 'production', SHARD: String(i % 16) });
    }),
  );
  setup.close();
  await roomy.close();
  const lines = ['version: 1', 'apps:'];
  for (const [i, name] of names.entries()) lines.push(`  ${name}:`, '    config:', '      RAILS_ENV: production', `      SHARD: "${i % 16}"`);
  await writeFile(join(dir, 'dynoform.yaml'), lines.join('\n') + '\n');
  console.log(`setup: ${APPS} apps created in ${((performance.now() - setupStart) / 1000).toFixed(0)} s (not timed)`);

  const emu = await startEmulator({ port: 0, rateLimit: BUCKET, refillPerHour: REFILL, apiKeys: [TOKEN], dataFile });
  console.log(`plan of ${APPS} apps; emulator bucket ${BUCKET} tokens, refilling ${REFILL}/hour (${(REFILL / 3600).toFixed(1)}/s)`);
  emu.resetStats();
  const t0 = performance.now();
  const stamp = () => `[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s]`;
  const stderrLines = [];
  const code = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin/dynoform.js'), 'plan', '--detailed-exitcode'], {
      cwd: dir,
      env: {
        ...process.env,
        HEROKU_API_URL: emu.url,
        HEROKU_API_KEY: TOKEN,
        NO_COLOR: '1',
        DYNOFORM_RATE_LIMIT_POOL: String(BUCKET),
        DYNOFORM_RATE_LIMIT_REFILL_PER_HOUR: String(REFILL),
      },
    });
    let pending = '';
    child.stderr.on('data', (d) => {
      pending += d;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line === '') continue;
        // When the line came, and how many requests the emulator had seen by then.
        const seen = emu.stats().requests;
        stderrLines.push({ line, seen });
        console.log(`${stamp()} (${String(seen).padStart(5)} requests so far) ${line}`);
      }
    });
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', resolve);
  });
  const elapsed = (performance.now() - t0) / 1000;
  const stats = emu.stats();
  await emu.close();

  const estimate = stderrLines.find((l) => l.line.startsWith('Reading '));
  const progress = stderrLines.filter((l) => l.line.startsWith('Reading live state: '));
  const paced = progress.filter((l) => / paced at /.test(l.line));
  console.log('');
  console.log(`exit code:          ${code} (0 = no changes, 2 = changes: the apps are adopted by the first apply)`);
  const extraPages = Math.ceil(APPS / 1000) - 1; // GET /apps pages by 1,000
  console.log(`requests:           ${stats.requests} (4N + 4 = ${4 * APPS + 4}${extraPages > 0 ? `, + ${extraPages} for the further page${extraPages === 1 ? '' : 's'} of GET /apps` : ''})`);
  console.log(`429 answers:        ${stats.rateLimited}`);
  console.log(`progress lines:     ${progress.length}, of which paced (waiting for the refill): ${paced.length}`);
  console.log(`estimate line:      ${estimate ? `printed when the emulator had seen ${estimate.seen} request(s) (the free rate-limit read), before the first page` : 'MISSING'}`);
  console.log(`elapsed:            ${elapsed.toFixed(0)} s (the refill alone needs about ${(((stats.requests - 1 - BUCKET * 0.9) / REFILL) * 3600).toFixed(0)} s)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
