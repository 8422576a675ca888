// The soak: whole plan/apply cycles of dynoform (real child processes)
// against the emulator (in this process) with faults, latency and a small
// rate-limit bucket, proving six properties:
//
//   1. convergence   repeated apply reaches an empty plan in bounded rounds
//   2. no duplicates no add-on, domain or drain exists twice
//   3. foreign keys  config vars dynoform does not own keep their values
//   4. outside edits a second client editing during an apply gets 412s
//                    reported as conflicts and nothing it wrote overwritten
//   5. kill -9       applies killed at random points: the state file always
//                    parses and every re-run converges
//   6. secret scan   no secret value in anything dynoform wrote
//
// runSoak() returns the figures and a PASS/FAIL per property; it throws only
// when the harness itself cannot go on (the emulator does not start, dist/
// is missing).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HarnessApi } from './api.mjs';
import { checkStateText, findDuplicates, findForeignChanges, findMismatches, readFleet } from './audit.mjs';
import { PROCESS_TYPES, cloneFleet, fleetEnv, generateFleet, mutateFleet, renderYaml } from './fleet.mjs';
import { Rng } from './random.mjs';
import { DynoformRunner, REPO_ROOT, tail } from './runner.mjs';
import { scanTree } from './scan.mjs';
import { startSoakProxy } from './proxy.mjs';

export const DEFAULTS = Object.freeze({
  apps: 50,
  faultRate: 0.1,
  latencyMin: 5,
  latencyMax: 50,
  bucket: 200,
  // 100 tokens a second: below what dynoform could send at this latency
  // (about 350/s), so the bucket paces the run, and the full size still
  // ends in a few minutes. See docs/soak.md.
  refillPerHour: 360_000,
  kills: 20,
  seed: 1,
  provisionDelayMs: 300,
  maxRounds: 6,
  runTimeoutMs: 5 * 60_000,
  keep: false,
});

/** A property's verdict. */
class Property {
  constructor(name) {
    this.name = name;
    this.problems = [];
    this.notes = [];
    this.checked = 0;
  }
  fail(problem) {
    this.problems.push(problem);
  }
  note(text) {
    this.notes.push(text);
  }
  check(problems, what) {
    this.checked += 1;
    for (const p of problems) this.fail(what ? `${what}: ${p}` : p);
  }
  get ok() {
    return this.checked > 0 && this.problems.length === 0;
  }
  toJSON() {
    const shown = this.problems.slice(0, 8);
    const more = this.problems.length > shown.length ? ` (+${this.problems.length - shown.length} more)` : '';
    const detail = this.ok ? this.notes.join('; ') : this.problems.length === 0 ? 'never checked' : shown.join('; ') + more;
    return { name: this.name, ok: this.ok, detail, problems: this.problems };
  }
}

/**
 * @param {Partial<typeof DEFAULTS> & {log?: (line: string) => void, workDir?: string}} options
 */
export async function runSoak(options = {}) {
  const o = { ...DEFAULTS, ...options };
  validateOptions(o);
  const log = o.log ?? (() => undefined);
  if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const { startEmulator } = await import(pathToFileURL(join(REPO_ROOT, 'dist', 'emulator', 'index.js')).href);

  const t0 = performance.now();
  const root = o.workDir ?? (await mkdtemp(join(tmpdir(), 'dynoform-soak-')));
  const work = join(root, 'work');
  const logs = join(root, 'logs');
  const home = join(root, 'home');
  await mkdir(work, { recursive: true });
  await mkdir(join(work, 'plans'), { recursive: true });
  await mkdir(home, { recursive: true });
  const yamlPath = join(work, 'dynoform.yaml');
  const statePath = join(work, '.dynoform', 'state.json');

  const rng = new Rng(o.seed);
  let fleet = generateFleet({ apps: o.apps, seed: o.seed });
  const emu = await startEmulator({
    port: 0,
    latencyMs: (o.latencyMin + o.latencyMax) / 2,
    jitter: (o.latencyMax - o.latencyMin) / 2,
    faultRate: o.faultRate,
    seed: o.seed,
    rateLimit: o.bucket,
    refillPerHour: o.refillPerHour,
    provisionDelayMs: o.provisionDelayMs,
    apiKeys: [fleet.apiKey],
  });
  // dynoform's runs go through it (the other client does not): see proxy.mjs.
  const proxy = await startSoakProxy(emu.url);

  const props = {
    convergence: new Property('convergence: apply reaches an empty plan in bounded rounds; final `plan --detailed-exitcode` exits 0'),
    duplicates: new Property('no duplicates: no add-on, domain or drain exists twice'),
    foreign: new Property('foreign values untouched: config vars and dynos dynoform does not own keep their values'),
    outside: new Property('outside edits: each conflict is a 412 reported as "changed since plan"; nothing the other client wrote is overwritten'),
    kills: new Property('kill -9: the state file always parses and every re-run converges'),
    secrets: new Property('secret scan: no secret value in stdout, stderr, plan files, state or logs'),
    noFalseConflicts: new Property('no false conflicts: without outside edits no apply reports a conflict'),
  };

  const figures = {
    runs: 0,
    retries: { dynoform: 0, harness: 0, source: 'estimate' },
    status412: { total: 0, dynoform: 0, outsideApply: 0, conflictsReported: 0, expected: 0 },
    status429: { total: 0, dynoform: 0, harness: 0 },
    requests: { total: 0, dynoform: 0, applyUsed: 0, applyMinimum: 0, convergeUsed: 0, convergeMinimum: 0, planReads: 0, plans: 0 },
    kills: { attempted: 0, killed: 0, finishedFirst: 0, staleLocks: 0, points: [] },
    rounds: { first: null, worstAfterKill: 0 },
    scan: { secrets: 0, files: 0, bytes: 0, hits: 0 },
    faults: {},
    neighbour: { sent: 0, limited: 0 },
    wallMs: 0,
  };

  const baseEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
    HEROKU_API_URL: proxy.url,
    HEROKU_API_KEY: fleet.apiKey,
    // The account's rate-limit profile, as a user of such an account sets it
    // (the API never announces it): without it a small bucket is paced as an
    // exhausted 4,500-token one.
    DYNOFORM_RATE_LIMIT_POOL: String(o.bucket),
    DYNOFORM_RATE_LIMIT_REFILL_PER_HOUR: String(o.refillPerHour),
  };
  const runner = new DynoformRunner({ cwd: work, logDir: logs, env: baseEnv, timeoutMs: o.runTimeoutMs });
  // The "other client": a deploy tool and a colleague on the same account.
  const other = new HarnessApi({ url: emu.url, apiKey: fleet.apiKey });
  // Everything the other client owns: {app: {config: {K: v}, formation: {type: q}}}.
  const foreign = {};
  const deployed = new Set();
  /** Values another client set by hand during the run, for the scan. */
  const handSetLater = [];
  let lastSerial = -1;
  // Add-on credentials seen at any point (an add-on a kill round removes takes its own with it).
  const addonSecrets = new Map();
  const collectAddonSecrets = (key, config) => {
    const app = fleet.apps.find((a) => a.key === key);
    for (const [k, v] of Object.entries(config ?? {})) {
      if (!/_URL$|_TOKEN$/.test(k) || (app && Object.hasOwn(app.config, k))) continue;
      const password = urlPassword(v);
      if (password && password.length >= 8) addonSecrets.set(password, `${key} ${k} password (add-on)`);
      else if (!password && v.length >= 16 && !v.includes('://')) addonSecrets.set(v, `${key} ${k} (add-on)`);
    }
  };

  /** One dynoform run, accounted: requests, 429s, faults it met. */
  const dyno = async (args, opts = {}) => {
    const before = emu.stats();
    const otherBefore = { ...other.counts };
    // Every other run writes the request log (DYNOFORM_DEBUG=1) to stderr, so that the scan covers it too.
    const debug = figures.runs % 2 === 1 ? { DYNOFORM_DEBUG: '1' } : {};
    const run = await runner.run(args, { ...opts, env: { ...fleetEnv(fleet), ...debug, ...opts.env } });
    // Whatever the other client did meanwhile (edits, the noisy neighbour) finishes first, then is taken out.
    await opts.settle?.();
    const after = emu.stats();
    const otherDelta = (k) => other.counts[k] - otherBefore[k];
    run.requests = after.requests - before.requests - otherDelta('requests');
    run.status429 = after.rateLimited - before.rateLimited - otherDelta('status429');
    run.status412 = after.preconditionFailed - before.preconditionFailed - otherDelta('status412');
    run.faults = sumFaults(after.faults) - sumFaults(before.faults) - otherDelta('faults');
    figures.runs += 1;
    figures.requests.dynoform += run.requests;
    if (args[0] === 'plan') {
      figures.requests.plans += 1;
      figures.requests.planReads += run.requests;
    }
    figures.status429.dynoform += run.status429;
    figures.status412.dynoform += run.status412;
    // dynoform prints no retry count (its client keeps one, the CLI does not
    // show it), so: every fault and 429 a dynoform request met costs one
    // retry or read-back, unless the run was killed first.
    figures.retries.dynoform += run.faults + run.status429;
    if (run.timedOut) props.convergence.fail(`${args.join(' ')} did not finish within ${o.runTimeoutMs} ms and was killed`);
    if (/internal error/i.test(run.stderr)) props.convergence.fail(`${args[0]} crashed: ${firstLine(run.stderr, 'internal error')}`);
    return run;
  };

  const writeFleet = async () => writeFile(yamlPath, renderYaml(fleet));

  const plan = async (name, extra = []) => {
    const file = join(work, 'plans', `${name}.plan`);
    const run = await unlocked(() => dyno(['plan', '-f', yamlPath, '-o', file, '--format', 'json', '--detailed-exitcode', ...extra], { label: `plan-${name}` }), props.kills);
    run.file = file;
    run.json = parseJson(run.stdout);
    return run;
  };

  const checkState = async (when) => {
    let text;
    try {
      text = await readFile(statePath, 'utf8');
    } catch (err) {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    }
    const r = checkStateText(text);
    props.kills.checked += 1;
    if (!r.ok) props.kills.fail(`${when}: state file ${r.problem}`);
    else if (r.serial < lastSerial) props.kills.fail(`${when}: state serial went back from ${lastSerial} to ${r.serial}`);
    else lastSerial = r.serial;
    return r;
  };

  /** Apply a saved plan; accounts requests used against the plan's own count. */
  const applyPlanFile = async (p, label, { extra = [], onSpawn, settle, converge = false } = {}) => {
    const run = await dyno(['apply', p.file, '--auto-approve', ...extra], { label, onSpawn, settle });
    await checkState(label);
    // Apply of a saved plan re-derives it first (issue 13): the plan's own reads again, then its writes.
    const minimum = Number.isInteger(p.json?.summary?.requests) ? p.json.summary.requests + p.requests : undefined;
    if (run.signal === null && Number.isInteger(minimum)) {
      figures.requests.applyUsed += run.requests;
      figures.requests.applyMinimum += minimum;
      if (converge) {
        figures.requests.convergeUsed += run.requests;
        figures.requests.convergeMinimum += minimum;
      }
    }
    figures.status412.conflictsReported += countConflicts(run);
    return run;
  };

  /** The other client deploys every app that exists and has had no deploy, and sets its own config vars there. */
  const deployNewApps = async () => {
    const existing = new Set((await other.apps()).map((a) => a.name));
    for (const app of fleet.apps) {
      if (deployed.has(app.key) || !existing.has(app.key)) continue;
      await other.deploy(app.key, PROCESS_TYPES);
      await other.patchConfig(app.key, app.foreign);
      foreign[app.key] = { config: { ...app.foreign }, formation: { ...(foreign[app.key]?.formation ?? {}) } };
      deployed.add(app.key);
    }
  };

  const audit = async (what, { mismatches = true } = {}) => {
    const live = await readFleet(other, fleet);
    for (const [key, l] of Object.entries(live)) collectAddonSecrets(key, l.config);
    const accountAddons = await other.allAddons();
    props.duplicates.check(findDuplicates(fleet, live, accountAddons), what);
    props.foreign.check(findForeignChanges(foreign, live), what);
    const mism = mismatches ? findMismatches(fleet, live) : [];
    return { live, mismatches: mism };
  };

  const isStaleLock = (run) => run.code === 1 && /lock/i.test(run.stderr) && /stale/i.test(run.stderr);

  /** Runs it; if it met the stale lock of a killed apply, clears it as a user would (`state unlock`) and runs it again. */
  const unlocked = async (fn, prop) => {
    const run = await fn();
    if (!isStaleLock(run)) return run;
    figures.kills.staleLocks += 1;
    const unlock = await dyno(['state', 'unlock', '-f', yamlPath], { label: 'state-unlock' });
    if (unlock.code !== 0) prop.fail(`state unlock exited ${unlock.code}: ${tail(unlock, 3)}`);
    return fn();
  };

  /**
   * Re-runs `apply --auto-approve` (plan and apply in one go, as a user does
   * after a crash) until `plan --detailed-exitcode` exits 0. Returns the
   * number of applies it took, or undefined after maxRounds.
   */
  const rerun = async (label, { allowDestroy = false, prop }) => {
    for (let round = 1; round <= o.maxRounds; round++) {
      const args = ['apply', '-f', yamlPath, '--auto-approve', ...(allowDestroy ? ['--allow-destroy'] : [])];
      const run = await unlocked(() => dyno(args, { label: `${label}-apply-${round}` }), prop);
      await checkState(`${label} apply ${round}`);
      figures.status412.conflictsReported += countConflicts(run);
      if (run.code === 3) props.noFalseConflicts.fail(`${label} round ${round}: apply exited 3 with no outside edit: ${firstLine(run.stdout + run.stderr, 'changed since plan') || tail(run, 3)}`);
      else props.noFalseConflicts.checked += 1;
      if (run.code !== 0) prop.note(`${label} round ${round}: apply exited ${run.code}`);
      const check = await unlocked(() => dyno(['plan', '-f', yamlPath, '--detailed-exitcode'], { label: `${label}-plan-${round}` }), prop);
      if (check.code === 0) return round;
      if (check.code !== 2) prop.note(`${label} round ${round}: plan exited ${check.code}: ${tail(check, 2)}`);
    }
    return undefined;
  };

  try {
    // ------------------------------------------------------------ setup
    log(`soak: ${o.apps} apps, fault rate ${o.faultRate}, emulator ${emu.url}, work dir ${root}`);
    for (const app of fleet.apps.filter((a) => a.preexisting)) {
      // Made by hand before dynoform arrived: adopted, not recreated.
      await other.createApp(app.key, app.region);
      await other.deploy(app.key, PROCESS_TYPES);
      await other.patchConfig(app.key, { ...app.foreign, ...app.handSet });
      await other.createDomain(app.key, app.domains[0]);
      await other.createDrain(app.key, app.drains[0].url);
      foreign[app.key] = { config: { ...app.foreign }, formation: {} };
      deployed.add(app.key);
    }
    await writeFleet();

    // ------------------------------------------- 1–3: first convergence
    log('phase 1: converge from scratch');
    const tConverge = performance.now();
    let rounds;
    for (let round = 1; round <= o.maxRounds; round++) {
      const p = await plan(`converge-${round}`);
      if (p.code === 0 && deployed.size === fleet.apps.length) {
        rounds = round - 1;
        break;
      }
      if (p.code !== 2 && p.code !== 0) {
        props.convergence.note(`plan exited ${p.code} in round ${round}`);
        continue;
      }
      if (p.code === 2) {
        // In the first round a noisy neighbour on the same account empties
        // the bucket just before the apply starts and keeps taking every
        // token that comes back for its first seconds: dynoform must meet
        // 429s, back off, pace, and still converge.
        let drain;
        let onSpawn;
        if (round === 1) {
          const first = await other.drainBucket({ holdMs: 0 });
          onSpawn = () => {
            drain = other.drainBucket({ holdMs: 4000, concurrency: 16 }).then((d) => {
              figures.neighbour = { sent: first.sent + d.sent, limited: first.limited + d.limited };
            });
          };
        }
        const run = await applyPlanFile(p, `apply-converge-${round}`, { converge: true, onSpawn, settle: () => drain });
        if (run.code === 3) props.noFalseConflicts.fail(`converge round ${round}: apply exited 3 with no outside edit: ${firstLine(run.stdout + run.stderr, 'changed since plan') || tail(run, 3)}`);
        else props.noFalseConflicts.checked += 1;
        log(`  round ${round}: plan ${p.json?.summary?.requests ?? '?'} requests, apply exit ${run.code}, ${run.requests} requests, ${Math.round(run.ms)} ms`);
      }
      await deployNewApps();
    }
    figures.rounds.first = rounds ?? null;
    const convergeMs = performance.now() - tConverge;
    if (rounds === undefined) props.convergence.fail(`no empty plan after ${o.maxRounds} rounds`);
    else props.convergence.note(`first converge: ${rounds} apply rounds, ${Math.round(convergeMs / 1000)} s`);
    const final1 = await dyno(['plan', '-f', yamlPath, '--detailed-exitcode'], { label: 'plan-final-1' });
    props.convergence.check(final1.code === 0 ? [] : [`final plan --detailed-exitcode exited ${final1.code}: ${tail(final1, 4)}`], 'after the first converge');
    {
      const { live, mismatches } = await audit('after the first converge');
      props.convergence.check(mismatches, 'after the first converge');
      // Everything on the apps that dynoform neither declares nor owns,
      // add-on vars included, as it is now: checked again at the very end.
      for (const app of fleet.apps) {
        const declared = new Set(Object.keys(app.config));
        const extra = Object.fromEntries(Object.entries(live[app.key]?.config ?? {}).filter(([k]) => !declared.has(k)));
        foreign[app.key] = { config: { ...extra, ...(foreign[app.key]?.config ?? {}) }, formation: { ...(foreign[app.key]?.formation ?? {}) } };
      }
    }

    // ------------------------------------------------- 4: outside edits
    log('phase 4: a second client edits during an apply');
    await outsideEdits();

    // ------------------------------------------------------ 5: kill -9
    log(`phase 5: ${o.kills} applies killed with SIGKILL`);
    const killRng = rng.fork('kills');
    for (let k = 1; k <= o.kills; k++) {
      const { fleet: next, changes } = mutateFleet(fleet, killRng, k);
      fleet = next;
      // An add-on that a kill round removes takes its vars with it.
      for (const app of fleet.apps) delete foreign[app.key]?.config?.EXTRA_REDIS_URL;
      await writeFleet();
      const p = await plan(`kill-${k}`);
      if (p.code !== 2) {
        props.kills.note(`round ${k}: plan exited ${p.code} before the kill (${changes.length} changes)`);
        if (p.code !== 0) continue;
      }
      const minimum = Math.max(1, p.json?.summary?.requests ?? 10);
      const target = killRng.int(1, minimum);
      const extraMs = killRng.int(0, 25);
      figures.kills.attempted += 1;
      const killed = await applyPlanFile(p, `apply-kill-${k}`, {
        extra: ['--allow-destroy'],
        onSpawn: (child) => killAfterRequests(emu, child, target, extraMs),
      });
      if (killed.signal === 'SIGKILL') {
        figures.kills.killed += 1;
        figures.kills.points.push({ round: k, afterRequests: target, extraMs, requestsSeen: killed.requests, plannedRequests: minimum });
      } else {
        figures.kills.finishedFirst += 1;
      }
      await checkState(`after kill ${k}`);
      const r = await rerun(`rerun-${k}`, { allowDestroy: true, prop: props.kills });
      if (r === undefined) props.kills.fail(`kill ${k}: no empty plan after ${o.maxRounds} re-runs`);
      else figures.rounds.worstAfterKill = Math.max(figures.rounds.worstAfterKill, r);
      const churned = [...new Set(changes.filter((c) => c.endsWith(':addon')).map((c) => c.split(':')[0]))];
      for (const key of churned) collectAddonSecrets(key, await other.config(key));
      log(`  kill ${k}: ${killed.signal === 'SIGKILL' ? `killed after ${killed.requests} requests` : `finished (exit ${killed.code}) before the kill`}; re-run converged in ${r ?? '—'} rounds`);
    }
    if (o.kills > 0 && figures.kills.killed === 0) props.kills.fail('no apply was actually killed mid-run');

    // ------------------------------------------------- 6: every output format
    await everyFormat();

    // ------------------------------------------------------ final state
    const finalPlan = await dyno(['plan', '-f', yamlPath, '--detailed-exitcode'], { label: 'plan-final' });
    props.convergence.check(finalPlan.code === 0 ? [] : [`final plan --detailed-exitcode exited ${finalPlan.code}: ${tail(finalPlan, 4)}`], 'at the end');
    {
      const { mismatches } = await audit('at the end');
      props.convergence.check(mismatches, 'at the end');
    }

    // ----------------------------------------------------- 7: secrets
    const secrets = await secretsInPlay();
    const scan = await scanTree([root], secrets, { base: root });
    figures.scan = { secrets: scan.secrets, files: scan.files, bytes: scan.bytes, hits: scan.hits.length };
    props.secrets.check(scan.hits.map((h) => `${h.label} found in ${h.file} at byte ${h.offset}`));
  } finally {
    const stats = emu.stats();
    figures.faults = { ...stats.faults, total: sumFaults(stats.faults) };
    figures.requests.total = stats.requests;
    figures.status412.total = stats.preconditionFailed;
    figures.status429.total = stats.rateLimited;
    figures.status429.harness = other.counts.status429;
    figures.retries.harness = other.counts.retries;
    figures.wallMs = performance.now() - t0;
    await proxy.close();
    await emu.close();
    if (!o.keep && !o.workDir) await rm(root, { recursive: true, force: true });
  }

  const properties = Object.values(props).map((p) => p.toJSON());
  return {
    ok: properties.every((p) => p.ok),
    options: { apps: o.apps, faultRate: o.faultRate, latencyMin: o.latencyMin, latencyMax: o.latencyMax, bucket: o.bucket, refillPerHour: o.refillPerHour, kills: o.kills, seed: o.seed, provisionDelayMs: o.provisionDelayMs },
    properties,
    figures,
    workDir: o.keep || o.workDir ? root : undefined,
    runs: runner.runs,
  };

  // ------------------------------------------------------------------

  /**
   * Property 4. A new revision changes RELEASE_TAG and scales web; the plan
   * is saved; the apply is started, re-derives the plan, and its first
   * write is held at the proxy while the other client edits the last few
   * apps (E), then forwarded. Nothing was written before the edits, so every
   * edited app's guarded change must meet its 412.
   *
   * E alternates two shapes, because apply makes an app's formation depend
   * on its config change (dynos should not restart on a half-applied
   * config): on "config" apps the other client edits config vars, the
   * config PATCH meets a 412 and the formation change is skipped as its
   * dependent; on "formation" apps only formation is planned, the other
   * client scales, and the formation PATCH meets the 412. Half the apps of
   * each shape also get a managed value changed (RELEASE_TAG, worker).
   */
  async function outsideEdits() {
    const editRng = rng.fork('outside');
    const next = cloneFleet(fleet);
    next.revision += 1;
    const tag = `edit-${editRng.token(6)}`;
    const k = Math.max(2, Math.round(next.apps.length / 10));
    const edited = next.apps.slice(-k);
    const shapeOf = (i) => (i % 2 === 0 ? 'config' : 'formation');
    for (const app of next.apps) {
      const i = edited.indexOf(app);
      if (i < 0 || shapeOf(i) === 'config') app.config.RELEASE_TAG = { literal: tag };
      if (i >= 0) app.formation.web = { ...app.formation.web, quantity: (app.formation.web.quantity % 3) + 1 };
    }
    fleet = next;
    await writeFleet();
    const p = await plan('outside');
    if (p.code !== 2 || !p.json) {
      props.outside.fail(`the plan before the edits exited ${p.code}: ${tail(p, 3)}`);
      return;
    }
    const planned = new Set(p.json.changes.map((c) => c.address));
    for (const [i, app] of edited.entries()) {
      for (const kind of shapeOf(i) === 'config' ? ['config', 'formation'] : ['formation']) {
        if (!planned.has(`app.${app.key}/${kind}`)) props.outside.fail(`the plan has no ${kind} change for ${app.key}`);
      }
    }

    const edits = edited.map((app, i) => {
      const shape = shapeOf(i);
      const managed = Math.floor(i / 2) % 2 === 0;
      const worker = app.formation.worker.quantity;
      return {
        app,
        shape,
        managed,
        config: { OUTSIDE_EDIT: `outside-${editRng.token(10)}`, ...(shape === 'config' && managed ? { RELEASE_TAG: `outside-${editRng.token(6)}` } : {}) },
        // clock was born with the default size; it joins the app's tier so that the scale is valid.
        formation: [{ type: 'clock', quantity: 1, size: 'standard-1X' }, ...(managed ? [{ type: 'worker', quantity: worker + 1 }] : [])],
        // The address that must meet the 412, and the one skipped because of it.
        conflict: `app.${app.key}/${shape}`,
        skipped: shape === 'config' ? `app.${app.key}/formation` : undefined,
        webBefore: undefined,
      };
    });
    const liveBefore = await readFleet(other, { apps: edited });
    for (const e of edits) e.webBefore = liveBefore[e.app.key].formation.find((f) => f.type === 'web')?.quantity;
    figures.status412.expected += edits.length;

    const before412 = emu.stats().preconditionFailed;
    let editError;
    let editedAtRequest;
    let editsDone;
    const base = emu.stats().requests;
    // The edits land when apply's first write arrives (held until they are done): after apply
    // re-derived its plan from the live state (which would refuse the whole apply), before it wrote.
    proxy.holdNextWrite(async () => {
      editedAtRequest = emu.stats().requests - base;
      editsDone = Promise.all(
        edits.map(async (e) => {
          await other.patchConfig(e.app.key, e.config);
          await other.scale(e.app.key, e.formation);
        }),
      ).catch((err) => {
        editError = err;
      });
      await editsDone;
    });
    const run = await applyPlanFile(p, 'apply-outside', { settle: () => editsDone });
    if (editError) {
      props.outside.fail(`the other client's edits failed: ${editError.message}`);
      return;
    }
    if (editedAtRequest === undefined) props.outside.fail('the apply finished without a write: the edits never ran during it');
    const answered412 = emu.stats().preconditionFailed - before412;
    figures.status412.outsideApply = answered412;
    const problems = [];
    if (run.code !== 3) problems.push(`apply exited ${run.code}, expected 3: ${tail(run, 4)}`);
    const reported = conflictAddresses(run);
    const skipped = skippedAddresses(run);
    for (const e of edits) {
      if (!reported.has(e.conflict)) problems.push(`${e.conflict}: not reported as "changed since plan"`);
      if (e.skipped && !skipped.has(e.skipped)) problems.push(`${e.skipped}: not reported as skipped after its config conflicted`);
    }
    const expected = new Set(edits.map((e) => e.conflict));
    for (const a of reported) if (!expected.has(a)) problems.push(`${a}: reported as changed since plan, but nobody else touched it`);
    if (answered412 < reported.size) problems.push(`${answered412} 412s answered for ${reported.size} conflicts reported`);
    props.outside.note(`${edits.length} apps edited at the apply's request #${editedAtRequest}: ${reported.size} conflicts reported, ${answered412} 412s answered`);

    // Nothing the other client wrote was overwritten.
    const afterApply = await readFleet(other, fleet);
    for (const e of edits) {
      const l = afterApply[e.app.key];
      for (const [key, v] of Object.entries(e.config)) if (l.config[key] !== v) problems.push(`${e.app.key}: the other client's ${key} was overwritten by the stale apply`);
      for (const f of e.formation) {
        const q = l.formation.find((x) => x.type === f.type)?.quantity;
        if (q !== f.quantity) problems.push(`${e.app.key}: the other client's ${f.type} quantity ${f.quantity} became ${q}`);
      }
      const web = l.formation.find((x) => x.type === 'web')?.quantity;
      if (web !== e.webBefore) problems.push(`${e.app.key}: web was scaled by the stale apply (${e.webBefore} → ${web})`);
    }
    // The apps nobody else touched did get the new tag.
    for (const app of fleet.apps.filter((a) => !edited.includes(a))) {
      if (afterApply[app.key]?.config.RELEASE_TAG !== tag) problems.push(`${app.key}: RELEASE_TAG was not applied (no outside edit there)`);
    }
    props.outside.check(problems, 'the stale apply');

    // From now on the unmanaged values belong to the other client for good.
    for (const e of edits) {
      foreign[e.app.key].config.OUTSIDE_EDIT = e.config.OUTSIDE_EDIT;
      foreign[e.app.key].formation.clock = 1;
    }

    // A fresh plan shows what is really left. The managed values the other
    // client changed come back as updates: the YAML is the truth, and a
    // reviewer now sees the overwrite before it happens (as Terraform shows
    // drift), without the other client's value (hidden: not ours). The
    // unmanaged ones do not appear at all.
    const fresh = await plan('outside-fresh');
    const freshProblems = [];
    if (fresh.code !== 2 || !fresh.json) freshProblems.push(`the fresh plan exited ${fresh.code}`);
    else {
      for (const e of edits) {
        const cfg = fresh.json.changes.find((c) => c.address === `app.${e.app.key}/config`);
        const items = new Map((cfg?.items ?? []).map((i) => [i.key, i]));
        if (e.shape === 'config') {
          if (!items.has('RELEASE_TAG')) freshProblems.push(`${e.app.key}: the fresh plan does not update RELEASE_TAG`);
          // The other client's value is not a literal dynoform wrote: the plan hides it (issue 13).
          else if (e.managed && items.get('RELEASE_TAG').before === e.config.RELEASE_TAG) {
            freshProblems.push(`${e.app.key}: the fresh plan shows the other client's RELEASE_TAG value, which is not dynoform's literal`);
          }
        }
        if (items.has('OUTSIDE_EDIT')) freshProblems.push(`${e.app.key}: the fresh plan touches OUTSIDE_EDIT, which dynoform does not own`);
        const form = fresh.json.changes.find((c) => c.address === `app.${e.app.key}/formation`);
        const types = new Set((form?.items ?? []).filter((i) => i.action !== 'noop').map((i) => i.key));
        if (!types.has('web')) freshProblems.push(`${e.app.key}: the fresh plan does not scale web`);
        if (e.managed && !types.has('worker')) freshProblems.push(`${e.app.key}: the fresh plan does not restore worker, which the other client scaled`);
        if (types.has('clock')) freshProblems.push(`${e.app.key}: the fresh plan scales clock, which is not declared`);
      }
    }
    props.outside.check(freshProblems, 'the fresh plan');
    if (fresh.code === 2) {
      const run2 = await applyPlanFile(fresh, 'apply-outside-fresh');
      if (run2.code === 3) props.noFalseConflicts.fail(`the fresh apply after the outside edits exited 3: ${firstLine(run2.stdout + run2.stderr, 'changed since plan')}`);
      else props.noFalseConflicts.checked += 1;
    }
    const r = await rerun('outside-after', { prop: props.outside });
    if (r === undefined) props.outside.fail(`no empty plan within ${o.maxRounds} rounds after the outside edits`);
    const { mismatches } = await audit('after the outside edits');
    props.outside.check(mismatches, 'after the fresh apply');
  }

  /** Every secret value in play: ${env:…} values (rotated ones too), the API key, and the add-ons' credentials. */
  /**
   * Another client sets a declared value by hand (a live secret dynoform
   * did not write); plan and drift then run in every output format, each
   * output landing in the logs the scan reads; an apply converges again.
   */
  async function everyFormat() {
    log('phase 6: plan and drift in every output format after a value set by hand');
    const app = fleet.apps[0];
    const value = `sk_live_${rng.fork('formats').token(32)}`;
    handSetLater.push(value);
    await other.patchConfig(app.key, { RELEASE_TAG: value });
    const runs = [
      ['plan', '-f', yamlPath, '--detailed-exitcode'],
      ['plan', '-f', yamlPath, '--detailed-exitcode', '--format', 'json'],
      ['plan', '-f', yamlPath, '--detailed-exitcode', '--format', 'markdown'],
      // Drift with a server that echoes the token in its warnings and Request-Ids.
      ['drift', '-f', yamlPath, '--format', 'text'],
      ['drift', '-f', yamlPath, '--format', 'json'],
      ['drift', '-f', yamlPath, '--format', 'markdown'],
      ['drift', '-f', yamlPath, '--format', 'github'],
    ];
    for (const args of runs) {
      proxy.echo(args[0] === 'drift' ? fleet.apiKey : undefined);
      const r = await dyno(args, { label: `${args[0]}-${args.at(-1)}` });
      // 2: changes / drift found, as the value set by hand is one.
      if (r.code !== 2) props.secrets.fail(`${args.join(' ')} exited ${r.code}, expected 2: ${tail(r, 3)}`);
      else if (!/RELEASE(_|&#95;)TAG/.test(r.stdout)) props.secrets.fail(`${args.join(' ')} did not show the hand-set RELEASE_TAG at all`);
    }
    proxy.echo(undefined);
    const r = await rerun('formats', { prop: props.secrets });
    if (r === undefined) props.secrets.fail('no empty plan after the formats phase');
  }

  async function secretsInPlay() {
    const secrets = [{ label: 'the API key', value: fleet.apiKey }];
    for (const [i, value] of fleet.secretHistory.entries()) secrets.push({ label: `env secret #${i + 1}`, value });
    for (const [name, value] of Object.entries(fleet.env)) secrets.push({ label: `env ${name}`, value });
    for (const app of fleet.apps) {
      secrets.push({ label: `${app.key} NEW_RELIC_LICENSE_KEY (the other client's)`, value: app.foreign.NEW_RELIC_LICENSE_KEY });
      for (const [k, value] of Object.entries(app.handSet ?? {})) secrets.push({ label: `${app.key} ${k} (set by hand before adoption)`, value });
    }
    for (const [i, value] of handSetLater.entries()) secrets.push({ label: `hand-set value #${i + 1} (the formats phase)`, value });
    // Add-on credentials (live values dynoform may not print).
    for (const [value, label] of addonSecrets) secrets.push({ label, value });
    return secrets;
  }
}

/** Writes the emulator has answered so far, over every route. */
const writesOf = (emu) => Object.values(emu.stats().writes).reduce((sum, n) => sum + n, 0);

/**
 * SIGKILL the child once the emulator has seen `target` requests since its
 * first write, plus `extraMs`: apply of a saved plan reads everything first
 * (it re-derives the plan), and a kill there would prove nothing.
 */
function killAfterRequests(emu, child, target, extraMs) {
  let base;
  const writes = writesOf(emu);
  const poll = setInterval(() => {
    if (base === undefined) {
      if (writesOf(emu) - writes < 1) return;
      base = emu.stats().requests - 1;
    }
    if (emu.stats().requests - base < target) return;
    clearInterval(poll);
    setTimeout(() => child.kill('SIGKILL'), extraMs);
  }, 2);
  child.once('exit', () => clearInterval(poll));
}

function urlPassword(v) {
  try {
    const u = new URL(v);
    return u.password ? decodeURIComponent(u.password) : undefined;
  } catch {
    return undefined;
  }
}

function sumFaults(f) {
  return Object.values(f).reduce((s, x) => s + x, 0);
}

function parseJson(text) {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  try {
    return JSON.parse(text.slice(start));
  } catch {
    return undefined;
  }
}

function firstLine(text, needle) {
  return text.split('\n').find((l) => l.includes(needle))?.trim() ?? '';
}

/**
 * Conflicts the apply reported: the distinct addresses of lines such as
 * `✗ app.shop/config: update failed: changed since plan — run plan again`
 * (the summary repeats them, so addresses rather than lines are counted).
 */
export function conflictAddresses(run) {
  return addressesOf(run, /^✗\s+(app\.\S+?):.*changed since plan/i);
}

/** Changes reported as skipped: `- app.shop/formation: update skipped: …`. */
export function skippedAddresses(run) {
  return addressesOf(run, /^-\s+(app\.\S+?):\s+\S+ skipped\b/);
}

function addressesOf(run, re) {
  const out = new Set();
  for (const line of `${run.stdout}\n${run.stderr}`.split('\n')) {
    const m = re.exec(line.trim());
    if (m) out.add(m[1]);
  }
  return out;
}

export function countConflicts(run) {
  return conflictAddresses(run).size;
}

function validateOptions(o) {
  const int = (name, min, max) => {
    if (!Number.isInteger(o[name]) || o[name] < min || o[name] > max) throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${o[name]}`);
  };
  int('apps', 1, 999);
  int('kills', 0, 1000);
  int('bucket', 1, 1_000_000);
  int('refillPerHour', 1, 100_000_000);
  int('seed', 0, 0xffffffff);
  int('maxRounds', 1, 50);
  int('runTimeoutMs', 1000, 24 * 3_600_000);
  if (!(o.faultRate >= 0 && o.faultRate <= 1)) throw new RangeError(`faultRate must be from 0 to 1, got ${o.faultRate}`);
  if (!(o.latencyMin >= 0 && o.latencyMax >= o.latencyMin)) throw new RangeError(`latency must satisfy 0 ≤ min ≤ max, got ${o.latencyMin}–${o.latencyMax}`);
}

