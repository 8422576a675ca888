import type { SourceLocation } from '../model/diagnostic.js';
import type { DriftItem, DriftReport } from '../model/drift.js';
import { CLASS_LABEL, formatLoc, formatValue, headline, plural, splitCounted, type DriftRenderOptions } from './drift-common.js';

/** GitHub refuses a PR comment over 65,536 characters; a step summary may be 1 MiB, so the smaller limit serves both. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface DriftMarkdownOptions extends DriftRenderOptions {
  /** Character budget for the whole document (default GITHUB_COMMENT_LIMIT). */
  maxChars?: number;
  /** A link for a YAML location (e.g. to the file on GitHub at the commit), when known. */
  sourceLink?: (loc: SourceLocation) => string | undefined;
}

const ICON: Record<DriftItem['class'], string> = { 'changed-outside': '✏️', missing: '❌', pending: '⏳', unmanaged: '➕' };

/**
 * For a pull-request comment or `$GITHUB_STEP_SUMMARY`: a table per group,
 * never longer than the budget — rows that do not fit are counted in a
 * closing line instead of being cut mid-table.
 */
export function renderDriftMarkdown(report: DriftReport, opts: DriftMarkdownOptions): string {
  const budget = opts.maxChars ?? GITHUB_COMMENT_LIMIT;
  const { counted, other } = splitCounted(report, opts.counted);
  const title = `### dynoform drift: ${counted.length > 0 ? plural(counted.length, 'item') : 'none'}`;
  const verdict = headline(report, opts.counted);
  const header = `${title}\n\n${escapeText(verdict)}\n`;
  const footerFor = (left: number) =>
    left > 0 ? `\n_${plural(left, 'more item')} not shown here (GitHub's size limit); run \`dynoform drift\` for the full list._\n` : '';
  // Reserve room for the worst-case footer so that adding it can never break the budget.
  const reserve = footerFor(report.items.length).length + 64;

  const parts: string[] = [header];
  let used = header.length;
  let shown = 0;
  let stop = false;
  const addTable = (items: DriftItem[], heading: string, collapsed: boolean) => {
    if (items.length === 0 || stop) return;
    const open = collapsed ? `\n<details><summary>${escapeText(heading)}</summary>\n\n` : `\n#### ${escapeText(heading)}\n\n`;
    const close = collapsed ? '\n</details>\n' : '';
    const head = '| | Class | Address | What | Before → after | Where |\n|---|---|---|---|---|---|\n';
    if (used + open.length + head.length + close.length + reserve > budget) {
      stop = true;
      return;
    }
    let table = open + head;
    let rows = 0;
    for (const item of items) {
      const row = renderRow(item, opts);
      if (used + table.length + row.length + close.length + reserve > budget) {
        stop = true;
        break;
      }
      table += row;
      rows += 1;
    }
    if (rows === 0) return;
    table += close;
    parts.push(table);
    used += table.length;
    shown += rows;
  };
  addTable(counted, 'Drift', false);
  addTable(other, `Not counted (${plural(other.length, 'item')}, see --classes)`, true);
  if (report.diagnostics.length > 0 && !stop) {
    const notes = '\n' + report.diagnostics.map((d) => `- ${d.severity}: ${escapeText(d.message)}`).join('\n') + '\n';
    if (used + notes.length + reserve <= budget) {
      parts.push(notes);
      used += notes.length;
    }
  }
  parts.push(footerFor(report.items.length - shown));
  return parts.join('');
}

function renderRow(item: DriftItem, opts: DriftMarkdownOptions): string {
  const where = item.loc ? formatLoc(item.loc, opts) : '';
  const link = item.loc ? opts.sourceLink?.(item.loc) : undefined;
  const whereCell = where === '' ? '' : link ? `<a href="${escapeAttr(link)}">${escapeText(where)}</a>` : code(where);
  const values = item.before === undefined && item.after === undefined ? '' : `${code(formatValue(item.before))} → ${code(formatValue(item.after))}`;
  return `| ${ICON[item.class]} | ${CLASS_LABEL[item.class]} | ${code(item.address)}${item.field ? ` ${escapeText(item.field)}` : ''} | ${escapeText(item.message)} | ${values} | ${whereCell} |\n`;
}

/**
 * Table cells are HTML-escaped rather than markdown-escaped: values may hold
 * backticks, pipes or asterisks, and `<code>` with entities renders them all
 * literally where a backtick span could not. `@` is escaped too, so that a
 * value can never mention (notify) someone from a PR comment.
 */
function code(text: string): string {
  return `<code>${escapeText(text)}</code>`;
}

function escapeText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[|\\*_[\]~`@#]/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/[\r\n]+/g, ' ');
}

function escapeAttr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
