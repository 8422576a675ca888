import type { DriftItem, DriftReport } from '../model/drift.js';
import { CLASS_LABEL, CLASS_PRIORITY, formatTransition, headline, plural, splitCounted, type DriftRenderOptions } from './drift-common.js';

/** GitHub shows at most 10 warning annotations per step; more are dropped silently. */
export const MAX_ANNOTATIONS = 10;

/**
 * GitHub Actions workflow commands: one `::warning` per counted item, on the
 * YAML line of the drifted declaration (the most urgent classes first, at
 * most 10), then one summary line — a `::notice` saying how many were left
 * out when there were more, else plain text.
 */
export function renderDriftGithub(report: DriftReport, opts: DriftRenderOptions): string {
  const { counted } = splitCounted(report, opts.counted);
  const ordered = [...counted].sort((a, b) => CLASS_PRIORITY.indexOf(a.class) - CLASS_PRIORITY.indexOf(b.class));
  const shown = ordered.slice(0, MAX_ANNOTATIONS);
  const lines = shown.map((item) => annotation(item, opts));
  const verdict = headline(report, opts.counted);
  const left = ordered.length - shown.length;
  if (left > 0) {
    lines.push(`::notice title=${escapeProperty('dynoform drift')}::${escapeData(`${verdict} ${plural(left, 'more item')} not annotated (GitHub shows ${MAX_ANNOTATIONS} per step); see the job summary or run dynoform drift.`)}`);
  } else {
    lines.push(`dynoform drift: ${verdict}`);
  }
  return lines.join('\n');
}

function annotation(item: DriftItem, opts: DriftRenderOptions): string {
  const props: string[] = [];
  if (item.loc) {
    const file = opts.displayPath ? opts.displayPath(item.loc.file) : item.loc.file;
    props.push(`file=${escapeProperty(file)}`, `line=${item.loc.line}`, `col=${item.loc.col}`);
  }
  props.push(`title=${escapeProperty(`Drift (${CLASS_LABEL[item.class]}): ${item.address}`)}`);
  const transition = formatTransition(item);
  const message = transition ? `${item.message}: ${transition}` : item.message;
  return `::warning ${props.join(',')}::${escapeData(message)}`;
}

/** The escapes of @actions/core: `%`, CR and LF in data; also `:` and `,` in properties. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
