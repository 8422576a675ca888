import { createHash } from 'node:crypto';
import type { Diagnostic } from '../model/diagnostic.js';
import type { ResourceKind } from '../model/address.js';
import type { Operation, Plan } from '../model/plan.js';
import { PLAN_FORMAT_VERSION } from '../model/plan.js';
import type { FingerprintKeys } from '../util/fingerprint.js';
import { canonicalJson, checkSignature, signContent } from '../util/plan-signature.js';

/**
 * The saved plan file (`plan -o PLANFILE`): the Plan as JSON inside an
 * envelope that names the format, its version, a checksum of the plan and,
 * when a fingerprint key is configured, a signature. A plan holds no secret
 * value (secrets are represented by keyed fingerprints), so the file may be
 * kept as a CI artifact. The checksum catches truncation; only the signature
 * stops a deliberate edit (anyone can recompute a checksum), and apply
 * re-derives the plan's changes from the YAML and the live state whether it
 * is signed or not (docs/security.md).
 */
export const PLAN_FILE_FORMAT = 'dynoform-plan';

interface Envelope {
  format: typeof PLAN_FILE_FORMAT;
  format_version: number;
  dynoform_version: string;
  checksum: string;
  /** HMAC over signedContent(), keyed from the fingerprint key; absent when none was configured. */
  signature?: string;
  plan: Plan;
}

/** Codes of a plan file that may have been edited (CLI: exit 3, like a stale plan), as opposed to one that is not a plan at all. */
export const UNTRUSTED_PLAN_CODES: readonly string[] = ['plan-file-modified', 'plan-file-unsigned', 'plan-file-unverifiable', 'plan-file-other-key'];

export interface PlanFileOptions {
  /** The fingerprint keys (DYNOFORM_FINGERPRINT_KEY): the file is signed, and a file read is checked, with a sub-key derived from them. */
  keys?: FingerprintKeys;
}

/** What the signature covers: everything in the file but the checksum and the signature. */
function signedContent(doc: { format: unknown; format_version: unknown; dynoform_version: unknown; plan: unknown }): string {
  return canonicalJson({ format: doc.format, format_version: doc.format_version, dynoform_version: doc.dynoform_version, plan: doc.plan });
}

function checksum(planJson: string): string {
  return 'sha256:' + createHash('sha256').update(planJson).digest('hex');
}

export function serializePlan(plan: Plan, options: PlanFileOptions = {}): string {
  const head = { format: PLAN_FILE_FORMAT, format_version: plan.formatVersion, dynoform_version: plan.dynoformVersion } as const;
  const envelope: Envelope = {
    ...head,
    checksum: checksum(JSON.stringify(plan)),
    ...(options.keys ? { signature: signContent(signedContent({ ...head, plan }), options.keys) } : {}),
    plan,
  };
  return JSON.stringify(envelope, null, 2) + '\n';
}

/**
 * Reads a plan file; refuses (with diagnostics, never a throw) anything
 * malformed, modified or newer than this dynoform. With `keys` the
 * signature must be there and hold; without, a signed file is refused
 * (it cannot be checked here) and an unsigned one passes with a warning.
 */
export function parsePlan(text: string, source: string, options: PlanFileOptions = {}): { plan?: Plan; diagnostics: Diagnostic[] } {
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
  const signature = doc.signature;
  if (signature !== undefined && typeof signature !== 'string') return fail('plan-file-malformed', 'signature must be a string');
  const warnings: Diagnostic[] = [];
  if (options.keys) {
    if (signature === undefined) {
      return fail(
        'plan-file-unsigned',
        'the plan is not signed (it was made without DYNOFORM_FINGERPRINT_KEY), but this apply has the key: a signature may have been stripped; make the plan again with the key set',
      );
    }
    const check = checkSignature(signedContent(doc as Parameters<typeof signedContent>[0]), signature, options.keys);
    if (check === 'unknown-key') {
      return fail(
        'plan-file-other-key',
        'the plan was signed with another key than DYNOFORM_FINGERPRINT_KEY (or DYNOFORM_FINGERPRINT_KEY_PREVIOUS): set the key the plan was made with, or make the plan again',
      );
    }
    if (check === 'invalid') return fail('plan-file-modified', 'the plan does not match its signature: the file was changed after it was written; make the plan again');
  } else if (signature !== undefined) {
    return fail(
      'plan-file-unverifiable',
      'the plan is signed, but DYNOFORM_FINGERPRINT_KEY is not set here, so the signature cannot be checked: set the key the plan was made with',
    );
  } else {
    warnings.push({
      severity: 'warning',
      code: 'plan-file-unsigned',
      message: `${source}: the plan is not signed (no DYNOFORM_FINGERPRINT_KEY when it was made or now): apply trusts it only as far as re-deriving its changes from the YAML and the live state proves it`,
      file: source,
    });
  }
  const problem = validatePlan(doc.plan, version);
  if (problem) return fail('plan-file-malformed', `invalid plan: ${problem}`);
  return { plan: doc.plan as unknown as Plan, diagnostics: warnings };
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const ACTIONS = new Set(['create', 'update', 'delete', 'adopt', 'replace-refused', 'blocked', 'waiting', 'noop']);
// Records over the model's unions, so a kind or operation added there cannot be
// forgotten here (a saved plan holding it would be refused as unknown).
const KIND_NAMES: Record<ResourceKind, true> = {
  app: true,
  config: true,
  addon: true,
  formation: true,
  domain: true,
  drain: true,
  buildpacks: true,
  feature: true,
  certificate: true,
  acm: true,
  team: true,
  collaborator: true,
  webhook: true,
  attachment: true,
  pipeline: true,
  coupling: true,
  'stage-config': true,
  'review-apps': true,
  member: true,
  'account-feature': true,
};
const OP_NAMES: Record<Operation['type'], true> = {
  'account-feature.set': true,
  'acm.set': true,
  'addon.adopt': true,
  'addon.create': true,
  'addon.delete': true,
  'addon.update': true,
  'app.adopt': true,
  'app.create': true,
  'app.delete': true,
  'app.update': true,
  'attachment.adopt': true,
  'attachment.create': true,
  'attachment.delete': true,
  'buildpacks.set': true,
  'certificate.adopt': true,
  'certificate.create': true,
  'certificate.delete': true,
  'certificate.update': true,
  'collaborator.adopt': true,
  'collaborator.create': true,
  'collaborator.delete': true,
  'collaborator.update': true,
  'config.patch': true,
  'coupling.adopt': true,
  'coupling.create': true,
  'coupling.delete': true,
  'coupling.update': true,
  'domain.adopt': true,
  'domain.create': true,
  'domain.delete': true,
  'domain.update': true,
  'drain.adopt': true,
  'drain.create': true,
  'drain.delete': true,
  'feature.set': true,
  'formation.batch': true,
  'member.create': true,
  'member.delete': true,
  'member.update': true,
  'none': true,
  'pipeline.adopt': true,
  'pipeline.create': true,
  'pipeline.delete': true,
  'pipeline.update': true,
  'review-apps.adopt': true,
  'review-apps.disable': true,
  'review-apps.enable': true,
  'review-apps.update': true,
  'stage-config.patch': true,
  'state.forget': true,
  'team.set': true,
  'webhook.adopt': true,
  'webhook.create': true,
  'webhook.delete': true,
  'webhook.update': true,
};
const KINDS = new Set<string>(Object.keys(KIND_NAMES));
const OPS = new Set<string>(Object.keys(OP_NAMES));

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
  if (p.account !== undefined && !(isObject(p.account) && typeof p.account.id === 'string' && typeof p.account.email === 'string')) {
    return 'account must be an object with an id and an email';
  }
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
