import { terminalWidth, type CliContext } from '../context.js';
import type { ReadEstimateEvent, ReadProgressEvent } from '../../operations/index.js';
import { readFraction, renderReadEstimate, renderReadProgress } from '../../render/read-progress.js';

/** How often a line is printed without a terminal, at the most, once the read is long. */
const LINE_EVERY_MS = 10_000;

/** Consumes the read-estimate and read-progress events of plan, apply and drift. */
export interface ReadProgressView {
  onEvent(e: ReadEstimateEvent | ReadProgressEvent): void;
  /** Clears a live line; call before printing the command's output. */
  stop(): void;
}

/**
 * On stderr (stdout is the command's output). A read that needs no waiting
 * prints nothing unless it runs past 10 s. On a terminal: a live line
 * redrawn in place, its ETA counting down between events. Otherwise: a line
 * every 10 s or every 10 % of the reads, whichever comes first; with `json`,
 * the same events as JSON lines.
 */
export function createReadProgressView(ctx: CliContext, format: 'text' | 'json'): ReadProgressView {
  const out = ctx.stderr;
  const tty = out.isTTY === true && format === 'text';
  const startedAt = Date.now();
  let long = false;
  let last: { e: ReadProgressEvent; at: number } | undefined;
  let lastPrintedAt = 0;
  let lastDecile = 0;
  let liveShown = false;
  let timer: NodeJS.Timeout | undefined;

  const clearLive = (): void => {
    if (liveShown) out.write('\r\u001b[2K');
    liveShown = false;
  };
  const drawLive = (): void => {
    if (!last || !long) return;
    const left = Math.max(0, last.e.etaMs - (Date.now() - last.at));
    const line = renderReadProgress(last.e, left).slice(0, terminalWidth(out, 80) - 1);
    out.write(`\r\u001b[2K${line}`);
    liveShown = true;
  };
  const stop = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
    clearLive();
  };
  const print = (e: ReadEstimateEvent | ReadProgressEvent, text: string): void => {
    out.write((format === 'json' ? JSON.stringify(e) : text) + '\n');
  };

  return {
    onEvent: (e) => {
      const now = Date.now();
      if (e.type === 'read-estimate') {
        if (!e.paced) return;
        long = true;
        lastPrintedAt = now;
        clearLive();
        print(e, renderReadEstimate(e));
        return;
      }
      last = { e, at: now };
      if (!long && now - startedAt >= LINE_EVERY_MS) long = true;
      if (!long) return;
      if (tty) {
        timer ??= setInterval(drawLive, 1000).unref();
        if (e.appsRead >= e.appsTotal) return stop();
        return drawLive();
      }
      // The last line is the complete one, whenever the requests reached 100 %.
      const decile = e.appsRead >= e.appsTotal ? 10 : Math.min(9, Math.floor(readFraction(e) * 10));
      if (decile > lastDecile || now - lastPrintedAt >= LINE_EVERY_MS) {
        lastDecile = decile;
        lastPrintedAt = now;
        print(e, renderReadProgress(e));
      }
    },
    stop,
  };
}
