import { createHash } from 'node:crypto';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Plan } from '../model/plan.js';
import { PLAN_FORMAT_VERSION } from '../model/plan.js';

/**
 * The saved plan file (`plan -o PLANFILE`): the Plan as JSON inside an
 * envelope that names the format, its version and a checksum of the plan.
 * A plan holds no secret value (secrets are represented by slow, salted
 * fingerprints), so the file may be kept as a CI artifact. The checksum
 * catches truncation and hand edits: what is applied is what was reviewed.
 */
export const PLAN_FILE_FORMAT = 'dynoform-plan';

interface Envelope {
  format: typeof PLAN_FILE_FORMAT;
  format_version: number;
  dynoform_version: string;
  checksum: string;
  plan: Plan;
}

function checksum(planJson: string): string {
  return 'sha256:' + createHash('sha256').update(planJson).digest('hex');
}

export function serializePlan(plan: Plan): string {
  const envelope: Envelope = {
    format: PLAN_FILE_FORMAT,
    format_version: plan.formatVersion,
    dynoform_version: plan.dynoformVersion,
    checksum: checksum(JSON.stringify(plan)),
    plan,
  };
  return JSON.stringify(envelope, null, 2) + '\n';
}

/** Reads a plan file; refuses (with diagnostics, never a throw) anything malformed, modified or newer than this dynoform. */
export function parsePlan(text: string, source: string): { plan?: Plan; diagnostics: Diagnostic[] } {
  const fail = (code: string, message: string): { diagnostics: Diagnostic[] } => ({
    // The file is the diagnostic's location: shown as `plan.json: error: …`, once.
    diagnostics: [{ severity: 'error', code, message, file: source }],
  });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return fail('plan-file-malformed', `not a dynoform plan file: it is not valid JSON (${jsonProblem(err)})`);
  }
  if (!isObject(doc) || doc.format !== PLAN_FILE_FORMAT) {
    return fail('plan-file-not-a-plan', `not a dynoform plan file (expected "format": "${PLAN_FILE_FORMAT}"); write one with \`dynoform plan -o FILE\``);
  }
  const version = doc.format_version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return fail('plan-file-malformed', `unknown plan format version ${JSON.stringify(version)}`);
  }
  if (version > PLAN_FORMAT_VERSION) {
    const by = typeof doc.dynoform_version === 'string' ? ` by dynoform ${doc.dynoform_version}` : '';
    return fail(
      'plan-file-newer',
      `written${by} in plan format ${version}, but this dynoform reads plan format ${PLAN_FORMAT_VERSION} at most: upgrade dynoform, or make the plan again with this version`,
    );
  }
  if (!isObject(doc.plan)) return fail('plan-file-malformed', 'the file has no plan');
  if (typeof doc.checksum !== 'string' || doc.checksum !== checksum(JSON.stringify(doc.plan))) {
    return fail('plan-file-modified', 'the plan does not match its checksum: the file was changed or truncated after it was written; make the plan again');
  }
  const problem = validatePlan(doc.plan, version);
  if (problem) return fail('plan-file-malformed', `invalid plan: ${problem}`);
  return { plan: doc.plan as unknown as Plan, diagnostics: [] };
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const ACTIONS = new Set(['create', 'update', 'delete', 'adopt', 'replace-refused', 'blocked', 'waiting', 'noop']);
const KINDS = new Set(['app', 'config', 'addon', 'formation', 'domain', 'drain', 'buildpacks', 'feature', 'certificate', 'acm', 'team', 'collaborator', 'webhook', 'attachment', 'pipeline', 'coupling']);
const OPS = new Set([
  'app.create',
  'app.update',
  'app.adopt',
  'app.delete',
  'config.patch',
  'addon.create',
  'addon.update',
  'addon.adopt',
  'addon.delete',
  'formation.batch',
  'domain.create',
  'domain.update',
  'domain.adopt',
  'domain.delete',
  'drain.create',
  'drain.adopt',
  'drain.delete',
  'buildpacks.set',
  'feature.set',
  'certificate.create',
  'certificate.update',
  'certificate.adopt',
  'certificate.delete',
  'acm.set',
  'pipeline.create',
  'pipeline.update',
  'pipeline.adopt',
  'pipeline.delete',
  'coupling.create',
  'coupling.update',
  'coupling.adopt',
  'coupling.delete',
  'team.set',
  'collaborator.create',
  'collaborator.update',
  'collaborator.adopt',
  'collaborator.delete',
  'webhook.create',
  'webhook.update',
  'webhook.adopt',
  'webhook.delete',
  'attachment.create',
  'attachment.adopt',
  'attachment.delete',
  'state.forget',
  'none',
]);

const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isStringArray = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The structure apply relies on; the first problem found, or undefined. */
function validatePlan(p: Obj, version: number): string | undefined {
  if (p.formatVersion !== version) return `formatVersion ${JSON.stringify(p.formatVersion)} does not match the file's format_version ${version}`;
  for (const f of ['dynoformVersion', 'createdAt', 'apiUrl', 'lineage'] as const) {
    if (typeof p[f] !== 'string') return `${f} must be a string`;
  }
  if (!isCount(p.serial)) return 'serial must be a non-negative integer';
  if (!isStringArray(p.files)) return 'files must be a list of strings';
  if (p.targets !== undefined && !isStringArray(p.targets)) return 'targets must be a list of strings';
  if (p.environment !== undefined && (typeof p.environment !== 'string' || !/^[a-z][a-z0-9-]{0,39}$/.test(p.environment))) return 'environment must be an environment name';
  if (p.state !== undefined && (typeof p.state !== 'string' || p.state === '' || p.state.length > 4096)) return 'state must be a non-empty string';
  if (!Array.isArray(p.changes)) return 'changes must be a list';
  if (!Array.isArray(p.diagnostics)) return 'diagnostics must be a list';
  if (p.configReads !== undefined) {
    if (!isObject(p.configReads) || !isCount(p.configReads.read) || !isCount(p.configReads.skipped)) return 'configReads must hold the counts read and skipped';
    if (!isObject(p.configReads.reasons) || !Object.values(p.configReads.reasons).every(isCount)) return 'configReads.reasons must map reasons to counts';
  }
  if (!isObject(p.summary)) return 'summary must be an object';
  for (const f of ['create', 'update', 'delete', 'adopt', 'blocked', 'replaceRefused', 'waiting', 'releases', 'requests']) {
    if (!isCount(p.summary[f])) return `summary.${f} must be a non-negative integer`;
  }
  const ids = new Set<string>();
  for (const [i, c] of p.changes.entries()) {
    const at = `changes[${i}]`;
    if (!isObject(c)) return `${at} must be an object`;
    for (const f of ['id', 'address', 'app'] as const) if (typeof c[f] !== 'string') return `${at}.${f} must be a string`;
    if (ids.has(c.id as string)) return `${at}.id ${JSON.stringify(c.id)} is not unique`;
    ids.add(c.id as string);
    if (!KINDS.has(c.kind as string)) return `${at}.kind ${JSON.stringify(c.kind)} is unknown`;
    if (!ACTIONS.has(c.action as string)) return `${at}.action ${JSON.stringify(c.action)} is unknown`;
    if (!isObject(c.op) || !OPS.has(c.op.type as string)) return `${at}.op has an unknown type`;
    if (!isObject(c.guard)) return `${at}.guard must be an object`;
    if (!Array.isArray(c.patch)) return `${at}.patch must be a list`;
    if (!isStringArray(c.dependsOn)) return `${at}.dependsOn must be a list of change ids`;
    if (!isObject(c.sideEffects) || !isCount(c.sideEffects.releases)) return `${at}.sideEffects.releases must be a non-negative integer`;
    if (!isCount(c.requests)) return `${at}.requests must be a non-negative integer`;
    if (c.before !== null && !isObject(c.before)) return `${at}.before must be an object or null`;
    if (c.after !== null && !isObject(c.after)) return `${at}.after must be an object or null`;
  }
  for (const [i, c] of (p.changes as Obj[]).entries()) {
    for (const d of c.dependsOn as string[]) if (!ids.has(d)) return `changes[${i}] depends on ${JSON.stringify(d)}, which is not in the plan`;
  }
  return undefined;
}

/**
 * JSON.parse's complaint without its quote of the text (`"junk\n" is not
 * valid JSON`): a line break there splits the error line, and an untrusted
 * file's content is not worth echoing; the position is what helps.
 */
function jsonProblem(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/, "[\s\S]*" is not valid JSON$/, '').replace(/\s+/g, ' ').trim();
}
