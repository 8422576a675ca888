import { CONFIG_STAGES, PIPELINE_STAGES, type ConfigStage, type PipelineStage } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { InventoryPipeline } from '../model/inventory.js';
import type { LiveCoupling, LivePipeline, LiveReviewApps } from '../model/live.js';
import type { ReviewAppSettings } from '../model/plan.js';
import { listApps } from '../providers/heroku/apps.js';
import type { HerokuClient } from '../providers/heroku/client.js';
import { getConfigVars } from '../providers/heroku/config-vars.js';
import { findPipeline, listPipelineCouplings, listTeamIds } from '../providers/heroku/pipelines.js';
import { getPipelineRepo, getReviewApps } from '../providers/heroku/review-apps.js';
import type { Fingerprinter } from '../util/fingerprint.js';
import type { ImportedConfig } from './build.js';
import { escapeLiteral } from './yaml.js';

export interface ImportedCoupling {
  /** The app's key (its name, as import keys apps). */
  app: string;
  appId: string;
  id: string;
  stage: PipelineStage;
}

export interface ImportedPipeline {
  key: string;
  id: string;
  name: string;
  /** The owning team's name; undefined for a user-owned pipeline. */
  team?: string;
  /** In stage order, then by app. */
  couplings: ImportedCoupling[];
  /** Stage config vars, the stages that have any; values decided literal or reference as an app's. */
  config: Partial<Record<ConfigStage, ImportedConfig[]>>;
  /** Review apps when enabled and their repository could be read. */
  reviewApps?: { repo: string; repoId: number | null; settings: ReviewAppSettings };
}

/** What one imported pipeline's parts read as. */
export interface PipelineParts {
  stageConfig: Partial<Record<ConfigStage, Record<string, string>>>;
  reviewApps: LiveReviewApps | null;
  /** The connected repository's `owner/name`, when review apps are enabled and the API says. */
  repo?: string;
}

export interface ReadPipelinesResult {
  pipelines: Array<{ pipeline: LivePipeline; couplings: LiveCoupling[]; team?: string; parts?: PipelineParts }>;
  /** App id → name, for every coupled app. */
  appNames: Record<string, string>;
  notFound: string[];
}

/**
 * Reads pipelines to import, by name: the pipeline, its couplings, the app
 * list (couplings name apps by id) and, for team-owned pipelines, the team
 * list (owners are named by id).
 */
export async function readPipelinesToImport(
  client: HerokuClient,
  names: readonly string[],
  opts: { signal?: AbortSignal; /** Also stage config and review apps (Terraform's import maps neither yet). */ parts?: boolean } = {},
): Promise<ReadPipelinesResult> {
  const found = await Promise.all(names.map(async (n) => ({ n, p: await findPipeline(client, n, opts) })));
  const notFound = found.filter((f) => !f.p).map((f) => f.n);
  const present = found.flatMap((f) => (f.p ? [f.p] : []));
  if (present.length === 0) return { pipelines: [], appNames: {}, notFound };
  const wantTeams = present.some((p) => p.owner?.type === 'team');
  const [couplings, apps, teams, parts] = await Promise.all([
    Promise.all(present.map((p) => listPipelineCouplings(client, p.id, opts))),
    listApps(client, opts),
    wantTeams ? listTeamIds(client, opts) : Promise.resolve({} as Record<string, string>),
    Promise.all(present.map((p) => (opts.parts ? readParts(client, p.id, opts) : undefined))),
  ]);
  const appNames = Object.fromEntries(apps.map((a) => [a.id, a.name]));
  const teamById = Object.fromEntries(Object.entries(teams).map(([name, id]) => [id, name]));
  return {
    pipelines: present.map((pipeline, i) => {
      const team = pipeline.owner?.type === 'team' ? teamById[pipeline.owner.id] : undefined;
      const own = parts[i];
      return { pipeline, couplings: couplings[i]!, ...(team !== undefined ? { team } : {}), ...(own ? { parts: own } : {}) };
    }),
    appNames,
    notFound,
  };
}

/** Stage config of review apps and CI, the review-app settings, and when those are enabled the repository's name: 3–4 GETs. */
async function readParts(client: HerokuClient, id: string, opts: { signal?: AbortSignal }): Promise<PipelineParts> {
  const [configs, reviewApps] = await Promise.all([
    Promise.all(CONFIG_STAGES.map((stage) => getConfigVars(client, { pipeline: id, stage }, opts))),
    getReviewApps(client, id, opts),
  ]);
  const stageConfig: PipelineParts['stageConfig'] = {};
  CONFIG_STAGES.forEach((stage, i) => {
    if (Object.keys(configs[i]!.vars).length > 0) stageConfig[stage] = configs[i]!.vars;
  });
  const repo = reviewApps ? await getPipelineRepo(client, id, opts) : undefined;
  return { stageConfig, reviewApps: reviewApps?.value ?? null, ...(repo !== undefined ? { repo } : {}) };
}

const CONFIG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Every review-app field the API shows, as the YAML declares it (an empty base name and no deploy target are left out). */
function settingsOf(r: LiveReviewApps): ReviewAppSettings {
  return {
    automatic_review_apps: r.automaticReviewApps,
    destroy_stale_apps: r.destroyStaleApps,
    ...(r.staleDays !== null ? { stale_days: r.staleDays } : {}),
    wait_for_ci: r.waitForCi,
    ...(r.baseName !== null ? { base_name: r.baseName } : {}),
    ...(r.deployTarget !== null ? { deploy_target: { id: r.deployTarget.id, type: r.deployTarget.type } } : {}),
  };
}

/** Pure: the pipelines as the YAML declares them; couplings the YAML cannot express are left out with a note. */
export function planPipelineImport(read: ReadPipelinesResult, diagnostics: Diagnostic[]): ImportedPipeline[] {
  return read.pipelines.map(({ pipeline, couplings, team, parts }) => {
    if (pipeline.owner?.type === 'team' && team === undefined) {
      diagnostics.push({
        severity: 'warning',
        code: 'import-pipeline-team-unknown',
        message: `pipeline ${pipeline.name} is owned by team ${pipeline.owner.id}, which is not among the account's teams: team: is left out (the owner is then not managed)`,
        address: `pipeline.${pipeline.name}`,
      });
    }
    const out: ImportedCoupling[] = [];
    for (const c of couplings) {
      const app = read.appNames[c.appId];
      if (!(PIPELINE_STAGES as readonly string[]).includes(c.stage) || app === undefined) {
        diagnostics.push({
          severity: 'warning',
          code: 'import-coupling-skipped',
          message: `pipeline ${pipeline.name}: the coupling of ${app ?? c.appId} (stage ${c.stage}) was left out: ${app === undefined ? 'the app is not visible to this account' : 'the YAML declares review, development, staging and production only'}`,
          address: `pipeline.${pipeline.name}`,
        });
        continue;
      }
      out.push({ app, appId: c.appId, id: c.id, stage: c.stage as PipelineStage });
    }
    out.sort((a, b) => PIPELINE_STAGES.indexOf(a.stage) - PIPELINE_STAGES.indexOf(b.stage) || (a.app < b.app ? -1 : a.app > b.app ? 1 : 0));
    const config: ImportedPipeline['config'] = {};
    for (const [stage, vars] of Object.entries(parts?.stageConfig ?? {}) as Array<[ConfigStage, Record<string, string>]>) {
      const keys = Object.keys(vars).sort();
      for (const k of keys.filter((k) => !CONFIG_KEY.test(k))) {
        diagnostics.push({
          severity: 'warning',
          code: 'import-config-key-skipped',
          message: `pipeline ${pipeline.name}: ${stage}-stage config var ${k} was left out: dynoform config keys must match ${CONFIG_KEY.source}`,
          address: `pipeline.${pipeline.name}/config.${stage}`,
        });
      }
      config[stage] = keys.filter((k) => CONFIG_KEY.test(k)).map((k) => ({ key: k, value: vars[k]! }));
    }
    let reviewApps: ImportedPipeline['reviewApps'];
    if (parts?.reviewApps && parts.repo !== undefined) {
      reviewApps = { repo: parts.repo, repoId: parts.reviewApps.repoId, settings: settingsOf(parts.reviewApps) };
    } else if (parts?.reviewApps) {
      diagnostics.push({
        severity: 'warning',
        code: 'import-review-apps-skipped',
        message: `pipeline ${pipeline.name}: review apps are enabled, but the API did not name their repository (GET /pipelines/{id}/repo): review_apps: is left out (not managed); declare it with repo: OWNER/NAME to manage it`,
        address: `pipeline.${pipeline.name}/review-apps`,
      });
    }
    return { key: pipeline.name, id: pipeline.id, name: pipeline.name, ...(team !== undefined ? { team } : {}), couplings: out, config, ...(reviewApps ? { reviewApps } : {}) };
  });
}

export function inventoryForPipeline(p: ImportedPipeline, fp: Pick<Fingerprinter, 'sync'>): InventoryPipeline {
  const stageConfig: NonNullable<InventoryPipeline['stageConfig']> = {};
  for (const [stage, vars] of Object.entries(p.config)) {
    if (vars.length === 0) continue;
    stageConfig[stage] = Object.fromEntries(
      vars.map((c) => {
        const secret = c.envName !== undefined;
        return [c.key, { fingerprint: fp.sync(c.value, secret), secret }];
      }),
    );
  }
  return {
    key: p.key,
    id: p.id,
    name: p.name,
    protect: true,
    created: false,
    couplings: Object.fromEntries(p.couplings.map((c) => [c.app, { id: c.id, appId: c.appId, stage: c.stage }])),
    ...(Object.keys(stageConfig).length > 0 ? { stageConfig } : {}),
    ...(p.reviewApps ? { reviewApps: { repo: p.reviewApps.repo, repoId: p.reviewApps.repoId, created: false, applied: { ...p.reviewApps.settings } } } : {}),
  };
}

/** The `pipelines:` section, stage by stage. */
export function pipelinesSection(pipelines: readonly ImportedPipeline[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pipelines) {
    const stages: Record<string, string[]> = {};
    for (const s of PIPELINE_STAGES) {
      const apps = p.couplings.filter((c) => c.stage === s).map((c) => c.app);
      if (apps.length > 0) stages[s] = apps;
    }
    const config: Record<string, Record<string, string>> = {};
    for (const stage of CONFIG_STAGES) {
      const vars = p.config[stage];
      if (vars && vars.length > 0) config[stage] = Object.fromEntries(vars.map((c) => [c.key, c.envName !== undefined ? `\${env:${c.envName}}` : escapeLiteral(c.value)]));
    }
    out[p.key] = {
      ...(p.team !== undefined ? { team: p.team } : {}),
      stages,
      ...(Object.keys(config).length > 0 ? { config } : {}),
      ...(p.reviewApps ? { review_apps: { repo: p.reviewApps.repo, ...p.reviewApps.settings } } : {}),
    };
  }
  return out;
}
