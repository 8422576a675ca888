// The fleet the soak declares: N apps, each with all six kinds (the app,
// config with literals and ${env:…} secrets, add-ons, formation, domains,
// drains — some drains carrying a secret token), generated from a seed.
//
// A fleet is plain data. `renderYaml` turns it into the dynoform YAML;
// `fleetEnv` gives the environment a dynoform run needs; `mutateFleet` makes
// the next revision for a kill round. Every secret value ever handed out is
// remembered in `fleet.secretHistory`, because a rotated-away secret must not
// leak either.
import { stringify } from 'yaml';
import { Rng } from './random.mjs';

export const PROCESS_TYPES = { web: 'bin/web', worker: 'bin/worker', clock: 'bin/clock' };
const SIZES = ['standard-1X', 'standard-2X'];
const SECRET_LENGTH = 32;

/**
 * @param {{apps: number, seed: number}} opts
 */
export function generateFleet({ apps, seed }) {
  if (!Number.isInteger(apps) || apps < 1 || apps > 999) throw new RangeError(`apps must be 1..999, got ${apps}`);
  const rng = new Rng(seed).fork('fleet');
  const fleet = { seed, revision: 0, apiKey: `soak-key-${rng.token(40)}`, env: {}, secretHistory: [], apps: [] };
  const secret = (name) => {
    const value = rng.token(SECRET_LENGTH);
    fleet.env[name] = value;
    fleet.secretHistory.push(value);
    return name;
  };
  for (let i = 0; i < apps; i++) {
    const key = `soak-${String(i).padStart(3, '0')}`;
    const n = String(i).padStart(3, '0');
    const app = {
      key,
      region: i % 5 === 4 ? 'eu' : 'us',
      stack: 'heroku-24',
      // Odd apps consent to deletion, so kill rounds can add and remove add-ons there.
      protect: i % 2 === 0,
      config: {
        RAILS_ENV: { literal: 'production' },
        APP_INDEX: { literal: String(i) },
        WEB_CONCURRENCY: { literal: String(rng.int(1, 4)) },
        RELEASE_TAG: { literal: 'r0' },
        SECRET_KEY_BASE: { env: secret(`SOAK_SKB_${n}`), template: (v) => `\${env:${v}}` },
      },
      addons: {},
      formation: {
        web: { quantity: rng.int(1, 3), size: rng.pick(SIZES) },
        worker: { quantity: rng.int(0, 2), size: rng.pick(SIZES) },
      },
      domains: [`www.${key}.soak.example.com`, `api.${key}.soak.example.com`],
      drains: [{ url: `https://logs.soak.example.com/${key}` }],
      // Created by "another client" before the run: dynoform adopts it.
      preexisting: i % 5 === 1,
      // Config vars the other client owns; dynoform must never change them.
      foreign: {
        NEW_RELIC_LICENSE_KEY: rng.token(SECRET_LENGTH),
        DEPLOYED_BY: `other-client-${rng.token(6)}`,
      },
    };
    if (i % 2 === 0) {
      // A secret inside a larger value.
      app.config.SERVICE_URL = { env: secret(`SOAK_SVC_${n}`), template: (v) => `https://svc:\${env:${v}}@svc.soak.example.com/` };
    }
    if (i % 3 === 2) {
      // Secrets composed into larger values, as an Authorization header and a broker URL are written.
      app.config.AUTH = { env: secret(`SOAK_TOK_${n}`), template: (v) => `Bearer \${env:${v}}` };
      app.config.AMQP_URL = { env: secret(`SOAK_PW_${n}`), template: (v) => `amqp://u:\${env:${v}}@mq.soak.example.com` };
    }
    if (app.preexisting) {
      // Set by hand before dynoform arrived, and now declared as a literal: the plan that adopts
      // the app must show the live value as hidden, never the hand-set secret (issue 13).
      app.handSet = { STRIPE_KEY: `sk_live_${rng.token(SECRET_LENGTH)}` };
      app.config.STRIPE_KEY = { literal: 'declared-in-yaml' };
    }
    if (i % 3 === 0) {
      app.addons.db = { plan: 'heroku-postgresql:essential-0', as: 'DATABASE' };
      app.addons.cache = { plan: 'heroku-redis:mini' };
    } else if (i % 3 === 1) {
      app.addons.cache = { plan: 'heroku-redis:mini', as: 'CACHE' };
    } else {
      app.addons.db = { plan: 'heroku-postgresql:essential-0' };
      // Papertrail adds a drain of its own, which dynoform must leave alone.
      app.addons.logs = { plan: 'papertrail:choklad' };
    }
    if (i % 2 === 1) {
      app.drains.push({ env: secret(`SOAK_DRAIN_${n}`), template: (v) => `https://soak:\${env:${v}}@drains.soak.example.com/${key}` });
    }
    if (i % 4 === 3) {
      // The token in the path, where no masking rule for userinfo or query finds it.
      app.drains.push({ env: secret(`SOAK_DRAINPATH_${n}`), template: (v) => `https://ingest.soak.example.com/t/\${env:${v}}` });
    }
    fleet.apps.push(app);
  }
  return fleet;
}

/** The YAML text dynoform reads. */
export function renderYaml(fleet) {
  const apps = {};
  for (const a of fleet.apps) {
    const config = {};
    for (const [k, v] of Object.entries(a.config)) config[k] = 'literal' in v ? v.literal : v.template(v.env);
    const addons = {};
    for (const [k, v] of Object.entries(a.addons)) addons[k] = v.as ? { plan: v.plan, as: v.as } : v.plan;
    apps[a.key] = {
      region: a.region,
      stack: a.stack,
      protect: a.protect,
      config,
      addons,
      formation: a.formation,
      domains: a.domains,
      drains: a.drains.map((d) => ('url' in d ? d.url : d.template(d.env))),
    };
  }
  return `# Generated by bench/soak (seed ${fleet.seed}, revision ${fleet.revision}).\n${stringify({ version: 1, apps }, { lineWidth: 0 })}`;
}

/** The secret env vars of the fleet (what a dynoform child process gets). */
export function fleetEnv(fleet) {
  return { ...fleet.env };
}

/** A config value as the API should hold it once applied. */
export function resolvedConfig(fleet, app) {
  const out = {};
  for (const [k, v] of Object.entries(app.config)) out[k] = 'literal' in v ? v.literal : v.template(v.env).replace(/\$\{env:([A-Za-z0-9_]+)\}/g, (_, n) => fleet.env[n]);
  return out;
}

export function resolvedDrains(fleet, app) {
  return app.drains.map((d) => ('url' in d ? d.url : d.template(d.env).replace(/\$\{env:([A-Za-z0-9_]+)\}/g, (_, n) => fleet.env[n])));
}

/** Deep copy that keeps the template functions. */
export function cloneFleet(fleet) {
  return {
    ...fleet,
    env: { ...fleet.env },
    secretHistory: [...fleet.secretHistory],
    apps: fleet.apps.map((a) => ({
      ...a,
      config: Object.fromEntries(Object.entries(a.config).map(([k, v]) => [k, { ...v }])),
      addons: Object.fromEntries(Object.entries(a.addons).map(([k, v]) => [k, { ...v }])),
      formation: Object.fromEntries(Object.entries(a.formation).map(([k, v]) => [k, { ...v }])),
      domains: [...a.domains],
      drains: a.drains.map((d) => ({ ...d })),
      foreign: { ...a.foreign },
    })),
  };
}

/**
 * The next revision for a kill round: about a third of the apps (at least
 * one) get one to four of: a literal change, a secret rotation, a domain
 * swap, a drain swap, a scale, and — where the app consents to deletion —
 * an extra add-on added or removed. Returns the new fleet and what changed.
 */
export function mutateFleet(fleet, rng, round) {
  const next = cloneFleet(fleet);
  next.revision = fleet.revision + 1;
  const picked = rng.sample(next.apps, Math.max(1, Math.round(next.apps.length / 3)));
  const changes = [];
  for (const app of picked) {
    const kinds = ['literal', 'secret', 'domain', 'drain', 'scale', ...(app.protect ? [] : ['addon']), ...(app.config.AUTH && 'env' in app.config.AUTH ? ['unsecret'] : [])];
    for (const kind of rng.sample(kinds, rng.int(1, 4))) {
      switch (kind) {
        case 'literal':
          app.config.RELEASE_TAG = { literal: `r${round}-${rng.token(4)}` };
          break;
        case 'secret': {
          const name = app.config.SECRET_KEY_BASE.env;
          const value = rng.token(SECRET_LENGTH);
          next.env[name] = value;
          next.secretHistory.push(value);
          break;
        }
        case 'unsecret':
          // A secret becomes a literal: the old value (still in secretHistory) must not surface as "before".
          app.config.AUTH = { literal: `Bearer public-${rng.token(6)}` };
          break;
        case 'domain':
          app.domains = [app.domains[0], `api-${round}.${app.key}.soak.example.com`];
          break;
        case 'drain':
          app.drains = [{ url: `https://logs.soak.example.com/${app.key}/r${round}` }, ...app.drains.slice(1)];
          break;
        case 'scale':
          app.formation.web = { ...app.formation.web, quantity: ((app.formation.web.quantity ?? 1) % 3) + 1 };
          break;
        case 'addon':
          if (app.addons.extra) delete app.addons.extra;
          else app.addons.extra = { plan: 'heroku-redis:mini', as: 'EXTRA_REDIS' };
          break;
      }
      changes.push(`${app.key}:${kind}`);
    }
  }
  return { fleet: next, changes };
}
