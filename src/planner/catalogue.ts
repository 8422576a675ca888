import type { AppNameStatus, Catalogue, CatalogueNeeds } from '../model/catalogue.js';
import type { DesiredApp, DesiredState } from '../model/desired.js';
import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';
import type { LiveState } from '../model/live.js';
import type { Change, Operation, Plan } from '../model/plan.js';
import { closest, editDistance } from '../config/suggest.js';
import { formatAddress } from '../util/address.js';
import { locOf } from './context.js';

/**
 * The names a plan's changes hand to the API, checked against the live
 * catalogue before any write: a region, stack, dyno size or add-on plan the
 * API does not offer, or an app name someone else holds, would otherwise be
 * a 422 in the middle of an apply (the app created, its add-on not).
 *
 * Two pure steps around one read: `catalogueNeeds` says what the plan's
 * changes use (nothing for a plan without creations or changes of these
 * fields, so a no-op plan reads nothing more), and `checkCatalogue` turns
 * what was read into errors at the YAML line of each name.
 */

export const CatalogueCode = {
  unknownRegion: 'unknown-region',
  privateRegion: 'region-private-space',
  unknownStack: 'unknown-stack',
  deprecatedStack: 'stack-deprecated',
  unknownDynoSize: 'unknown-dyno-size',
  privateDynoSize: 'dyno-size-private-space',
  unknownService: 'unknown-addon-service',
  unknownPlan: 'unknown-addon-plan',
  privatePlan: 'addon-plan-private-space',
  appNameTaken: 'app-name-taken',
  singleInstallation: 'addon-single-installation',
} as const;

/** One name the plan sends, with where it is written. */
interface Use {
  app: DesiredApp;
  address: string;
  loc: SourceLocation | undefined;
}

interface Uses {
  regions: (Use & { region: string })[];
  stacks: (Use & { stack: string })[];
  sizes: (Use & { size: string; type: string })[];
  plans: (Use & { plan: string; service: string })[];
  names: (Use & { name: string; rename?: string })[];
  /** A created add-on whose app would then have more than one add-on of its service. */
  second: (Use & { service: string; others: string[] })[];
}

function usesOf(plan: Plan, desired: DesiredState, live: LiveState): Uses {
  const uses: Uses = { regions: [], stacks: [], sizes: [], plans: [], names: [], second: [] };
  const byId = new Map<string, Change>(plan.changes.map((c) => [c.id, c]));
  for (const c of plan.changes) {
    const app = desired.apps[c.app];
    if (!app || c.kind !== 'app') continue;
    const at = (field: string): Use => ({ app, address: c.address, loc: app.fieldLocs?.[field] ?? app.loc });
    const op: Operation = c.op;
    if (op.type === 'app.create') {
      if (op.region !== undefined) uses.regions.push({ ...at('region'), region: op.region });
      if (op.stack !== undefined) uses.stacks.push({ ...at('stack'), stack: op.stack });
      // A name the app list shows would have been adopted, not created: only the rest can be someone else's.
      if (live.appIds[op.name] === undefined) uses.names.push({ ...at('name'), name: op.name });
    } else if (op.type === 'app.update' || op.type === 'app.adopt') {
      if (op.buildStack !== undefined) uses.stacks.push({ ...at('stack'), stack: op.buildStack });
      // A rename to a listed name is the planner's own error (it knows the holder).
      if (op.name !== undefined && live.appIds[op.name] === undefined) uses.names.push({ ...at('name'), name: op.name, rename: live.apps[c.app]?.name ?? c.app });
    } else if (c.action === 'replace-refused' && app.region !== undefined) {
      // A region the API does not know is a typo, not a request for a new app: say so instead.
      uses.regions.push({ ...at('region'), region: app.region });
    }
  }
  for (const app of Object.values(desired.apps)) {
    for (const a of Object.values(app.addons)) {
      const c = byId.get(formatAddress(app.key, 'addon', a.key));
      const op = c?.op;
      const sends = op && (op.type === 'addon.create' || op.type === 'addon.update' || (op.type === 'addon.adopt' && op.livePlan !== undefined));
      if (!c || !sends) continue;
      const service = serviceOf(a.plan);
      uses.plans.push({ app, address: c.address, loc: a.planLoc ?? a.loc, plan: a.plan, service });
    }
    uses.second.push(...secondInstallations(app, byId, live));
    const formation = byId.get(formatAddress(app.key, 'formation'));
    if (!formation) continue;
    const sent = new Set(formation.op.type === 'formation.batch' ? formation.op.updates.filter((u) => u.size !== undefined).map((u) => u.type) : []);
    for (const item of formation.items ?? []) {
      const d = app.formation[item.key];
      // Only sizes this apply sends: a type waiting for a release is checked by the plan that scales it
      // (checking it on every plan until a deploy would cost a no-op plan a read).
      if (d?.size === undefined || !sent.has(item.key)) continue;
      uses.sizes.push({ app, address: formatAddress(app.key, 'formation', item.key), loc: d.sizeLoc ?? d.loc, size: d.size, type: item.key });
    }
  }
  return uses;
}

function serviceOf(plan: string): string {
  return plan.includes(':') ? plan.slice(0, plan.indexOf(':')) : plan;
}

/**
 * Created add-ons that would not be the only one of their service on their
 * app: the others are the app's live add-ons of it (deletions run after
 * creations, so they still count) and the add-ons created before it in key
 * order. Whether that is allowed is the service's to say.
 */
function secondInstallations(app: DesiredApp, byId: Map<string, Change>, live: LiveState): Uses['second'] {
  const out: Uses['second'] = [];
  const l = live.apps[app.key];
  const existing = (l?.addons ?? []).filter((a) => a.appId === l?.id && a.state !== 'deprovisioned');
  const created = new Map<string, string[]>();
  for (const a of Object.values(app.addons).sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))) {
    const c = byId.get(formatAddress(app.key, 'addon', a.key));
    if (c?.op.type !== 'addon.create') continue;
    const service = serviceOf(a.plan);
    const before = created.get(service) ?? [];
    const others = [...existing.filter((x) => x.service === service).map((x) => x.name), ...before];
    if (others.length > 0) out.push({ app, address: c.address, loc: a.planLoc ?? a.loc, service, others });
    created.set(service, [...before, `${a.key} (created by this apply)`]);
  }
  return out;
}

/** What the plan's changes need from the catalogue; all false and empty for a plan that sends none of these names. */
export function catalogueNeeds(plan: Plan, desired: DesiredState, live: LiveState): CatalogueNeeds {
  const u = usesOf(plan, desired, live);
  const distinct = (xs: string[]): string[] => [...new Set(xs)].sort();
  return {
    regions: u.regions.length > 0,
    stacks: u.stacks.length > 0,
    dynoSizes: u.sizes.length > 0,
    services: distinct(u.plans.map((p) => p.service)),
    appNames: distinct(u.names.map((n) => n.name)),
    installations: distinct(u.second.map((x) => x.service)),
  };
}

export function needsNothing(n: CatalogueNeeds): boolean {
  return !n.regions && !n.stacks && !n.dynoSizes && n.services.length === 0 && n.appNames.length === 0 && n.installations.length === 0;
}

/** The plan with an error (at its YAML line) for every name the catalogue does not offer; the same plan when all are fine. */
export function checkCatalogue(plan: Plan, desired: DesiredState, live: LiveState, catalogue: Catalogue): Plan {
  const u = usesOf(plan, desired, live);
  const found: Diagnostic[] = [];
  const report = (severity: Diagnostic['severity'], code: string, use: Use, message: string): void => {
    found.push({ severity, code, message, address: use.address, ...locOf(use.loc) });
  };

  if (catalogue.regions) {
    const common = catalogue.regions.filter((r) => !r.privateSpaceOnly).map((r) => r.name).sort();
    for (const use of u.regions) {
      const r = catalogue.regions.find((x) => x.name === use.region);
      if (!r) {
        report('error', CatalogueCode.unknownRegion, use, `region ${q(use.region)} of ${use.app.name} is not a Heroku region${suggest(use.region, common)} (the regions for apps: ${common.join(', ')})`);
      } else if (r.privateSpaceOnly) {
        report('error', CatalogueCode.privateRegion, use, `region ${q(use.region)} of ${use.app.name} is only for apps in a Private Space, which dynoform does not create: use one of ${common.join(', ')}`);
      }
    }
  }
  if (catalogue.stacks) {
    const names = catalogue.stacks.map((s) => s.name).sort();
    for (const use of u.stacks) {
      const s = catalogue.stacks.find((x) => x.name === use.stack);
      if (!s) {
        report('error', CatalogueCode.unknownStack, use, `stack ${q(use.stack)} of ${use.app.name} is not available${suggest(use.stack, names)} (the stacks: ${names.join(', ')})`);
      } else if (s.state === 'deprecated') {
        report('warning', CatalogueCode.deprecatedStack, use, `stack ${q(use.stack)} of ${use.app.name} is deprecated: Heroku will stop building on it`);
      }
    }
  }
  if (catalogue.dynoSizes) {
    const sizes = catalogue.dynoSizes;
    const common = sizes.filter((s) => !s.privateSpaceOnly).map((s) => s.name).sort();
    for (const use of u.sizes) {
      const s = sizes.find((x) => x.name.toLowerCase() === use.size.toLowerCase());
      if (!s) {
        report('error', CatalogueCode.unknownDynoSize, use, `dyno size ${q(use.size)} of process type ${use.type} is not offered by Heroku${suggest(use.size, common)} (the sizes: ${common.join(', ')})`);
      } else if (s.privateSpaceOnly) {
        report('error', CatalogueCode.privateDynoSize, use, `dyno size ${s.name} of process type ${use.type} runs only in a Private Space, which dynoform does not create: use one of ${common.join(', ')}`);
      }
    }
  }
  for (const use of u.plans) {
    const plans = catalogue.plans[use.service];
    if (plans === undefined) continue;
    if (plans === null) {
      const services = catalogue.services ?? [];
      report('error', CatalogueCode.unknownService, use, `add-on service ${q(use.service)} (plan ${q(use.plan)}) does not exist${suggest(use.service, services)}`);
      continue;
    }
    const p = plans.find((x) => x.name === use.plan || (!use.plan.includes(':') && x.name === `${use.service}:${use.plan}`));
    if (!p) {
      const names = plans.map((x) => x.name);
      report(
        'error',
        CatalogueCode.unknownPlan,
        use,
        `add-on plan ${q(use.plan)} is not in the catalogue of ${use.service}: did you mean ${q(nearest(use.plan, names) ?? use.service)}? (its plans: ${names.map((n) => n.slice(use.service.length + 1)).join(', ')})`,
      );
    } else if (!p.outsidePrivateNetwork) {
      report('error', CatalogueCode.privatePlan, use, `add-on plan ${q(p.name)} installs only inside a Private Space, which dynoform does not create`);
    }
  }
  for (const use of u.second) {
    if (catalogue.multipleInstallations?.[use.service] !== false) continue;
    report(
      'error',
      CatalogueCode.singleInstallation,
      use,
      `${use.service} allows one add-on per app, and ${use.app.name} would have it twice (besides ${use.others.join(', ')}): keep one`,
    );
  }
  for (const use of u.names) {
    const status: AppNameStatus | undefined = catalogue.appNames[use.name];
    if (status === undefined || status === 'free') continue;
    const why =
      status === 'taken'
        ? 'another Heroku account has an app by that name (app names are global)'
        : 'an app by that name exists, though this account\'s app list does not show it';
    const what = use.rename !== undefined ? `cannot rename ${use.rename} to ${use.name}` : `cannot create the app ${use.name}`;
    report('error', CatalogueCode.appNameTaken, use, `${what}: ${why}; choose another name`);
  }
  if (found.length === 0) return plan;
  return { ...plan, diagnostics: [...plan.diagnostics, ...found] };
}

function q(s: string): string {
  return JSON.stringify(s);
}

function suggest(input: string, candidates: readonly string[]): string {
  const c = closest(input, candidates);
  return c === undefined ? '' : `: did you mean ${q(c)}?`;
}

/** The closest candidate however far (a plan name is best answered with one of the service's plans), by plan slug. */
function nearest(input: string, candidates: readonly string[]): string | undefined {
  const near = closest(input, candidates);
  if (near !== undefined) return near;
  const slug = (s: string): string => (s.includes(':') ? s.slice(s.indexOf(':') + 1) : s).toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(slug(input), slug(c));
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}
