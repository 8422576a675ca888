import type { ApplyEvent, ApplyResult } from '../model/apply.js';
import { paint, type Style } from './ansi.js';

/** Counters the live progress line shows; folded from apply events. */
export interface ApplyProgress {
  total: number;
  done: number;
  failed: number;
  skipped: number;
  running: Set<string>;
  /** When each running change started, its action, and what it waits for (provisioning), by address. */
  started: Map<string, { at: number; action: string; detail?: string }>;
  /** What the run is waiting for right now, if anything. */
  waiting?: { reason: string; until: number; detail?: string };
}

export function newProgress(): ApplyProgress {
  return { total: 0, done: 0, failed: 0, skipped: 0, running: new Set(), started: new Map() };
}

/** Pure fold: the next progress after an event (mutates and returns `p` for speed). */
export function foldProgress(p: ApplyProgress, e: ApplyEvent, now: number): ApplyProgress {
  switch (e.type) {
    case 'apply-start':
      p.total = e.total;
      break;
    case 'change-start':
      p.running.add(e.address);
      p.started.set(e.address, { at: now, action: e.action });
      break;
    case 'change-done':
      p.running.delete(e.address);
      p.started.delete(e.address);
      p.done += 1;
      break;
    case 'change-failed':
      p.running.delete(e.address);
      p.started.delete(e.address);
      p.failed += 1;
      break;
    case 'change-skipped':
      p.skipped += 1;
      break;
    case 'wait':
      if (e.reason === 'provisioning' && e.address !== undefined) {
        // A resource that takes a while is shown by its elapsed time (below), not a poll countdown.
        const s = p.started.get(e.address);
        if (s) s.detail = e.detail;
        break;
      }
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

/** A change running this long is shown Terraform's way: "Still creating… [20s elapsed]". */
export const STILL_AFTER_MS = 10_000;

const ACTION_ING: Record<string, string> = {
  create: 'creating',
  update: 'modifying',
  delete: 'destroying',
  adopt: 'adopting',
  replace: 'replacing',
};

/** Terraform's words for a resource that takes a while: `app.shop/addon.db: Still creating… [20s elapsed] (db is provisioning)`. */
export function renderStillLine(address: string, action: string, elapsedMs: number, detail?: string): string {
  const verb = ACTION_ING[action] ?? `${action}ing`.replace(/eing$/, 'ing');
  return `${address}: Still ${verb}… [${Math.floor(elapsedMs / 1000)}s elapsed]${detail ? ` (${detail})` : ''}`;
}

/** The running changes past STILL_AFTER_MS, oldest first. */
export function longRunning(p: ApplyProgress, now: number): Array<{ address: string; action: string; elapsedMs: number; detail?: string }> {
  return [...p.started.entries()]
    .map(([address, s]) => ({ address, action: s.action, elapsedMs: now - s.at, ...(s.detail !== undefined ? { detail: s.detail } : {}) }))
    .filter((r) => r.elapsedMs >= STILL_AFTER_MS)
    .sort((a, b) => b.elapsedMs - a.elapsedMs);
}

/** The single live line shown on a terminal, cut to the terminal width. */
export function renderProgressLine(p: ApplyProgress, now: number, width = 80): string {
  const finished = p.done + p.failed + p.skipped;
  let line = `Applying: ${finished}/${p.total} done`;
  if (p.failed) line += `, ${p.failed} failed`;
  if (p.running.size) line += `, ${p.running.size} in progress`;
  const slow = longRunning(p, now)[0];
  if (p.waiting && p.waiting.until > now) {
    const secs = Math.ceil((p.waiting.until - now) / 1000);
    line += ` — ${WAIT_LABEL[p.waiting.reason] ?? p.waiting.reason} (${secs}s)`;
  } else if (slow) {
    line += ` — ${renderStillLine(slow.address, slow.action, slow.elapsedMs, slow.detail)}`;
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
      // A waiting change is not skipped work: it is done by a later apply; the plan's `?` says so.
      if (e.action === 'waiting') return `${paint('?', 'dim', color)} ${e.address}: ${e.reason} (a later apply scales it)`;
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
  // A formation waiting for a release is not skipped work: a later apply does it.
  const waiting = r.skipped.filter((s) => s.action === 'waiting').length;
  lines.push(
    `${head} ${r.succeeded.length} succeeded, ${r.failed.length} failed, ${r.skipped.length - waiting} skipped${waiting > 0 ? `, ${waiting} waiting for a release` : ''}. ` +
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
