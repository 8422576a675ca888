import { terminalWidth, type CliContext } from './context.js';
import type { ApplyEvent } from '../model/apply.js';
import type { ClientEvent } from '../model/client.js';
import { foldProgress, newProgress, renderEventLine, renderProgressLine, renderWaitLine } from '../render/apply-text.js';

export interface ApplyReporter {
  onEvent(e: ApplyEvent): void;
  onClientEvent(e: ClientEvent): void;
  stop(): void;
}

/**
 * Consumes apply events and prints them: NDJSON with --format json; on a
 * terminal a live status line plus one line per finished change; otherwise
 * one line per finished change (and throttled wait notices).
 */
export function createApplyReporter(ctx: CliContext, opts: { format: 'text' | 'json'; color: boolean }): ApplyReporter {
  const out = ctx.stdout;
  if (opts.format === 'json') {
    return {
      onEvent: (e) => out.write(JSON.stringify(e) + '\n'),
      onClientEvent: (e) => {
        if (e.type === 'rate-limit-wait') out.write(JSON.stringify({ type: 'wait', reason: 'rate-limit', ms: e.ms }) + '\n');
      },
      stop: () => undefined,
    };
  }
  const tty = out.isTTY === true;
  const progress = newProgress();
  let liveShown = false;
  const lastWaitPrinted = new Map<string, number>();

  const clearLive = (): void => {
    if (liveShown) out.write('\r\u001b[2K');
    liveShown = false;
  };
  const drawLive = (): void => {
    if (!tty || progress.total === 0) return;
    const line = renderProgressLine(progress, Date.now(), terminalWidth(out, 80));
    out.write(`\r\u001b[2K${line}`);
    liveShown = true;
  };
  const timer = tty ? setInterval(drawLive, 250) : undefined;
  timer?.unref();

  const printLine = (line: string): void => {
    clearLive();
    out.write(line + '\n');
    drawLive();
  };

  const onEvent = (e: ApplyEvent): void => {
    foldProgress(progress, e, Date.now());
    if (e.type === 'apply-done') return;
    if (e.type === 'wait') {
      if (tty) return drawLive();
      // Without a terminal a wait is a line; repeat one reason at most every 5 s.
      const now = Date.now();
      const key = `${e.reason}:${e.address ?? ''}`;
      if (now - (lastWaitPrinted.get(key) ?? 0) >= 5000) {
        lastWaitPrinted.set(key, now);
        printLine(renderWaitLine(e));
      }
      return;
    }
    const line = renderEventLine(e, opts.color);
    if (line !== undefined) printLine(line);
    else drawLive();
  };

  return {
    onEvent,
    onClientEvent: (e) => {
      if (e.type === 'rate-limit-wait') onEvent({ type: 'wait', reason: 'rate-limit', ms: e.ms, detail: `${e.remaining} requests left in the budget` });
      else if (e.type === 'retry') onEvent({ type: 'wait', reason: 'retry', ms: e.ms, detail: `${e.method} ${e.path}: ${e.reason}` });
    },
    stop: () => {
      if (timer) clearInterval(timer);
      clearLive();
    },
  };
}
