import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';
import {
  CONFIG_STAGES,
  PIPELINE_STAGES,
  type ConfigMode,
  type DesiredCoupling,
  type DesiredPipeline,
  type DesiredReviewApps,
  type PipelineStage,
} from '../model/desired.js';
import type { AppBuilder } from './build.js';
import { formatPipelineAddress } from '../util/address.js';
import { Code } from './codes.js';
import { entryLoc, nodeLoc, type PEntry, type PMap } from './tree.js';

const q = (s: unknown): string => JSON.stringify(s);
const where = (loc: SourceLocation): string => `${loc.file}:${loc.line}:${loc.col}`;

/** One `pipelines:` entry that passed the schema, with the file it came from. */
export interface PipelineEntry {
  key: string;
  entry: PEntry;
}

/**
 * Builds the declared pipelines (their schema already passed), with the
 * checks the schema cannot express: each coupled app is declared under
 * `apps:`, an app is coupled once across all pipelines, and pipeline names
 * are unique (Heroku keeps them unique per owner; one set of files
 * describing two pipelines of one name is a mistake either way).
 */
export function buildPipelines(
  entries: PipelineEntry[],
  declaredApps: ReadonlySet<string>,
  diagnostics: Diagnostic[],
  builder: Pick<AppBuilder, 'configValues'>,
): Record<string, DesiredPipeline> {
  const out: Record<string, DesiredPipeline> = {};
  const coupled = new Map<string, { pipeline: string; loc: SourceLocation }>();
  const names = new Map<string, DesiredPipeline>();
  for (const { key, entry } of entries) {
    if (entry.node.kind !== 'map') continue;
    const p = buildOne(key, entry, entry.node, declaredApps, coupled, diagnostics);
    stageConfig(p, entry.node, builder);
    const ra = entry.node.entries.get('review_apps');
    if (ra && ra.node.kind === 'map') p.reviewApps = reviewApps(ra, ra.node);
    const same = names.get(p.name);
    if (same && same.loc && p.loc) {
      diagnostics.push({
        severity: 'error',
        code: Code.duplicatePipelineName,
        message: `pipeline ${q(key)} has the Heroku name ${q(p.name)}, as pipeline ${q(same.key)} does (at ${where(same.loc)})`,
        ...(p.fieldLocs?.['name'] ?? p.loc),
        address: formatPipelineAddress(key),
        related: [same.loc],
      });
    } else names.set(p.name, p);
    out[key] = p;
  }
  return out;
}

function buildOne(
  key: string,
  declaredAt: PEntry,
  node: PMap,
  declaredApps: ReadonlySet<string>,
  coupled: Map<string, { pipeline: string; loc: SourceLocation }>,
  diagnostics: Diagnostic[],
): DesiredPipeline {
  const e = node.entries;
  const scalar = (f: string): unknown => {
    const n = e.get(f)?.node;
    return n && n.kind === 'scalar' ? n.value : undefined;
  };
  const fieldLocs: Record<string, SourceLocation> = {};
  for (const f of ['name', 'team', 'protect', 'stages', 'config', 'config_mode', 'review_apps']) {
    const fe = e.get(f);
    if (fe) fieldLocs[f] = entryLoc(fe);
  }
  const name = scalar('name');
  const team = scalar('team');
  const protect = scalar('protect');
  const p: DesiredPipeline = {
    key,
    name: typeof name === 'string' ? name : key,
    protect: typeof protect === 'boolean' ? protect : true,
    couplings: {},
    configMode: scalar('config_mode') === 'exclusive' ? 'exclusive' : ('merge' satisfies ConfigMode),
    loc: entryLoc(declaredAt),
    fieldLocs,
  };
  if (typeof team === 'string') p.team = team;

  const stages = e.get('stages')?.node;
  if (stages?.kind !== 'map') return p;
  for (const stage of PIPELINE_STAGES) {
    const se = stages.entries.get(stage);
    if (!se) continue;
    fieldLocs[`stages.${stage}`] = entryLoc(se);
    if (se.node.kind !== 'seq') continue;
    for (const item of se.node.items) {
      if (item.kind !== 'scalar' || typeof item.value !== 'string') continue;
      const app = item.value;
      const loc = nodeLoc(item);
      const address = formatPipelineAddress(key, app);
      if (!declaredApps.has(app)) {
        diagnostics.push({
          severity: 'error',
          code: Code.undeclaredCouplingApp,
          message: `stage ${stage} of pipeline ${q(key)} lists ${q(app)}, which is not declared under apps: (a pipeline couples apps by their key)`,
          ...loc,
          address,
        });
        continue;
      }
      const first = coupled.get(app);
      if (first) {
        diagnostics.push({
          severity: 'error',
          code: Code.duplicateCoupling,
          message: `app ${q(app)} is already coupled ${first.pipeline === key ? 'in this pipeline' : `in pipeline ${q(first.pipeline)}`} (at ${where(first.loc)}): an app is in one stage of one pipeline`,
          ...loc,
          address,
          related: [first.loc],
        });
        continue;
      }
      coupled.set(app, { pipeline: key, loc });
      const c: DesiredCoupling = { app, stage: stage as PipelineStage, loc };
      p.couplings[app] = c;
    }
  }
  return p;
}

/** `config.review` and `config.test`: built by the app config builder, so the same rules and messages apply. */
function stageConfig(p: DesiredPipeline, node: PMap, builder: Pick<AppBuilder, 'configValues'>): void {
  const config = node.entries.get('config')?.node;
  if (config?.kind !== 'map') return;
  for (const stage of CONFIG_STAGES) {
    const se = config.entries.get(stage);
    if (!se) continue;
    p.fieldLocs![`config.${stage}`] = entryLoc(se);
    const values = builder.configValues(se.node, () => formatPipelineAddress(p.key, { config: stage }));
    p.config = { ...p.config, [stage]: values };
  }
}

function reviewApps(at: PEntry, node: PMap): DesiredReviewApps {
  const e = node.entries;
  const value = (f: string): unknown => {
    const n = e.get(f)?.node;
    if (!n) return undefined;
    if (n.kind === 'scalar') return n.value;
    if (n.kind === 'map') return Object.fromEntries([...n.entries].map(([k, v]) => [k, v.node.kind === 'scalar' ? v.node.value : undefined]));
    return undefined;
  };
  const fieldLocs: Record<string, SourceLocation> = {};
  for (const [f, fe] of e) fieldLocs[f] = entryLoc(fe);
  const r: DesiredReviewApps = { repo: String(value('repo') ?? ''), loc: entryLoc(at), fieldLocs };
  const b = (f: string): boolean | undefined => (typeof value(f) === 'boolean' ? (value(f) as boolean) : undefined);
  const automatic = b('automatic_review_apps');
  const destroy = b('destroy_stale_apps');
  const wait = b('wait_for_ci');
  if (automatic !== undefined) r.automaticReviewApps = automatic;
  if (destroy !== undefined) r.destroyStaleApps = destroy;
  if (wait !== undefined) r.waitForCi = wait;
  const days = value('stale_days');
  if (typeof days === 'number') r.staleDays = days;
  if (e.has('base_name')) {
    const bn = value('base_name');
    r.baseName = typeof bn === 'string' ? bn : null;
  }
  if (e.has('deploy_target')) {
    const t = value('deploy_target') as { id?: unknown; type?: unknown } | null | undefined;
    r.deployTarget = t && typeof t.id === 'string' && (t.type === 'region' || t.type === 'space') ? { id: t.id, type: t.type } : null;
  }
  return r;
}
