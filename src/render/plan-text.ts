import type { Action, Change, Plan } from '../model/plan.js';
import { paint, type Style } from './ansi.js';
import { NO_CHANGES, byApp, configReadsLine, scopeTitle, detailLines, diagnosticLine, environmentLine, isEmpty, isForget, plural, stopLines, summaryLine, symbolFor, targetingLines, verbFor } from './plan-common.js';

export interface PlanTextOptions {
  /** ANSI colors; the CLI decides (TTY, NO_COLOR). */
  color: boolean;
  /** Terminal width: long values are shortened to keep lines readable. */
  width?: number;
}

const STYLE: Record<Action, Style> = {
  create: 'green',
  update: 'yellow',
  delete: 'red',
  adopt: 'cyan',
  blocked: 'red',
  'replace-refused': 'red',
  waiting: 'dim',
  noop: 'dim',
};

/** The actions apply carries out (the rest are shown, never executed). */
const APPLIED: ReadonlySet<Action> = new Set<Action>(['create', 'update', 'delete', 'adopt']);

/** Informational notes shown before the rest are only counted. */
export const MAX_INFO_NOTES = 10;

const SYMBOL_STYLE: Record<string, Style> = { '+': 'green', '~': 'yellow', '-': 'red', '<=': 'cyan', '!': 'red', '?': 'dim' };

/**
 * The plan for a terminal, Terraform-like: one block per change with its
 * symbol (+ create, ~ update, - delete, <= adopt, ! blocked or refused,
 * ? waiting), address, why, and its items as `before → after`; then notes
 * and the one-line summary. Pure: returns the text, prints nothing.
 */
export function renderPlanText(plan: Plan, opts: PlanTextOptions): string {
  const { color } = opts;
  const out: string[] = [];
  const env = environmentLine(plan);
  if (env) out.push(paint(env, 'dim', color), '');
  const targeting = targetingLines(plan);
  if (targeting.length > 0) out.push(...targeting.map((l) => paint(l, 'yellow', color)), '');
  // Only changes apply will make earn Terraform's opening line; a plan of blocked or waiting ones says it has nothing to do.
  const actionable = plan.changes.some((c) => APPLIED.has(c.action));
  const stuck = plan.changes.some((c) => c.action === 'blocked' || c.action === 'replace-refused');
  if (isEmpty(plan)) {
    out.push(paint(NO_CHANGES, 'green', color));
  } else {
    const maxValue = opts.width !== undefined ? Math.max(24, opts.width - 30) : undefined;
    out.push(
      actionable
        ? 'dynoform will perform the following actions:'
        : stuck
          ? 'Nothing can be applied: these changes are blocked or refused (see below).'
          : 'Nothing to apply now; waiting:',
    );
    for (const [app, changes] of byApp(plan)) {
      out.push('', paint(`# ${scopeTitle(app)}`, 'bold', color));
      for (const c of changes) out.push(...changeBlock(c, color, maxValue));
    }
  }
  // Errors are said after the summary, where they cannot be missed.
  const notes = plan.diagnostics.filter((d) => d.severity !== 'error');
  if (notes.length > 0) {
    out.push('', paint('Notes:', 'bold', color));
    // Warnings always show; informational notes (unmanaged keys, one per app) would drown a large plan.
    const infos = notes.filter((d) => d.severity === 'info');
    let shownInfos = 0;
    for (const d of notes) {
      if (d.severity === 'info' && shownInfos++ >= MAX_INFO_NOTES) continue;
      const line = `  ${diagnosticLine(d)}`;
      out.push(d.severity === 'info' ? paint(line, 'dim', color) : paint(line, d.severity === 'error' ? 'red' : 'yellow', color));
    }
    if (infos.length > MAX_INFO_NOTES) {
      out.push(paint(`  … and ${plural(infos.length - MAX_INFO_NOTES, 'more informational note')} (all of them are in --format json)`, 'dim', color));
    }
  }
  const stops = stopLines(plan);
  if (stops.length > 0) out.push('', ...stops.map((l) => paint(l, 'red', color)));
  if (!isEmpty(plan)) out.push('', paint(summaryLine(plan), 'bold', color));
  const reads = configReadsLine(plan);
  if (reads) out.push(paint(reads, 'dim', color));
  return out.join('\n');
}

function changeBlock(c: Change, color: boolean, maxValue: number | undefined): string[] {
  const sym = symbolFor(c.action);
  const effects: string[] = [];
  if (c.sideEffects.releases > 0) effects.push(plural(c.sideEffects.releases, 'release'));
  if (isForget(c)) effects.push('state only');
  const tail = effects.length > 0 ? ` (${effects.join(', ')})` : '';
  const lines = [`  ${paint(sym.padEnd(2), STYLE[c.action], color)} ${paint(c.address, 'bold', color)} ${verbFor(c)}${tail}`];
  if (c.reason) lines.push(paint(`       # ${c.reason}`, 'dim', color));
  for (const [s, text] of detailLines(c, maxValue)) {
    const style = SYMBOL_STYLE[s];
    lines.push(`       ${style ? paint(s.padEnd(2), style, color) : s.padEnd(2)} ${text}`);
  }
  return lines;
}
