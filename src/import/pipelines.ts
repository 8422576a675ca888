import { PIPELINE_STAGES, type PipelineStage } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { InventoryPipeline } from '../model/inventory.js';
import type { LiveCoupling, LivePipeline } from '../model/live.js';
import { listApps } from '../providers/heroku/apps.js';
import type { HerokuClient } from '../providers/heroku/client.js';
import { findPipeline, listPipelineCouplings, listTeamIds } from '../providers/heroku/pipelines.js';

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
}

export interface ReadPipelinesResult {
  pipelines: Array<{ pipeline: LivePipeline; couplings: LiveCoupling[]; team?: string }>;
  /** App id → name, for every coupled app. */
  appNames: Record<string, string>;
  notFound: string[];
}

/**
 * Reads pipelines to import, by name: the pipeline, its couplings, the app
 * list (couplings name apps by id) and, for team-owned pipelines, the team
 * list (owners are named by id).
 */
export async function readPipelinesToImport(client: HerokuClient, names: readonly string[], opts: { signal?: AbortSignal } = {}): Promise<ReadPipelinesResult> {
  const found = await Promise.all(names.map(async (n) => ({ n, p: await findPipeline(client, n, opts) })));
  const notFound = found.filter((f) => !f.p).map((f) => f.n);
  const present = found.flatMap((f) => (f.p ? [f.p] : []));
  if (present.length === 0) return { pipelines: [], appNames: {}, notFound };
  const wantTeams = present.some((p) => p.owner?.type === 'team');
  const [couplings, apps, teams] = await Promise.all([
    Promise.all(present.map((p) => listPipelineCouplings(client, p.id, opts))),
    listApps(client, opts),
    wantTeams ? listTeamIds(client, opts) : Promise.resolve({} as Record<string, string>),
  ]);
  const appNames = Object.fromEntries(apps.map((a) => [a.id, a.name]));
  const teamById = Object.fromEntries(Object.entries(teams).map(([name, id]) => [id, name]));
  return {
    pipelines: present.map((pipeline, i) => {
      const team = pipeline.owner?.type === 'team' ? teamById[pipeline.owner.id] : undefined;
      return { pipeline, couplings: couplings[i]!, ...(team !== undefined ? { team } : {}) };
    }),
    appNames,
    notFound,
  };
}

/** Pure: the pipelines as the YAML declares them; couplings the YAML cannot express are left out with a note. */
export function planPipelineImport(read: ReadPipelinesResult, diagnostics: Diagnostic[]): ImportedPipeline[] {
  return read.pipelines.map(({ pipeline, couplings, team }) => {
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
    return { key: pipeline.name, id: pipeline.id, name: pipeline.name, ...(team !== undefined ? { team } : {}), couplings: out };
  });
}

export function inventoryForPipeline(p: ImportedPipeline): InventoryPipeline {
  return {
    key: p.key,
    id: p.id,
    name: p.name,
    protect: true,
    created: false,
    couplings: Object.fromEntries(p.couplings.map((c) => [c.app, { id: c.id, appId: c.appId, stage: c.stage }])),
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
    out[p.key] = { ...(p.team !== undefined ? { team: p.team } : {}), stages };
  }
  return out;
}
