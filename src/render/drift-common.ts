import type { SourceLocation } from '../model/diagnostic.js';
import type { DriftClass, DriftItem, DriftReport, DriftSummary, DriftValue } from '../model/drift.js';

/** How the drift renderers show things the report alone does not decide. */
export interface DriftRenderOptions {
  /** Classes that count as drift (exit code, annotations); the rest are listed as not counted. */
  counted: readonly DriftClass[];
  /** How a YAML file is shown (e.g. relative to the repository root); default: as is. */
  displayPath?: (file: string) => string;
}

export const CLASS_LABEL: Record<DriftClass, string> = {
  'changed-outside': 'changed outside',
  missing: 'missing',
  pending: 'pending',
  unmanaged: 'unmanaged',
};

/** Most urgent first: the order annotations are spent in. */
export const CLASS_PRIORITY: readonly DriftClass[] = ['changed-outside', 'missing', 'pending', 'unmanaged'];

/** Markers the classifier puts in place of values it must not or cannot show. */
const MARKER = /^\((sensitive|hidden|previous value)\)$/;

export function formatValue(v: DriftValue | undefined): string {
  if (v === undefined || v === null) return '(none)';
  if (typeof v === 'string') return MARKER.test(v) ? v : JSON.stringify(v);
  return String(v);
}

/** `"a" → "b"`, or '' when the item carries no values worth showing. */
export function formatTransition(item: DriftItem): string {
  if (item.before === undefined && item.after === undefined) return '';
  return `${formatValue(item.before)} → ${formatValue(item.after)}`;
}

export function formatLoc(loc: SourceLocation | undefined, opts: DriftRenderOptions): string {
  if (!loc) return '';
  const file = opts.displayPath ? opts.displayPath(loc.file) : loc.file;
  return `${file}:${loc.line}:${loc.col}`;
}

export function splitCounted(report: DriftReport, counted: readonly DriftClass[]): { counted: DriftItem[]; other: DriftItem[] } {
  const c: DriftItem[] = [];
  const o: DriftItem[] = [];
  for (const i of report.items) (counted.includes(i.class) ? c : o).push(i);
  return { counted: c, other: o };
}

/** `1 changed outside, 2 pending` over the classes given (zero counts left out). */
export function describeCounts(summary: DriftSummary, classes: readonly DriftClass[]): string {
  return CLASS_PRIORITY.filter((c) => classes.includes(c) && summary[c] > 0)
    .map((c) => `${summary[c]} ${CLASS_LABEL[c]}`)
    .join(', ');
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** One sentence: what the run found, for the last line of every format. */
export function headline(report: DriftReport, counted: readonly DriftClass[]): string {
  const { counted: c, other } = splitCounted(report, counted);
  const notCounted = CLASS_PRIORITY.filter((k) => !counted.includes(k));
  const apps = plural(report.apps.length, 'app');
  const tail = other.length > 0 ? `; ${describeCounts(report.summary, notCounted)} not counted` : '';
  if (c.length === 0) return `No drift in ${apps}${tail}.`;
  // Name how many apps drifted, not how many were read: "1 of 3 apps", or "2 apps" when every one did.
  const drifted = new Set(c.map((i) => i.app)).size;
  const where = drifted === report.apps.length ? apps : `${drifted} of ${apps}`;
  return `Drift in ${where}: ${describeCounts(report.summary, counted)}${tail}.`;
}

export function hasCountedDrift(report: DriftReport, counted: readonly DriftClass[]): boolean {
  return report.items.some((i) => counted.includes(i.class));
}
