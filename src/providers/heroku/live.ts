import type { DesiredState } from '../../model/desired.js';
import type { Inventory } from '../../model/inventory.js';
import type { ConfigReadReason, ConfigReads, LiveAccount, LiveAddon, LiveApp, LiveConfig, LivePipeline, LivePipelines, LiveState, LiveTeams } from '../../model/live.js';
import { listAddons, listAttachments, joinAttachments, type AttachmentRecord } from './addons.js';
import { listApps, type AppSummary } from './apps.js';
import type { HerokuClient } from './client.js';
import { getConfigVars } from './config-vars.js';
import { listDomains } from './domains.js';
import { listDrains } from './drains.js';
import { listFormation } from './formation.js';
import { listBuildpacks } from './buildpacks.js';
import { listFeatures } from './features.js';
import { listSniEndpoints } from './certificates.js';
import { listCouplings, listPipelines, listTeamIds } from './pipelines.js';
import { getReviewApps } from './review-apps.js';
import { accountEmail, listAccountFeatures, listMembers } from './members.js';
import { getTeamApp, listCollaborators } from './teams.js';
import { listWebhooks } from './webhooks.js';

export interface ReadLiveOptions {
  /** Only these app keys are read in full (plan --target); default all declared apps. */
  apps?: string[];
  signal?: AbortSignal;
  /** Called as each app finishes, for a progress line. */
  onApp?: (key: string, done: number, total: number) => void;
  /** The caller has just read the (free) rate limit: do not read it again. */
  primed?: boolean;
  /** Read these kinds of every app, declared or not (import: it writes what it finds). */
  everyApp?: ReadonlyArray<'buildpacks' | 'features' | 'collaborators' | 'locked' | 'webhooks' | 'certificates'>;
  /**
   * Asked for each app once the app list is in: its config from the state's
   * record (the read is skipped), or why it must be read. Without it every
   * config is read and `configReads` is not reported.
   */
  configFromRecord?: (key: string, app: AppSummary) => { config: LiveConfig } | { reason: ConfigReadReason };
}

/**
 * Reads what the plan needs and nothing more: one free rate-limit read, the
 * account-wide lists of apps, add-ons and attachments (paged), then for each
 * declared app that exists its config vars, formation, domains and drains —
 * all concurrently through the client's queue, those of apps the state
 * knows (by id) without waiting for the app list. A declared app is found by
 * the id in the inventory first (so a rename in YAML still finds it), else
 * by name. Undeclared apps are never read. Requests: 4 + 4 per app (more
 * only when a list spans pages), 3 for an app whose config the state's
 * record vouches for (`configFromRecord`), plus one per app for each further kind
 * (buildpacks, features, collaborators, webhooks, a team app's lock) that the app
 * declares or whose state owns some.
 */
export async function readLiveState(
  client: HerokuClient,
  desired: DesiredState,
  inventory: Inventory | undefined,
  opts: ReadLiveOptions = {},
): Promise<LiveState> {
  const { signal } = opts;
  const startRequests = client.stats().requests;
  // The rate-limit read is free and primes the budget; nothing waits for it, and
  // its failure alone is no reason to stop (the other reads report real trouble).
  const rateLimit = opts.primed ? Promise.resolve(undefined) : client.refreshRateLimit(signal).catch(() => undefined);
  const accountAddons = Promise.all([listAddons(client, { signal }), listAttachments(client, { signal })]);
  // It may fail while /apps is still awaited; it is handled (and its error reported) below, not
  // left to crash the process as an unhandled rejection.
  accountAddons.catch(() => {});
  const pipelines = opts.apps === undefined ? readPipelines(client, desired, inventory, signal) : Promise.resolve(undefined);
  pipelines.catch(() => {});
  const teams = opts.apps === undefined ? readTeams(client, desired, inventory, signal) : Promise.resolve(undefined);
  teams.catch(() => {});
  const account = opts.apps === undefined ? readAccount(client, desired, inventory, signal) : Promise.resolve(undefined);
  account.catch(() => {});
  // Every slot busy from the first request: the per-app reads that need no
  // more than an app id start now for the apps the state knows, before the
  // app list is in. (Config vars wait for the list; add-ons are only needed
  // to assemble.) An owned app that turns out to be gone costs its early
  // reads, answered 404 and discarded.
  const keys = (opts.apps ?? Object.keys(desired.apps)).filter((k) => desired.apps[k] !== undefined);
  const startReads = (key: string, appId: string): AppReads => {
    const d = desired.apps[key]!;
    const inv = inventory?.apps[key];
    const reads: AppReads = {
      appId,
      formation: listFormation(client, appId, { signal }),
      domains: listDomains(client, appId, { signal }),
      drains: listDrains(client, appId, { signal }),
      buildpacks:
        opts.everyApp?.includes('buildpacks') || d.buildpacks !== undefined || inv?.buildpacks !== undefined ? listBuildpacks(client, appId, { signal }) : undefined,
      features:
        opts.everyApp?.includes('features') || Object.keys(d.features ?? {}).length > 0 || Object.keys(inv?.features ?? {}).length > 0
          ? listFeatures(client, appId, { signal })
          : undefined,
      collaborators:
        opts.everyApp?.includes('collaborators') || d.collaborators !== undefined || inv?.collaborators !== undefined ? listCollaborators(client, appId, { signal }) : undefined,
      webhooks:
        opts.everyApp?.includes('webhooks') || d.webhooks !== undefined || Object.keys(inv?.webhooks ?? {}).length > 0 ? listWebhooks(client, appId, { signal }) : undefined,
      sniEndpoints:
        opts.everyApp?.includes('certificates') || d.certificates !== undefined || Object.keys(inv?.certificates ?? {}).length > 0
          ? listSniEndpoints(client, appId, { signal })
          : undefined,
    };
    // Awaited (or discarded) below; until then a rejection must not count as unhandled.
    for (const r of settleable(reads)) r.catch(() => undefined);
    return reads;
  };
  const early = new Map<string, AppReads>();
  for (const key of keys) {
    const knownId = inventory?.apps[key]?.id;
    if (knownId !== undefined) early.set(key, startReads(key, knownId));
  }
  const everyEarly = (): Array<Promise<unknown>> => [...early.values()].flatMap(settleable);

  const apps = await listApps(client, { signal }).catch(async (err: unknown) => {
    await Promise.allSettled([rateLimit, accountAddons, pipelines, ...everyEarly()]);
    throw err;
  });

  const appIds: Record<string, string> = {};
  const byId = new Map<string, AppSummary>();
  const byName = new Map<string, AppSummary>();
  for (const a of apps) {
    appIds[a.name] = a.id;
    byId.set(a.id, a);
    byName.set(a.name, a);
  }

  const targets: Array<{ key: string; app: AppSummary; reads: AppReads }> = [];
  const discarded: AppReads[] = [];
  for (const key of keys) {
    const d = desired.apps[key]!;
    const knownId = inventory?.apps[key]?.id;
    const app = (knownId !== undefined ? byId.get(knownId) : undefined) ?? byName.get(d.name);
    const started = early.get(key);
    if (started && started.appId !== app?.id) discarded.push(started);
    if (app) targets.push({ key, app, reads: started && started.appId === app.id ? started : startReads(key, app.id) });
  }

  // Owned apps that left the YAML are not read in full: the list already
  // shows what a guarded deletion needs.
  const undeclared: Record<string, AppSummary> = {};
  for (const [key, inv] of Object.entries(inventory?.apps ?? {})) {
    const found = desired.apps[key] === undefined ? byId.get(inv.id) : undefined;
    if (found) undeclared[key] = found;
  }

  let done = 0;
  const configReads: ConfigReads = { read: 0, skipped: 0, reasons: {} };
  const perApp = targets.map(async ({ key, app, reads }) => {
    const recorded = opts.configFromRecord?.(key, app);
    if (recorded && 'config' in recorded) {
      configReads.skipped += 1;
    } else {
      configReads.read += 1;
      if (recorded) configReads.reasons[recorded.reason] = (configReads.reasons[recorded.reason] ?? 0) + 1;
    }
    const config: Promise<LiveConfig> = recorded && 'config' in recorded ? Promise.resolve(recorded.config) : getConfigVars(client, app.id, { signal });
    const d = desired.apps[key]!;
    const inv = inventory?.apps[key];
    // Only a team app has a lock to read, and whose app it is shows in the app list.
    const lock =
      app.team !== undefined && (opts.everyApp?.includes('locked') || d.locked !== undefined || inv?.locked !== undefined) ? getTeamApp(client, app.id, { signal }) : undefined;
    lock?.catch(() => undefined);
    const [parts, buildpacks, features, collaborators, teamApp, webhooks, sniEndpoints] = await Promise.all([
      Promise.all([config, reads.formation, reads.domains, reads.drains]),
      reads.buildpacks,
      reads.features,
      reads.collaborators,
      lock,
      reads.webhooks,
      reads.sniEndpoints,
    ]).catch(async (err: unknown) => {
      await Promise.allSettled([config, ...settleable(reads), ...(lock ? [lock] : [])]);
      throw err;
    });
    done += 1;
    opts.onApp?.(key, done, targets.length);
    return {
      key,
      app,
      parts,
      extra: {
        ...(buildpacks ? { buildpacks } : {}),
        ...(features ? { features } : {}),
        ...(collaborators ? { collaborators } : {}),
        ...(webhooks ? { webhooks } : {}),
        ...(sniEndpoints ? { sniEndpoints } : {}),
        ...(teamApp ? { locked: teamApp.locked, ...(teamApp.etag ? { lockedEtag: teamApp.etag } : {}) } : {}),
      },
    };
  });
  // The reads of an app that is gone only have to end; what they found (404s) does not matter.
  await Promise.allSettled(discarded.flatMap(settleable));
  const settled = await Promise.allSettled([rateLimit, accountAddons, pipelines, teams, account, ...perApp]);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const [addons, attachments] = await accountAddons;
  const joined = joinAttachments(addons, attachments);

  const read: Array<[string, LiveApp]> = [];
  for (const { key, app, parts, extra } of await Promise.all(perApp)) {
    const [config, formation, domains, drains] = parts;
    read.push([
      key,
      {
        ...app,
        config,
        formation: formation.items,
        ...(formation.etag ? { formationEtag: formation.etag } : {}),
        domains,
        drains,
        addons: joined.filter((a) => a.appId === app.id || a.attachments.some((at) => at.appId === app.id)),
        addonConfigVars: addonConfigVarsFor(app.id, joined, attachments),
        ...extra,
      },
    ]);
  }

  const remaining = client.rateLimitRemaining();
  const livePipelines = await pipelines;
  const liveTeams = await teams;
  const liveAccount = await account;
  return {
    apps: Object.fromEntries(read),
    ...(livePipelines ? { pipelines: livePipelines } : {}),
    ...(liveTeams ? { teams: liveTeams } : {}),
    ...(liveAccount ? { account: liveAccount } : {}),
    ...(Object.keys(undeclared).length > 0 ? { undeclared } : {}),
    appIds,
    ...(remaining !== undefined ? { rateLimitRemaining: remaining } : {}),
    requests: client.stats().requests - startRequests,
    ...(opts.configFromRecord ? { configReads } : {}),
  };
}

/** The reads of one app that need only its id, started together. */
interface AppReads {
  appId: string;
  formation: ReturnType<typeof listFormation>;
  domains: ReturnType<typeof listDomains>;
  drains: ReturnType<typeof listDrains>;
  buildpacks: ReturnType<typeof listBuildpacks> | undefined;
  features: ReturnType<typeof listFeatures> | undefined;
  collaborators: ReturnType<typeof listCollaborators> | undefined;
  webhooks: ReturnType<typeof listWebhooks> | undefined;
  sniEndpoints: ReturnType<typeof listSniEndpoints> | undefined;
}

function settleable(r: AppReads): Array<Promise<unknown>> {
  return [r.formation, r.domains, r.drains, ...(r.buildpacks ? [r.buildpacks] : []), ...(r.features ? [r.features] : []), ...(r.collaborators ? [r.collaborators] : []), ...(r.webhooks ? [r.webhooks] : []), ...(r.sniEndpoints ? [r.sniEndpoints] : [])];
}

/**
 * Pipelines and couplings, only when the YAML declares a pipeline or the
 * state owns one: two account-wide lists whatever their number (plus the
 * team list when a declared pipeline names its team).
 */
async function readPipelines(
  client: HerokuClient,
  desired: DesiredState,
  inventory: Inventory | undefined,
  signal: AbortSignal | undefined,
): Promise<LivePipelines | undefined> {
  const declared = Object.values(desired.pipelines ?? {});
  if (declared.length === 0 && Object.keys(inventory?.pipelines ?? {}).length === 0) return undefined;
  const wantTeams = declared.some((p) => p.team !== undefined);
  const [pipelines, couplings, teamIds] = await Promise.all([
    listPipelines(client, { signal }),
    listCouplings(client, { signal }),
    wantTeams ? listTeamIds(client, { signal }) : Promise.resolve(undefined),
  ]);
  const parts = await readPipelineParts(client, desired, inventory, pipelines, signal);
  return { pipelines, couplings, ...(teamIds ? { teamIds } : {}), ...parts };
}

/**
 * Stage config vars and review-app settings, only of the pipelines that
 * declare or own them: one GET per stage and one for review apps, nothing
 * for a pipeline that has neither.
 */
async function readPipelineParts(
  client: HerokuClient,
  desired: DesiredState,
  inventory: Inventory | undefined,
  pipelines: LivePipeline[],
  signal: AbortSignal | undefined,
): Promise<Pick<LivePipelines, 'stageConfig' | 'reviewApps'>> {
  const wanted = new Map<string, { stages: Set<string>; reviewApps: boolean }>();
  const keys = new Set([...Object.keys(desired.pipelines ?? {}), ...Object.keys(inventory?.pipelines ?? {})]);
  for (const key of keys) {
    const d = desired.pipelines?.[key];
    const inv = inventory?.pipelines?.[key];
    // The pipeline the planner will match: the owned one while it exists, else the one of the declared name.
    const found = (inv ? pipelines.find((p) => p.id === inv.id) : undefined) ?? (d ? pipelines.find((p) => p.name === d.name) : undefined);
    if (!found) continue;
    const w = wanted.get(found.id) ?? { stages: new Set<string>(), reviewApps: false };
    for (const stage of [...Object.keys(d?.config ?? {}), ...Object.keys(inv?.stageConfig ?? {})]) w.stages.add(stage);
    if (d?.reviewApps || inv?.reviewApps) w.reviewApps = true;
    wanted.set(found.id, w);
  }
  const stageConfig: NonNullable<LivePipelines['stageConfig']> = {};
  const reviewApps: NonNullable<LivePipelines['reviewApps']> = {};
  const reads: Array<Promise<void>> = [];
  for (const [id, w] of wanted) {
    for (const stage of w.stages) {
      reads.push(
        getConfigVars(client, { pipeline: id, stage }, { signal }).then((c) => {
          (stageConfig[id] ??= {})[stage] = c;
        }),
      );
    }
    if (w.reviewApps) reads.push(getReviewApps(client, id, { signal }).then((r) => void (reviewApps[id] = r ? r.value : null)));
  }
  await Promise.all(reads);
  return { ...(Object.keys(stageConfig).length > 0 ? { stageConfig } : {}), ...(Object.keys(reviewApps).length > 0 ? { reviewApps } : {}) };
}

/**
 * Team members, only for the teams the YAML declares or the state owns
 * members of: one list per team. The account's e-mail costs one more read,
 * made only when the plan could remove or demote someone (who must not be
 * the account itself).
 */
async function readTeams(client: HerokuClient, desired: DesiredState, inventory: Inventory | undefined, signal: AbortSignal | undefined): Promise<LiveTeams | undefined> {
  const owned = inventory?.teams ?? {};
  const names = [...new Set([...Object.keys(desired.teams ?? {}), ...Object.keys(owned).filter((t) => Object.keys(owned[t]!.members).length > 0)])].sort();
  if (names.length === 0) return undefined;
  const lists = await Promise.all(names.map((t) => listMembers(client, t, { signal })));
  const members: LiveTeams['members'] = {};
  let risky = false;
  names.forEach((team, i) => {
    const live = lists[i]?.members ?? null;
    members[team] = live;
    if (!live) return;
    const declared = desired.teams?.[team]?.members ?? {};
    const leaving = Object.keys(owned[team]?.members ?? {}).some((e) => declared[e] === undefined && live.some((m) => m.email === e || m.id === owned[team]!.members[e]!.id));
    const demoted = live.some((m) => m.role === 'admin' && declared[m.email] !== undefined && declared[m.email]!.role !== 'admin');
    risky ||= leaving || demoted;
  });
  return { members, ...(risky ? { accountEmail: await accountEmail(client, { signal }) } : {}) };
}

/** Account features, only when the YAML declares `account:` features or the state owns some: one list. */
async function readAccount(client: HerokuClient, desired: DesiredState, inventory: Inventory | undefined, signal: AbortSignal | undefined): Promise<LiveAccount | undefined> {
  if (Object.keys(desired.account?.features ?? {}).length === 0 && Object.keys(inventory?.account?.features ?? {}).length === 0) return undefined;
  return { features: await listAccountFeatures(client, { signal }) };
}

/**
 * The config var names add-on attachments inject into an app. An add-on
 * lists its vars as seen through its primary attachment (DATABASE →
 * DATABASE_URL); each attachment exposes the same suffixes under its own
 * name (FOLLOWER → FOLLOWER_URL).
 */
export function addonConfigVarsFor(appId: string, addons: LiveAddon[], attachments: AttachmentRecord[]): string[] {
  const byId = new Map(addons.map((a) => [a.id, a]));
  const names = new Set<string>();
  for (const at of attachments) {
    if (at.appId !== appId) continue;
    const addon = byId.get(at.addonId);
    if (!addon) continue;
    const prefixes = attachments.filter((x) => x.addonId === addon.id).map((x) => x.name);
    for (const v of varSuffixes(addon, prefixes)) names.add(v.suffix === undefined ? v.whole : at.name + v.suffix);
  }
  return [...names].sort();
}

/** Each of the add-on's vars as a suffix after an attachment-name prefix, or whole when none fits. */
function varSuffixes(addon: LiveAddon, attachmentNames: string[]): Array<{ whole: string; suffix?: string }> {
  const servicePrefix = addon.service.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  const candidates = [...attachmentNames, servicePrefix].filter((p) => p !== '').sort((a, b) => b.length - a.length);
  return addon.configVars.map((whole) => {
    const p = candidates.find((c) => whole.startsWith(c + '_'));
    return p === undefined ? { whole } : { whole, suffix: whole.slice(p.length) };
  });
}
