import type { Diagnostic } from '../model/diagnostic.js';
import type { Action, Change, ChangeItem, Plan, PlanSummary } from '../model/plan.js';

/** Markers the planner puts in place of values it must not show. */
const MARKER = /^\((sensitive|hidden)\)$/;

export type ItemValue = ChangeItem['before'];

/** A value for display: strings quoted (so spaces and empties show), markers bare. */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return MARKER.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Shortens text to `max` characters with an ellipsis (never below a few characters). */
export function clip(text: string, max: number | undefined): string {
  if (max === undefined || text.length <= max) return text;
  const keep = Math.max(4, max - 1);
  return text.slice(0, keep) + '…';
}

export function isForget(c: Change): boolean {
  return c.op.type === 'state.forget';
}

/** The symbol of a change or item, Terraform-like. */
export function symbolFor(action: Action): string {
  switch (action) {
    case 'create':
      return '+';
    case 'update':
      return '~';
    case 'delete':
      return '-';
    case 'adopt':
      return '<=';
    case 'blocked':
    case 'replace-refused':
      return '!';
    case 'waiting':
      return '?';
    case 'noop':
      return ' ';
  }
}

export function verbFor(c: Change): string {
  switch (c.action) {
    case 'create':
      return 'will be created';
    case 'update':
      return 'will be updated';
    case 'delete':
      return isForget(c) ? 'will be forgotten (already gone)' : 'will be deleted';
    case 'adopt':
      return 'will be adopted';
    case 'blocked':
      return 'is blocked';
    case 'replace-refused':
      return 'cannot be changed in place (refused)';
    case 'waiting':
      return 'is waiting';
    case 'noop':
      return 'is unchanged';
  }
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** 1180 → `1,180`, independent of the machine's locale. */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `2 to create, 1 to update, 0 to delete, 1 to adopt; 1 blocked` */
export function countsLine(s: PlanSummary): string {
  let line = `${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.adopt} to adopt`;
  if (s.forget) line += `, ${s.forget} to forget`;
  const stops: string[] = [];
  if (s.blocked) stops.push(`${s.blocked} blocked`);
  if (s.replaceRefused) stops.push(`${s.replaceRefused} refused`);
  if (s.waiting) stops.push(`${s.waiting} waiting`);
  if (stops.length > 0) line += `; ${stops.join(', ')}`;
  return line;
}

/** `Needs 12 API requests (1,180 remaining).` */
export function requestsLine(s: PlanSummary): string {
  const budget = s.rateLimitRemaining !== undefined ? ` (${thousands(s.rateLimitRemaining)} remaining)` : '';
  return `Needs ${plural(s.requests, 'API request')}${budget}.`;
}

export function releasesLine(s: PlanSummary): string {
  return `${plural(s.releases, 'release')} (dyno restarts).`;
}

/** The one-line verdict every format ends with. */
export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  return `Plan: ${countsLine(s)}. ${releasesLine(s)} ${requestsLine(s)}`;
}

export const NO_CHANGES = 'No changes. Your apps match the configuration.';

const READ_REASONS: Record<string, string> = {
  'refresh-full': '--refresh=full',
  'no-record': 'no record in state yet',
  released: 'released since the record',
  'same-second': 'recorded in the second of a release',
  'needs-values': 'the plan needs their values',
};

/**
 * `Config vars: 998 of 1,000 apps taken from the state's record (no release since apply recorded them); 2 read (2 released since the record).`
 * Undefined when no app had a record to skip by (the first plans, a saved plan of an older version).
 */
export function configReadsLine(plan: Plan): string | undefined {
  const c = plan.configReads;
  // Nothing to say before apply first records configs: every read is then simply a read.
  if (!c || (c.skipped === 0 && Object.keys(c.reasons).every((r) => r === 'no-record'))) return undefined;
  const total = c.read + c.skipped;
  const why = Object.entries(c.reasons)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${thousands(n)} ${READ_REASONS[reason] ?? reason}`)
    .join(', ');
  const read = c.read > 0 ? `${thousands(c.read)} read${why !== '' ? ` (${why})` : ''}` : 'none read';
  const skipped =
    c.skipped > 0
      ? `${thousands(c.skipped)} of ${thousands(total)} apps taken from the state's record, saving ${plural(c.skipped, 'API request')} (no release since apply recorded them); `
      : '';
  return `Config vars: ${skipped}${read}.`;
}

/** True when the plan shows nothing at all to the reader (no change, not even a waiting one). */
export function isEmpty(plan: Plan): boolean {
  return plan.changes.length === 0;
}

/** How a group of changes is titled: `app shop`, or `pipeline shop` for a pipeline's scope (`pipeline.shop`). */
export function scopeTitle(scope: string): string {
  if (scope === 'account.features') return 'account';
  const dot = scope.indexOf('.');
  return dot > 0 ? `${scope.slice(0, dot)} ${scope.slice(dot + 1)}` : `app ${scope}`;
}

/** The address of a scope's root: `app.shop`, or the scope itself for top-level sections (`pipeline.shop`). */
export function scopeAddress(scope: string): string {
  if (scope === 'account.features') return 'account';
  return scope.includes('.') ? scope : `app.${scope}`;
}

/** Changes grouped by app key, apps in sorted order, changes in plan order. */
export function byApp(plan: Plan): [string, Change[]][] {
  const groups = new Map<string, Change[]>();
  for (const c of plan.changes) {
    const list = groups.get(c.app) ?? [];
    list.push(c);
    groups.set(c.app, list);
  }
  return [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * The lines under a change header: its items, or for a whole-object
 * create/delete its fields. `[symbol, text]`, unpainted.
 */
export function detailLines(c: Change, maxValue?: number): [string, string][] {
  const lines: [string, string][] = [];
  if (c.items && c.items.length > 0) {
    const width = Math.max(...c.items.map((i) => i.key.length));
    // Formation items are descriptions like `2 × standard-1X`, not string values: no quotes.
    const show = c.kind === 'formation' ? (v: unknown) => (v === null || v === undefined ? 'null' : String(v)) : formatValue;
    for (const i of c.items) lines.push([symbolFor(i.action), itemText(i, width, maxValue, show)]);
    return lines;
  }
  const fields = c.action === 'delete' || c.action === 'blocked' ? c.before : c.after;
  if (!fields || c.action === 'adopt') return lines;
  const keys = Object.keys(fields).sort();
  const width = keys.length > 0 ? Math.max(...keys.map((k) => k.length)) : 0;
  const sym = c.action === 'create' ? '+' : c.action === 'delete' ? '-' : ' ';
  for (const k of keys) lines.push([sym, `${(k + ':').padEnd(width + 1)} ${clip(formatValue(fields[k]), maxValue)}`]);
  return lines;
}

function itemText(i: ChangeItem, width: number, maxValue: number | undefined, show: (v: unknown) => string): string {
  const key = (i.key + ':').padEnd(width + 1);
  const half = maxValue !== undefined ? Math.max(8, Math.floor(maxValue / 2)) : undefined;
  let value: string;
  switch (i.action) {
    case 'create':
    case 'waiting':
      value = clip(show(i.after), maxValue);
      break;
    case 'delete':
      value = i.before === null || i.before === undefined ? '' : clip(show(i.before), maxValue);
      break;
    case 'adopt':
      value = clip(show(i.after), maxValue);
      break;
    default:
      value = `${clip(show(i.before), half)} → ${clip(show(i.after), half)}`;
  }
  const note = i.note ? `  (${i.note})` : '';
  return `${key} ${value}${note}`.trimEnd();
}

export function diagnosticLine(d: Diagnostic, withSeverity = true): string {
  const where = d.file ? `${d.file}${d.line !== undefined ? `:${d.line}${d.col !== undefined ? `:${d.col}` : ''}` : ''}: ` : '';
  const address = d.address ? ` (${d.address})` : '';
  return `${where}${withSeverity ? `${d.severity}: ` : ''}${d.message}${address} [${d.code}]`;
}

/** `Environment: production (state .dynoform/production.json)`, when the plan records them. */
export function environmentLine(plan: Plan): string | undefined {
  if (plan.environment === undefined && plan.state === undefined) return undefined;
  const env = plan.environment ?? 'default';
  return `Environment: ${env}${plan.state !== undefined ? ` (state ${plan.state})` : ''}`;
}

/** Terraform's note when a plan is limited to some apps. */
export function targetingLines(plan: Plan): string[] {
  if (!plan.targets || plan.targets.length === 0) return [];
  return [
    `Targeting is in effect: only ${plan.targets.length === 1 ? 'app' : 'apps'} ${plan.targets.join(', ')} ${plan.targets.length === 1 ? 'is' : 'are'} planned.`,
    'The plan may be incomplete: other apps and their deletions are not shown. Do not use --target for routine changes.',
  ];
}

/**
 * What stops the apply, said up front rather than among the notes: blocked
 * and refused changes (apply refuses the whole plan, as Terraform's
 * prevent_destroy does) and the plan's own errors.
 */
export function stopLines(plan: Plan): string[] {
  const out: string[] = [];
  const stuck = plan.changes.filter((c) => c.action === 'blocked' || c.action === 'replace-refused');
  if (stuck.length > 0) {
    out.push(
      `Error: ${plural(stuck.length, 'change')} cannot be made, so apply will refuse this plan:`,
      ...stuck.map((c) => `  ${c.address} ${verbFor(c)}${c.reason ? `: ${c.reason}` : ''}`),
    );
  }
  // `Error: file:line:col: message`, not `Error: error: …`: the severity is said once.
  for (const d of plan.diagnostics) if (d.severity === 'error') out.push(`Error: ${diagnosticLine(d, false)}`);
  return out;
}
