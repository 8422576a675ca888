// Planner benchmark: CPU time of createPlan for 2,000 apps × 100 config vars.
// Prints figures and the ratio to the 0.5 s aim; never fails on time.
// Run `npm run build` first: it imports the compiled planner from dist/.
import { createFingerprinter } from '../dist/util/fingerprint.js';
import { createPlan } from '../dist/planner/index.js';
import { renderPlanJson, renderPlanText } from '../dist/render/index.js';

const APPS = Number(process.env.BENCH_APPS ?? 2000);
const VARS = Number(process.env.BENCH_VARS ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const AIM_MS = 500;

// The real fingerprinter, keyed: secrets get HMACs (microseconds each), so
// the benchmark measures the planner, not a KDF.
const KEYS = { current: 'bench-fingerprint-key-0123456789abcdef', previous: [] };
const makeFingerprinter = () => createFingerprinter({ keys: KEYS });
const builder = makeFingerprinter();
const fingerprint = (v, s) => builder.sync(v, s);

function build() {
  const desired = { apps: {}, files: ['bench.yaml'] };
  const live = { apps: {}, appIds: {}, requests: 0, rateLimitRemaining: 4500 };
  const inventory = { version: 1, lineage: 'bench', serial: 1, apps: {} };
  for (let a = 0; a < APPS; a++) {
    const key = `app-${a}`;
    const id = `00000000-0000-4000-8000-${String(a).padStart(12, '0')}`;
    const config = {};
    const vars = { DATABASE_URL: `postgres://u:p@db-${a}/d` };
    const owned = {};
    for (let v = 0; v < VARS; v++) {
      const name = `VAR_${v}`;
      const secret = v % 10 === 0;
      const value = `value-${a}-${v}-${'x'.repeat(20)}`;
      config[name] = secret ? { value, secret: true, envRefs: [`ENV_${v}`] } : { value, secret: false };
      // 5% of the values differ live; 1% are missing; the rest match.
      if (v % 20 === 7) vars[name] = value + '-old';
      else if (v % 100 !== 3) vars[name] = value;
      owned[name] = { fingerprint: fingerprint(value, secret), secret };
    }
    for (let u = 0; u < 5; u++) vars[`UNMANAGED_${u}`] = `u-${u}`;
    desired.apps[key] = {
      key,
      name: key,
      region: 'us',
      stack: 'heroku-24',
      protect: true,
      config,
      configMode: a % 2 === 0 ? 'merge' : 'exclusive',
      addons: { db: { key: 'db', plan: 'heroku-postgresql:essential-0', as: 'DATABASE' } },
      formation: { web: { type: 'web', quantity: 2, size: 'standard-1X' } },
      domains: [{ hostname: `${key}.example.com` }],
      drains: [],
    };
    const addonId = `10000000-0000-4000-8000-${String(a).padStart(12, '0')}`;
    live.apps[key] = {
      id,
      name: key,
      region: 'us',
      stack: 'heroku-24',
      buildStack: 'heroku-24',
      maintenance: false,
      config: { vars, etag: `"c${a}"` },
      formation: [{ id: `f${a}`, type: 'web', quantity: a % 3 === 0 ? 1 : 2, size: 'Standard-1X' }],
      formationEtag: `"f${a}"`,
      domains: [{ id: `d${a}`, hostname: `${key}.example.com`, kind: 'custom', sniEndpoint: null, cname: null }],
      drains: [],
      addons: [
        {
          id: addonId,
          name: `pg-${a}`,
          plan: 'heroku-postgresql:essential-0',
          service: 'heroku-postgresql',
          state: 'provisioned',
          appId: id,
          appName: key,
          configVars: ['DATABASE_URL'],
          attachments: [{ id: `att${a}`, name: 'DATABASE', appId: id, appName: key }],
        },
      ],
      addonConfigVars: ['DATABASE_URL'],
    };
    live.appIds[key] = id;
    inventory.apps[key] = {
      key,
      id,
      name: key,
      protect: true,
      created: true,
      config: owned,
      addons: { db: { id: addonId, name: `pg-${a}`, plan: 'heroku-postgresql:essential-0', attachment: 'DATABASE' } },
      domains: { [`${key}.example.com`]: { id: `d${a}`, hostname: `${key}.example.com` } },
      drains: {},
      // What an earlier apply recorded: the declared scale.
      formation: { web: { quantity: 2, size: 'standard-1X' } },
    };
  }
  return { desired, live, inventory, options: { apiUrl: 'https://api.heroku.com', dynoformVersion: 'bench', now: '2026-01-01T00:00:00.000Z' } };
}

function cpuMs(fn) {
  const start = process.cpuUsage();
  const result = fn();
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000, result };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const base = build();
/** Planner input with a fingerprinter whose literal memo is fresh (cold: as in a new CLI process) or shared (warm). */
function coldInput() {
  return { ...base, fingerprint: makeFingerprinter() };
}
const warm = { ...base, fingerprint: builder };

createPlan(warm); // warm-up: JIT
createPlan(warm);
const times = [];
const coldTimes = [];
let plan;
for (let i = 0; i < RUNS; i++) {
  const r = cpuMs(() => createPlan(warm));
  times.push(r.ms);
  plan = r.result;
  const input = coldInput();
  coldTimes.push(cpuMs(() => createPlan(input)).ms);
}
const med = median(times);
const coldMed = median(coldTimes);
const text = cpuMs(() => renderPlanText(plan, { color: false }));
const json = cpuMs(() => renderPlanJson(plan));

console.log(`plan-diff: ${APPS} apps × ${VARS} config vars (${APPS * VARS} declared keys), ${RUNS} runs`);
console.log(`  changes: ${plan.changes.length}, requests: ${plan.summary.requests}, releases: ${plan.summary.releases}`);
console.log(`  createPlan CPU time, fingerprints precomputed: median ${med.toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)})`);
console.log(`  aim: ${AIM_MS} ms; ratio median/aim = ${(med / AIM_MS).toFixed(3)}${med <= AIM_MS ? ' (within the aim)' : ' (OVER the aim)'}`);
console.log(`  createPlan CPU time, literal fingerprints hashed during planning (a fresh process): median ${coldMed.toFixed(1)} ms, ratio ${(coldMed / AIM_MS).toFixed(3)}`);
console.log(`  render text: ${text.ms.toFixed(1)} ms (${(text.result.length / 1e6).toFixed(1)} MB), json: ${json.ms.toFixed(1)} ms (${(json.result.length / 1e6).toFixed(1)} MB)`);
