// Config benchmark: load and validate a realistic repository, 200 apps × 30
// config vars (issue 12: parsing only matters next to the thousands of API
// requests a plan of a large fleet makes).
//
// Generates the YAML in memory (a tenth of the values read ${env:…}, every
// app has add-ons, formation, a domain and a drain), then times
// parseDesiredState — YAML read, schema validation, build — over several
// runs, loadDesiredState from a file on disk, and the yaml library's
// parseDocument alone. Wall and CPU time are both printed: on a busy machine
// CPU time is the steadier one. Prints figures and the ratio of yaml alone
// to 0.5 s (the bar a second, hand-written reader would have to clear);
// never fails on time.
//
//   npm run build && node bench/config.mjs   (BENCH_APPS, BENCH_VARS, BENCH_RUNS to change the size)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { loadDesiredState, parseDesiredState } from '../dist/config/index.js';

const APPS = Number(process.env.BENCH_APPS ?? 200);
const VARS = Number(process.env.BENCH_VARS ?? 30);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const AIM_MS = 500;

function generate() {
  const lines = ['# yaml-language-server: $schema=../schema/dynoform.schema.json', 'version: 1', 'defaults:', '  region: us', '  stack: heroku-24', 'apps:'];
  for (let a = 0; a < APPS; a++) {
    const app = `app-${String(a).padStart(4, '0')}`;
    lines.push(`  ${app}:`, '    config:');
    for (let v = 0; v < VARS; v++) {
      const value = v % 10 === 0 ? `\${env:SECRET_${v}}` : `value-${a}-${v}`;
      lines.push(`      KEY_${String(v).padStart(3, '0')}: ${value}`);
    }
    lines.push(
      '    addons:',
      '      db: { plan: heroku-postgresql:essential-0, as: DATABASE }',
      '      cache: heroku-redis:mini',
      '    formation:',
      '      web: { quantity: 2, size: standard-1X }',
      '      worker: 1',
      '    domains:',
      `      - www.${app}.example.com`,
      '    drains:',
      `      - https://logs.example.com/${app}`,
    );
  }
  return lines.join('\n') + '\n';
}

const env = Object.fromEntries(Array.from({ length: VARS }, (_, v) => [`SECRET_${v}`, `s3cr3t-${v}`]));
const text = generate();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(0)} ms`;

/** Runs `f` and returns [wall ms, cpu ms]. */
async function timed(f) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return [wall, (c.user + c.system) / 1000];
}

async function series(label, runs, f) {
  const walls = [];
  const cpus = [];
  for (let i = 0; i < runs; i++) {
    const [w, c] = await timed(f);
    walls.push(w);
    cpus.push(c);
  }
  console.log(`${label.padEnd(44)} median ${ms(median(walls))} wall, ${ms(median(cpus))} cpu  (${runs} runs: ${walls.map(ms).join(', ')})`);
  return { wall: median(walls), cpu: median(cpus) };
}

console.log(`config benchmark: ${APPS} apps × ${VARS} config vars, ${(text.length / 1e6).toFixed(1)} MB of YAML, ${text.split('\n').length - 1} lines`);

// One warm-up run (JIT, schema compilation), not counted.
const warm = parseDesiredState([{ file: 'bench.yaml', text }], { env });
if (warm.diagnostics.length > 0 || Object.keys(warm.desired.apps).length !== APPS) {
  console.error('unexpected result:', warm.diagnostics.slice(0, 3));
  process.exit(1);
}

await series('parseDesiredState (read, validate, build)', RUNS, () => parseDesiredState([{ file: 'bench.yaml', text }], { env }));

const dir = await mkdtemp(join(tmpdir(), 'dynoform-bench-'));
let load;
try {
  await writeFile(join(dir, 'bench.yaml'), text);
  load = await series('loadDesiredState (the file on disk)', RUNS, async () => {
    const r = await loadDesiredState(['bench.yaml'], { env, cwd: dir });
    if (!r.desired) throw new Error('load failed');
  });
} finally {
  await rm(dir, { recursive: true, force: true });
}

const yamlAlone = await series('of which yaml parseDocument alone', RUNS, () =>
  parseDocument(text, { lineCounter: new LineCounter(), uniqueKeys: false, prettyErrors: true, strict: true, merge: false, version: '1.2', schema: 'core' }),
);

console.log(`ratio of yaml alone to ${ms(AIM_MS)}: ${(yamlAlone.wall / AIM_MS).toFixed(2)} wall, ${(yamlAlone.cpu / AIM_MS).toFixed(2)} cpu`);
console.log(`loadDesiredState: ${(load.wall / AIM_MS).toFixed(2)} wall, ${(load.cpu / AIM_MS).toFixed(2)} cpu of ${ms(AIM_MS)}`);
