// Config benchmark: load and validate 2,000 apps × 100 config vars.
//
// Generates the YAML in memory (a tenth of the values read ${env:…}, every
// app has add-ons, formation, a domain and a drain), then times
// parseDesiredState — YAML read, schema validation, build — over several
// runs, plus loadDesiredState from a file on disk. Plain YAML takes the
// fast reader (src/config/fast.ts); the same document with one anchor in it
// takes the yaml library's path, timed too for comparison. Wall and CPU
// time are both printed: on a busy machine CPU time is the steadier one.
// Prints figures and the ratio to the 1 s aim; never fails on time.
//
//   npm run build && node bench/config.mjs   (BENCH_APPS, BENCH_VARS, BENCH_RUNS to change the size)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { loadDesiredState, parseDesiredState } from '../dist/config/index.js';

const APPS = Number(process.env.BENCH_APPS ?? 2000);
const VARS = Number(process.env.BENCH_VARS ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const AIM_MS = 1000;

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

const parse = await series('parseDesiredState (read, validate, build)', RUNS, () => parseDesiredState([{ file: 'bench.yaml', text }], { env }));

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

// An anchor makes the document non-plain: the yaml library reads it.
const anchored = text.replace('  region: us', '  region: &r us');
const slowRuns = Math.max(1, Math.min(RUNS, 3));
const slow = await series('the same with an anchor (yaml library path)', slowRuns, () => {
  const r = parseDesiredState([{ file: 'bench.yaml', text: anchored }], { env });
  if (!r.desired) throw new Error('anchored parse failed');
});
await series('  of which yaml parseDocument alone', slowRuns, () => parseDocument(anchored, { lineCounter: new LineCounter(), uniqueKeys: true, prettyErrors: true }));

console.log(`fast reader vs yaml path: ${(slow.cpu / parse.cpu).toFixed(1)}× less CPU`);
console.log(`ratio to the ${ms(AIM_MS)} aim (loadDesiredState): ${(load.wall / AIM_MS).toFixed(2)} wall, ${(load.cpu / AIM_MS).toFixed(2)} cpu`);
