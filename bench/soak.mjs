// The soak suite (issue 9): whole plan/apply cycles of dynoform against the
// emulator with injected faults, latency and a small rate-limit bucket,
// outside edits during an apply, applies killed with SIGKILL, and a scan of
// everything dynoform wrote for secrets. Prints a table of figures and a
// PASS/FAIL line per property; exits 1 when any property fails.
//
//   npm run soak                       # the full size: 50 apps, 20 kills
//   npm run build && node bench/soak.mjs --apps 6 --kills 3
//   node bench/soak.mjs --json         # the result as JSON on stdout
//
// Flags: --apps N (50), --fault-rate P (0.1), --latency-min MS (5),
// --latency-max MS (50), --bucket N (200), --refill-per-hour N (360000),
// --kills N (20), --seed N (1), --provision-delay MS (300), --max-rounds N
// (6), --run-timeout S (300: a dynoform run taking longer is killed and
// fails convergence), --keep (keep the work dir with every output), --json.
// See docs/soak.md.
import { parseArgs } from 'node:util';
import { DEFAULTS, runSoak } from './soak/harness.mjs';
import { formatReport } from './soak/table.mjs';

const { values } = parseArgs({
  options: {
    apps: { type: 'string' },
    'fault-rate': { type: 'string' },
    'latency-min': { type: 'string' },
    'latency-max': { type: 'string' },
    bucket: { type: 'string' },
    'refill-per-hour': { type: 'string' },
    kills: { type: 'string' },
    seed: { type: 'string' },
    'provision-delay': { type: 'string' },
    'max-rounds': { type: 'string' },
    'run-timeout': { type: 'string' },
    keep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});

const num = (flag, fallback) => {
  const text = values[flag];
  if (text === undefined) return fallback;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) {
    process.stderr.write(`soak: --${flag} must be a number (got "${text}")\n`);
    process.exit(2);
  }
  return v;
};

const options = {
  apps: num('apps', DEFAULTS.apps),
  faultRate: num('fault-rate', DEFAULTS.faultRate),
  latencyMin: num('latency-min', DEFAULTS.latencyMin),
  latencyMax: num('latency-max', DEFAULTS.latencyMax),
  bucket: num('bucket', DEFAULTS.bucket),
  refillPerHour: num('refill-per-hour', DEFAULTS.refillPerHour),
  kills: num('kills', DEFAULTS.kills),
  seed: num('seed', DEFAULTS.seed),
  provisionDelayMs: num('provision-delay', DEFAULTS.provisionDelayMs),
  maxRounds: num('max-rounds', DEFAULTS.maxRounds),
  runTimeoutMs: num('run-timeout', DEFAULTS.runTimeoutMs / 1000) * 1000,
  keep: values.keep,
  log: values.quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
};

let result;
try {
  result = await runSoak(options);
} catch (err) {
  process.stderr.write(`soak: cannot run: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}

if (values.json) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  process.stdout.write(`${formatReport(result)}\n`);
  if (result.workDir) process.stdout.write(`work dir kept: ${result.workDir}\n`);
}
process.exitCode = result.ok ? 0 : 1;
