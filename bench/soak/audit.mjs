// What the soak checks at the emulator, through the API as any client
// would: duplicates, the declared objects being there, values dynoform does
// not own being untouched, and the state file's shape.
import { resolvedConfig, resolvedDrains } from './fleet.mjs';

/**
 * Reads everything the audit needs for one app (5 requests).
 * @param {import('./api.mjs').HarnessApi} api
 */
export async function readApp(api, name) {
  const [config, addons, domains, drains, formation] = await Promise.all([
    api.config(name),
    api.addons(name),
    api.domains(name),
    api.drains(name),
    api.formation(name),
  ]);
  return { config, addons, domains, drains, formation };
}

/** Reads the whole fleet, a few apps at a time. */
export async function readFleet(api, fleet, concurrency = 8) {
  const out = {};
  const queue = [...fleet.apps];
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let a = queue.shift(); a; a = queue.shift()) out[a.key] = await readApp(api, a.key);
    }),
  );
  return out;
}

const serviceOf = (plan) => plan.split(':')[0];

/**
 * No add-on, domain or drain exists twice; and exactly the declared ones
 * exist (an extra add-on of a declared service is a duplicate that a lost
 * answer or a kill left behind).
 *
 * @returns {string[]} problems
 */
export function findDuplicates(fleet, live, accountAddons) {
  const problems = [];
  const hostnames = new Map();
  for (const app of fleet.apps) {
    const l = live[app.key];
    if (!l) {
      problems.push(`${app.key}: app does not exist`);
      continue;
    }
    // Add-ons billed to this app, by service, against the declaration.
    const billed = l.addons.filter((a) => a.app?.name === app.key);
    const want = new Map();
    for (const d of Object.values(app.addons)) want.set(serviceOf(d.plan), (want.get(serviceOf(d.plan)) ?? 0) + 1);
    const have = new Map();
    for (const a of billed) have.set(a.addon_service.name, (have.get(a.addon_service.name) ?? 0) + 1);
    for (const [service, count] of have) {
      const expected = want.get(service) ?? 0;
      if (count > expected) problems.push(`${app.key}: ${count} ${service} add-ons, ${expected} declared (${billed.filter((a) => a.addon_service.name === service).map((a) => a.name).join(', ')})`);
    }
    const names = billed.map((a) => a.name);
    if (new Set(names).size !== names.length) problems.push(`${app.key}: an add-on name appears twice`);
    // Domains: a hostname once, account-wide.
    for (const d of l.domains) {
      const seen = hostnames.get(d.hostname);
      if (seen) problems.push(`domain ${d.hostname} exists twice (${seen} and ${app.key})`);
      hostnames.set(d.hostname, app.key);
    }
    // Drains: a URL once per app (the add-on's own drains included).
    const urls = l.drains.map((d) => d.url);
    const dupUrls = urls.filter((u, i) => urls.indexOf(u) !== i);
    for (const u of new Set(dupUrls)) problems.push(`${app.key}: drain ${maskForReport(u)} exists ${urls.filter((x) => x === u).length} times`);
  }
  if (accountAddons) {
    const declared = fleet.apps.reduce((s, a) => s + Object.keys(a.addons).length, 0);
    if (accountAddons.length > declared) problems.push(`the account has ${accountAddons.length} add-ons, ${declared} declared`);
  }
  return problems;
}

/**
 * The live state is what the YAML says: declared config values, add-ons
 * (with their attachment names), domains, drains and formation.
 *
 * @returns {string[]} problems
 */
export function findMismatches(fleet, live) {
  const problems = [];
  for (const app of fleet.apps) {
    const l = live[app.key];
    if (!l) continue;
    const config = resolvedConfig(fleet, app);
    for (const [k, v] of Object.entries(config)) {
      if (l.config[k] !== v) problems.push(`${app.key}: config ${k} ${l.config[k] === undefined ? 'is missing' : 'differs from the YAML'}`);
    }
    const billed = l.addons.filter((a) => a.app?.name === app.key);
    for (const [key, d] of Object.entries(app.addons)) {
      const service = serviceOf(d.plan);
      const match = billed.filter((a) => a.addon_service.name === service && a.plan.name === d.plan);
      if (match.length === 0) problems.push(`${app.key}: add-on ${key} (${d.plan}) is missing`);
      if (d.as && !Object.keys(l.config).some((k) => k.startsWith(`${d.as}_`))) problems.push(`${app.key}: add-on ${key} is not attached as ${d.as}`);
    }
    const hostnames = new Set(l.domains.filter((d) => d.kind === 'custom').map((d) => d.hostname));
    for (const h of app.domains) if (!hostnames.has(h)) problems.push(`${app.key}: domain ${h} is missing`);
    for (const h of hostnames) if (!app.domains.includes(h)) problems.push(`${app.key}: domain ${h} is not declared (left behind?)`);
    const drains = new Set(l.drains.filter((d) => !d.addon).map((d) => d.url));
    const want = resolvedDrains(fleet, app);
    for (const u of want) if (!drains.has(u)) problems.push(`${app.key}: drain ${maskForReport(u)} is missing`);
    for (const u of drains) if (!want.includes(u)) problems.push(`${app.key}: drain ${maskForReport(u)} is not declared (left behind?)`);
    for (const [type, f] of Object.entries(app.formation)) {
      const lf = l.formation.find((x) => x.type === type);
      if (!lf) {
        problems.push(`${app.key}: process type ${type} does not exist (no deploy?)`);
        continue;
      }
      if (f.quantity !== undefined && lf.quantity !== f.quantity) problems.push(`${app.key}: ${type} quantity ${lf.quantity}, declared ${f.quantity}`);
      const size = lf.dyno_size?.name ?? lf.size;
      if (f.size !== undefined && String(size).toLowerCase() !== f.size.toLowerCase()) problems.push(`${app.key}: ${type} size ${size}, declared ${f.size}`);
    }
  }
  return problems;
}

/**
 * Values dynoform does not own still hold what their writer put there.
 * `registry[app] = {config: {KEY: value}, formation: {type: quantity}}`.
 *
 * @returns {string[]} problems
 */
export function findForeignChanges(registry, live) {
  const problems = [];
  for (const [app, owned] of Object.entries(registry)) {
    const l = live[app];
    if (!l) continue;
    for (const [k, v] of Object.entries(owned.config ?? {})) {
      if (l.config[k] !== v) problems.push(`${app}: config ${k} (not dynoform's) was ${l.config[k] === undefined ? 'deleted' : 'changed'}`);
    }
    for (const [type, q] of Object.entries(owned.formation ?? {})) {
      const f = l.formation.find((x) => x.type === type);
      if (f?.quantity !== q) problems.push(`${app}: ${type} quantity (not dynoform's) is ${f?.quantity}, the other client set ${q}`);
    }
  }
  return problems;
}

/** A drain URL for a report: no userinfo, no path (where the soak hides tokens). */
export function maskForReport(url) {
  const m = /^([a-z+]+:\/\/)(?:[^@/]*@)?([^/?#]*)/i.exec(url);
  return m ? `${m[1]}${m[2]}/…` : '(a drain)';
}

/**
 * The state file parses and has the shape of src/model/inventory.ts —
 * checked here independently of src/state, which is under test.
 *
 * @returns {{ok: true, serial: number, apps: number} | {ok: false, problem: string}}
 */
export function checkStateText(text) {
  let v;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: `not JSON: ${err.message}` };
  }
  const isObj = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (!isObj(v)) return { ok: false, problem: 'not an object' };
  if (!Number.isInteger(v.version)) return { ok: false, problem: 'no integer version' };
  if (typeof v.lineage !== 'string' || v.lineage === '') return { ok: false, problem: 'no lineage' };
  if (!Number.isInteger(v.serial) || v.serial < 0) return { ok: false, problem: 'no serial' };
  if (!isObj(v.apps)) return { ok: false, problem: 'no apps map' };
  for (const [key, a] of Object.entries(v.apps)) {
    if (!isObj(a)) return { ok: false, problem: `app ${key} is not an object` };
    if (a.key !== key) return { ok: false, problem: `app ${key} has key ${a.key}` };
    for (const f of ['id', 'name']) if (typeof a[f] !== 'string') return { ok: false, problem: `app ${key} has no ${f}` };
    for (const f of ['protect', 'created']) if (typeof a[f] !== 'boolean') return { ok: false, problem: `app ${key} has no boolean ${f}` };
    for (const f of ['config', 'addons', 'domains', 'drains', 'formation']) if (!isObj(a[f])) return { ok: false, problem: `app ${key} has no ${f} map` };
    for (const [k, c] of Object.entries(a.config)) {
      if (!isObj(c) || typeof c.fingerprint !== 'string' || typeof c.secret !== 'boolean') return { ok: false, problem: `app ${key} config ${k} is malformed` };
    }
    for (const [k, d] of Object.entries(a.addons)) if (!isObj(d) || typeof d.id !== 'string' || typeof d.plan !== 'string') return { ok: false, problem: `app ${key} add-on ${k} is malformed` };
    for (const [k, d] of Object.entries(a.domains)) if (!isObj(d) || typeof d.id !== 'string' || d.hostname !== k) return { ok: false, problem: `app ${key} domain ${k} is malformed` };
    for (const [k, d] of Object.entries(a.drains)) if (!isObj(d) || d.id !== k || typeof d.urlFingerprint !== 'string') return { ok: false, problem: `app ${key} drain ${k} is malformed` };
  }
  return { ok: true, serial: v.serial, apps: Object.keys(v.apps).length };
}
