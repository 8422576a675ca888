import type { DriftItem, DriftReport } from '../model/drift.js';
import { paint, type Style } from './ansi.js';
import { CLASS_LABEL, formatLoc, formatTransition, headline, splitCounted, type DriftRenderOptions } from './drift-common.js';
import { scopeAddress } from './plan-common.js';

const STYLE: Record<DriftItem['class'], Style> = { 'changed-outside': 'yellow', missing: 'red', pending: 'cyan', unmanaged: 'dim' };

/** Wide enough for the longest label, `changed outside`, plus a space. */
const LABEL_WIDTH = 16;

export interface DriftTextOptions extends DriftRenderOptions {
  color?: boolean;
}

/** Human output: items grouped by app, counted ones first, then a one-line verdict. */
export function renderDriftText(report: DriftReport, opts: DriftTextOptions): string {
  const color = opts.color === true;
  const { counted, other } = splitCounted(report, opts.counted);
  const lines: string[] = [];
  const section = (items: DriftItem[], title?: string) => {
    if (items.length === 0) return;
    if (title) lines.push(paint(title, 'bold', color), '');
    let app: string | undefined;
    for (const item of items) {
      if (item.app !== app) {
        if (app !== undefined) lines.push('');
        app = item.app;
        lines.push(paint(scopeAddress(app), 'bold', color));
      }
      const label = paint(CLASS_LABEL[item.class].padEnd(LABEL_WIDTH), STYLE[item.class], color);
      const what = item.address.slice(scopeAddress(item.app).length).replace(/^\//, '') || `(${item.kind})`;
      const field = item.field ? ` ${item.field}` : '';
      lines.push(`  ${label} ${what}${field}: ${item.message}`);
      const transition = formatTransition(item);
      const where = formatLoc(item.loc, opts);
      const detail = [transition, where ? paint(`at ${where}`, 'dim', color) : ''].filter((s) => s !== '').join('   ');
      if (detail) lines.push(`  ${' '.repeat(LABEL_WIDTH)} ${detail}`);
    }
    lines.push('');
  };
  section(counted);
  section(other, counted.length > 0 ? 'Not counted (see --classes):' : 'Not counted as drift (see --classes):');
  lines.push(paint(headline(report, opts.counted), counted.length > 0 ? 'bold' : 'green', color));
  for (const d of report.diagnostics) lines.push(`${d.severity}: ${d.message}`);
  return lines.join('\n');
}
