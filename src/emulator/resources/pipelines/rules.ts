import { forbidden, invalidParams, notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AccountRecord, AppRecord, CouplingRecord, PipelineRecord } from '../../store/records.js';
import { isUuid } from '../catalogue/data.js';
import { findTeam, membershipOf } from '../teams/rules.js';

export const STAGES = ['test', 'review', 'development', 'staging', 'production'] as const;
type Stage = CouplingRecord['stage'];

/** The schema's pipeline name pattern. */
const NAME = /^[a-z][a-z0-9-]*$/;

/** A pipeline is visible to the user who owns it, a team-owned one to the team's members. */
function canSee(p: Platform, account: AccountRecord, pipeline: PipelineRecord): boolean {
  if (pipeline.ownerType === 'user') return pipeline.ownerId === account.id;
  const team = p.store.teams.get(pipeline.ownerId);
  return team !== undefined && membershipOf(p, team, account) !== undefined;
}

export function pipelinesOf(p: Platform, account: AccountRecord): PipelineRecord[] {
  return [...p.store.pipelines.values()].filter((x) => canSee(p, account, x));
}

export function findPipeline(p: Platform, account: AccountRecord, key: string): PipelineRecord {
  const found = isUuid(key) ? p.store.pipelines.get(key.toLowerCase()) : pipelinesOf(p, account).find((x) => x.name === key);
  if (!found || !canSee(p, account, found)) throw notFound("Couldn't find that pipeline.", 'pipeline');
  return found;
}

function checkName(name: string): void {
  if (!NAME.test(name) || name.length > 30) {
    throw invalidParams(`Invalid params: name ${JSON.stringify(name)} must start with a letter and contain only lowercase letters, numbers and dashes (at most 30 characters).`);
  }
}

function nameTaken(p: Platform, ownerId: string, name: string, except?: string): boolean {
  return [...p.store.pipelines.values()].some((x) => x.ownerId === ownerId && x.name === name && x.id !== except);
}

export function createPipeline(p: Platform, account: AccountRecord, body: { name: string; owner?: { id: string; type: string } | null }): PipelineRecord {
  checkName(body.name);
  const owner = body.owner ?? { id: account.id, type: 'user' };
  let ownerId = account.id;
  if (owner.type === 'team') {
    const team = findTeam(p, account, owner.id);
    if (membershipOf(p, team, account)?.role === 'viewer') throw forbidden(`A viewer of the team ${team.name} cannot create its pipelines.`);
    ownerId = team.id;
  } else if (owner.id !== account.id && owner.id.toLowerCase() !== account.email.toLowerCase()) {
    throw forbidden('You can only create pipelines owned by yourself or by a team you belong to.');
  }
  if (nameTaken(p, ownerId, body.name)) throw invalidParams('Name has already been taken.');
  const now = p.now();
  const rec: PipelineRecord = { id: p.uuid(), name: body.name, ownerId, ownerType: owner.type === 'team' ? 'team' : 'user', createdAt: now, updatedAt: now };
  p.store.pipelines.set(rec.id, rec);
  p.changed();
  return rec;
}

export function renamePipeline(p: Platform, pipeline: PipelineRecord, name: string | undefined): PipelineRecord {
  if (name === undefined || name === pipeline.name) return pipeline;
  checkName(name);
  if (nameTaken(p, pipeline.ownerId, name, pipeline.id)) throw invalidParams('Name has already been taken.');
  const next = { ...pipeline, name, updatedAt: p.now() };
  p.store.pipelines.set(next.id, next);
  p.changed();
  return next;
}

/** Deleting a pipeline removes its couplings; the apps stay. */
export function deletePipeline(p: Platform, pipeline: PipelineRecord): PipelineRecord {
  for (const c of [...p.store.couplings.values()]) if (c.pipelineId === pipeline.id) p.store.couplings.delete(c.id);
  p.store.pipelines.delete(pipeline.id);
  p.changed();
  return pipeline;
}

export function couplingsOf(p: Platform, pipeline: PipelineRecord): CouplingRecord[] {
  return [...p.store.couplings.values()].filter((c) => c.pipelineId === pipeline.id);
}

/** The couplings of every pipeline the account can see. */
export function visibleCouplings(p: Platform, account: AccountRecord): CouplingRecord[] {
  const ids = new Set(pipelinesOf(p, account).map((x) => x.id));
  return [...p.store.couplings.values()].filter((c) => ids.has(c.pipelineId));
}

export function couplingOfApp(p: Platform, app: AppRecord): CouplingRecord | undefined {
  return [...p.store.couplings.values()].find((c) => c.appId === app.id);
}

export function findCoupling(p: Platform, account: AccountRecord, id: string): CouplingRecord {
  const c = isUuid(id) ? p.store.couplings.get(id.toLowerCase()) : undefined;
  if (!c || !visibleCouplings(p, account).some((x) => x.id === c.id)) throw notFound("Couldn't find that pipeline coupling.", 'pipeline_coupling');
  return c;
}

function checkStage(stage: string): Stage {
  if (!(STAGES as readonly string[]).includes(stage)) throw invalidParams(`Invalid params: stage must be one of ${STAGES.join(', ')}.`);
  return stage as Stage;
}

/** One coupling per app: an app already in a pipeline is refused, as the API does. */
export function createCoupling(p: Platform, app: AppRecord, pipeline: PipelineRecord, stageIn: string): CouplingRecord {
  const stage = checkStage(stageIn);
  if (couplingOfApp(p, app)) throw invalidParams(`${app.name} is already a member of a pipeline.`);
  const now = p.now();
  const c: CouplingRecord = { id: p.uuid(), appId: app.id, pipelineId: pipeline.id, stage, createdAt: now, updatedAt: now };
  p.store.couplings.set(c.id, c);
  p.changed();
  return c;
}

export function updateCoupling(p: Platform, c: CouplingRecord, stageIn: string | undefined): CouplingRecord {
  if (stageIn === undefined) return c;
  const next = { ...c, stage: checkStage(stageIn), updatedAt: p.now() };
  p.store.couplings.set(next.id, next);
  p.changed();
  return next;
}

export function deleteCoupling(p: Platform, c: CouplingRecord): CouplingRecord {
  p.store.couplings.delete(c.id);
  p.changed();
  return c;
}

/** An app's deletion takes its coupling with it. */
export function dropCouplingsOfApp(p: Platform, appId: string): void {
  for (const c of [...p.store.couplings.values()]) if (c.appId === appId) p.store.couplings.delete(c.id);
}
