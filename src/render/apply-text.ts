import type { ApplyEvent, ApplyResult } from '../model/apply.js';
import { paint, type Style } from './ansi.js';

/** Counters the live progress line shows; folded from apply events. */
export interface ApplyProgress {
  total: number;
  done: number;
  failed: number;
  skipped: number;
  running: Set<string>;
  /** What the run is waiting for right now, if anything. */
  waiting?: { reason: string; until: number; detail?: string };
}

export function newProgress(): ApplyProgress {
  return { total: 0, done: 0, failed: 0, skipped: 0, running: new Set() };
}

/** Pure fold: the next progress after an event (mutates and returns `p` for speed). */
export function foldProgress(p: ApplyProgress, e: ApplyEvent, now: number): ApplyProgress {
  switch (e.type) {
    case 'apply-start':
      p.total = e.total;
      break;
    case 'change-start':
      p.running.add(e.address);
      break;
    case 'change-done':
      p.running.delete(e.address);
      p.done += 1;
      break;
    case 'change-failed':
      p.running.delete(e.address);
      p.failed += 1;
      break;
    case 'change-skipped':
      p.skipped += 1;
      break;
    case 'wait':
      p.waiting = { reason: e.reason, until: now + e.ms, ...(e.detail !== undefined ? { detail: e.detail } : {}) };
      break;
    default:
      break;
  }
  if (p.waiting && p.waiting.until <= now) delete p.waiting;
  return p;
}

const WAIT_LABEL: Record<string, string> = {
  'rate-limit': 'pacing for the rate limit',
  provisioning: 'waiting for add-on provisioning',
  retry: 'retrying after an error',
};

/** The single live line shown on a terminal, cut to the terminal width. */
export function renderProgressLine(p: ApplyProgress, now: number, width = 80): string {
  const finished = p.done + p.failed + p.skipped;
  let line = `Applying: ${finished}/${p.total} done`;
  if (p.failed) line += `, ${p.failed} failed`;
  if (p.running.size) line += `, ${p.running.size} in progress`;
  if (p.waiting && p.waiting.until > now) {
    const secs = Math.ceil((p.waiting.until - now) / 1000);
    line += ` — ${WAIT_LABEL[p.waiting.reason] ?? p.waiting.reason} (${secs}s)`;
  } else if (p.running.size) {
    line += ` — ${[...p.running][0]}`;
  }
  return line.length > width - 1 ? line.slice(0, Math.max(0, width - 2)) + '…' : line;
}

const SYMBOL: Record<string, [string, Style]> = {
  succeeded: ['✓', 'green'],
  failed: ['✗', 'red'],
  conflict: ['✗', 'red'],
  skipped: ['-', 'dim'],
};

/** One line per finished change (non-TTY output and the TTY scroll-back); undefined for events that print nothing. */
export function renderEventLine(e: ApplyEvent, color: boolean): string | undefined {
  switch (e.type) {
    case 'change-done': {
      const [sym, style] = SYMBOL.succeeded!;
      return `${paint(sym, style, color)} ${e.address}: ${e.action} (${formatMs(e.durationMs)})`;
    }
    case 'change-failed': {
      const [sym, style] = SYMBOL[e.outcome]!;
      const what = e.outcome === 'conflict' ? 'changed since plan — run plan again' : e.message;
      return `${paint(sym, style, color)} ${e.address}: ${e.action} failed: ${what}`;
    }
    case 'change-skipped': {
      const [sym, style] = SYMBOL.skipped!;
      return `${paint(sym, style, color)} ${e.address}: ${e.action} skipped: ${e.reason}`;
    }
    case 'warning':
      return `${paint('!', 'yellow', color)} ${e.address ? `${e.address}: ` : ''}${e.message}`;
    default:
      return undefined;
  }
}

/** Waits are printed as lines without a TTY (there is no live line to show them). */
export function renderWaitLine(e: Extract<ApplyEvent, { type: 'wait' }>): string {
  const label = WAIT_LABEL[e.reason] ?? e.reason;
  return `… ${e.address ? `${e.address}: ` : ''}${label} for ${formatMs(e.ms)}${e.detail ? ` (${e.detail})` : ''}`;
}

export function renderApplySummary(r: ApplyResult, color: boolean): string {
  const lines: string[] = [];
  const head =
    r.failed.length === 0 && !r.interrupted
      ? paint('Apply complete!', 'green', color)
      : r.interrupted
        ? paint('Apply interrupted.', 'yellow', color)
        : paint('Apply finished with errors.', 'red', color);
  lines.push(
    `${head} ${r.succeeded.length} succeeded, ${r.failed.length} failed, ${r.skipped.length} skipped. ` +
      `${r.releases} release${r.releases === 1 ? '' : 's'} (dyno restarts), ${r.requests} API request${r.requests === 1 ? '' : 's'}` +
      `${r.retries ? ` (${r.retries} retried)` : ''}, ${formatMs(r.durationMs)}.`,
  );
  for (const f of r.failed) lines.push(`  ✗ ${f.address}: ${f.message ?? f.outcome}`);
  if (r.conflicts > 0) {
    lines.push(
      `${r.conflicts} change${r.conflicts === 1 ? '' : 's'} conflicted: the live object changed since the plan was made. Nothing was overwritten; run \`dynoform plan\` again.`,
    );
  }
  if (r.interrupted) lines.push('State was saved for every finished change; run `dynoform plan` to see what is left.');
  return lines.join('\n');
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m}m${String(s).padStart(2, '0')}s`;
}
