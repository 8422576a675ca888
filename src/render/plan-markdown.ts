import type { Action, Change, Plan } from '../model/plan.js';
import {
  NO_CHANGES,
  byApp,
  detailLines,
  diagnosticLine,
  isEmpty,
  isForget,
  plural,
  stopLines,
  summaryLine,
  configReadsLine,
  targetingLines,
  symbolFor,
  verbFor,
} from './plan-common.js';

export interface PlanMarkdownOptions {
  /** Character budget of the whole comment; GitHub refuses comments over 65,536. Default 65,000. */
  maxChars?: number;
}

export const PLAN_MARKDOWN_MAX = 65_000;

/** Smallest budget a note still fits in; below it the text is cut hard. */
const MIN_BUDGET = 200;

/**
 * The plan as a pull-request comment: the verdict, a table of counts, one
 * collapsed section per app holding a `diff` block, then the notes. Never
 * longer than `maxChars`: sections that do not fit are left out (or the
 * first one cut) and a closing note says what is missing.
 */
export function renderPlanMarkdown(plan: Plan, opts: PlanMarkdownOptions = {}): string {
  const budget = opts.maxChars ?? PLAN_MARKDOWN_MAX;
  const head = header(plan);
  if (isEmpty(plan)) return fit(`${head}${NO_CHANGES}\n${notes(plan, budget)}`, budget);

  const groups = byApp(plan);
  // Notes may take at most a quarter of the budget; the changes matter more.
  const notesText = notes(plan, Math.floor(budget / 4));
  const truncation = (apps: number, changes: number, cutApp?: string): string => {
    const missing = apps > 0 ? `${plural(apps, 'more app')} (${plural(changes, 'change')}) not shown` : '';
    const cutNote = cutApp !== undefined ? `the section of ${escapeText(cutApp)} is cut short` : '';
    return `\n> [!NOTE]\n> The plan is too long for a comment: ${[cutNote, missing].filter(Boolean).join('; ')}. Run \`dynoform plan\` to see all of it.\n`;
  };
  // Room for the worst-case note is kept back, so adding it can never break the budget.
  const longestKey = groups.reduce((n, [app]) => Math.max(n, app.length * 2), 0);
  const reserve = truncation(groups.length, plan.changes.length, 'x'.repeat(longestKey)).length;

  const parts: string[] = [head];
  let used = head.length;
  let shownApps = 0;
  let shownChanges = 0;
  let cutApp: string | undefined;
  for (const [app, changes] of groups) {
    const sec = appSection(app, changes);
    const section = wholeSection(sec);
    const last = shownApps === groups.length - 1;
    const room = budget - used - (last ? 0 : reserve) - notesText.length;
    if (section.length <= room) {
      parts.push(section);
      used += section.length;
      shownApps += 1;
      shownChanges += changes.length;
      continue;
    }
    // One enormous app (thousands of config vars) should still show its beginning.
    const partial = partialSection(sec, budget - used - reserve - notesText.length);
    if (partial) {
      parts.push(partial);
      used += partial.length;
      shownApps += 1;
      shownChanges += changes.length;
      cutApp = app;
    }
    break;
  }
  const missingApps = groups.length - shownApps;
  let text = parts.join('');
  if (cutApp !== undefined || missingApps > 0) text += truncation(missingApps, plan.changes.length - shownChanges, cutApp);
  if (text.length + notesText.length <= budget) text += notesText;
  return fit(text, budget);
}

function header(plan: Plan): string {
  const s = plan.summary;
  const rows: [string, number][] = [
    ['➕ create', s.create],
    ['🔄 update', s.update],
    ['🗑️ delete', s.delete],
    ['📥 adopt', s.adopt],
  ];
  if (s.forget) rows.push(['🧹 forget (already gone)', s.forget]);
  if (s.blocked) rows.push(['⛔ blocked', s.blocked]);
  if (s.replaceRefused) rows.push(['⛔ refused (needs replacement)', s.replaceRefused]);
  if (s.waiting) rows.push(['⏳ waiting for a release', s.waiting]);
  const table = ['| Action | Count |', '|---|---:|', ...rows.map(([a, n]) => `| ${a} | ${n} |`)].join('\n');
  const apps = new Set(plan.changes.map((c) => c.app)).size;
  const env = plan.environment !== undefined ? ` (${escapeText(plan.environment)})` : '';
  const title = isEmpty(plan) ? `### dynoform plan${env}: no changes` : `### dynoform plan${env}: ${plural(apps, 'app')} to change`;
  const lead = [...targetingLines(plan).map((l) => `> [!WARNING]\n> ${escapeText(l)}`), ...stopLines(plan).map((l) => `> [!CAUTION]\n> ${escapeText(l.trim())}`)];
  const leadText = lead.length > 0 ? lead.join('\n\n') + '\n\n' : '';
  const reads = configReadsLine(plan);
  const readsText = reads ? `<sub>${escapeText(reads)}</sub>\n\n` : '';
  if (isEmpty(plan)) return `${title}\n\n${leadText}${readsText}`;
  return `${title}\n\n${leadText}**${escapeText(summaryLine(plan))}**\n\n${table}\n\n${readsText}`;
}

interface Section {
  open: string;
  lines: string[];
  close: string;
}

/** `<details>` holding a `diff` block of the app's changes. */
function appSection(app: string, changes: Change[]): Section {
  const counts = new Map<Action, number>();
  for (const c of changes) counts.set(c.action, (counts.get(c.action) ?? 0) + 1);
  const what = [...counts.entries()].map(([a, n]) => `${n} ${a === 'replace-refused' ? 'refused' : a}`).join(', ');
  const lines: string[] = [];
  for (const c of changes) {
    const effects = [c.sideEffects.releases > 0 ? plural(c.sideEffects.releases, 'release') : '', isForget(c) ? 'state only' : '']
      .filter(Boolean)
      .join(', ');
    lines.push(`${diffMark(symbolFor(c.action))}${c.address} ${verbFor(c)}${effects ? ` (${effects})` : ''}`);
    if (c.reason) lines.push(`#   ${c.reason}`);
    for (const [s, text] of detailLines(c, 200)) lines.push(`${diffMark(s)}    ${s === ' ' ? '' : s + ' '}${text}`);
  }
  const fence = '`'.repeat(Math.max(3, ...lines.map((l) => longestRun(l, '`') + 1)));
  return {
    open: `\n<details><summary><b>${escapeText(app)}</b>: ${escapeText(what)}</summary>\n\n${fence}diff\n`,
    lines,
    close: `\n${fence}\n</details>\n`,
  };
}

function wholeSection(s: Section): string {
  return s.open + s.lines.join('\n') + s.close;
}

/** As many lines as fit in `limit` characters, with a count of the rest; undefined when not even one line fits. */
function partialSection(s: Section, limit: number): string | undefined {
  const more = (n: number): string => `\n# … ${plural(n, 'more line')} not shown`;
  const frame = s.open.length + more(s.lines.length).length + s.close.length;
  let shown = '';
  let count = 0;
  for (const line of s.lines) {
    const next = (count === 0 ? '' : '\n') + line;
    if (frame + shown.length + next.length > limit) break;
    shown += next;
    count += 1;
  }
  if (count === 0) return undefined;
  return s.open + shown + (count < s.lines.length ? more(s.lines.length - count) : '') + s.close;
}

/** GitHub colours `diff` lines by their first character. */
function diffMark(symbol: string): string {
  switch (symbol) {
    case '+':
      return '+ ';
    case '-':
      return '- ';
    case '~':
    case '<=':
    case '!':
      return '! ';
    default:
      return '  ';
  }
}

function notes(plan: Plan, limit: number): string {
  if (plan.diagnostics.length === 0) return '';
  const open = `\n<details><summary>Notes (${plan.diagnostics.length})</summary>\n\n`;
  const close = '\n\n</details>\n';
  const more = (n: number): string => `\n- … ${plural(n, 'more note')}`;
  const items: string[] = [];
  let used = open.length + close.length + more(plan.diagnostics.length).length;
  for (const d of plan.diagnostics) {
    const item = `- ${escapeText(diagnosticLine(d))}`;
    if (used + item.length + 1 > limit) break;
    items.push(item);
    used += item.length + 1;
  }
  if (items.length === 0) return '';
  const rest = plan.diagnostics.length - items.length;
  return open + items.join('\n') + (rest > 0 ? more(rest) : '') + close;
}

/** Last resort for tiny budgets: never exceed, say so when cut. */
function fit(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const note = '\n… (truncated)';
  if (budget < MIN_BUDGET) return text.slice(0, Math.max(0, budget));
  return text.slice(0, budget - note.length) + note;
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

/** Markdown and HTML that a value could smuggle into the comment are neutralised. */
function escapeText(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replace(/@/g, '@\u200b');
}

