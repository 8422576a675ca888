import { terminalWidth, type CliContext } from '../context.js';
import type { ApplyEvent } from '../../model/apply.js';
import type { ApplyStreamEvent } from '../../operations/index.js';
import {
  STILL_AFTER_MS,
  foldProgress,
  longRunning,
  newProgress,
  renderApplySummary,
  renderEventLine,
  renderProgressLine,
  renderStillLine,
  renderWaitLine,
} from '../../render/apply-text.js';
import { printOperationEvent, stopReadProgress } from '../options.js';
import { renderPlanView } from './plan.js';

/** Consumes `apply()`'s stream and prints it; `stop()` ends a live status line. */
export interface ApplyView {
  onEvent(e: ApplyStreamEvent): void;
  stop(): void;
}

/** The view of `dynoform apply`, per --format: the one place the two are chosen. */
export function createApplyView(ctx: CliContext, opts: { format: 'text' | 'json'; color: boolean }): ApplyView {
  const progress = opts.format === 'json' ? jsonProgress(ctx) : textProgress(ctx, opts.color);
  return {
    onEvent: (e) => {
      switch (e.type) {
        case 'diagnostic':
        case 'notice':
        case 'debug':
        case 'phase':
        case 'read-estimate':
        case 'read-progress':
          return printOperationEvent(ctx, e, { format: opts.format });
        case 'plan':
          stopReadProgress(ctx);
          if (opts.format === 'text') ctx.stdout.write(renderPlanView(ctx, e.plan, 'text', opts.color) + '\n\n');
          return;
        case 'apply-skipped':
          if (e.reason === 'not-confirmed') ctx.stdout.write('Apply cancelled; nothing was changed.\n');
          return;
        default:
          return progress.onEvent(e);
      }
    },
    stop: () => progress.stop(),
  };
}

interface Progress {
  onEvent(e: ApplyEvent): void;
  stop(): void;
}

/** NDJSON: one line per event (rate-limit waits and retries included). */
function jsonProgress(ctx: CliContext): Progress {
  return { onEvent: (e) => ctx.stdout.write(JSON.stringify(e) + '\n'), stop: () => undefined };
}

/**
 * On a terminal a live status line plus one line per finished change;
 * otherwise one line per finished change, throttled wait notices, and a
 * "Still creating… [20s elapsed]" line every 10 s for a change that takes
 * a while; the summary at the end.
 */
function textProgress(ctx: CliContext, color: boolean): Progress {
  const out = ctx.stdout;
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
  // Without a terminal, a change that takes a while gets a line every 10 s, as Terraform prints them.
  const stillPrinted = new Map<string, number>();
  const printStill = (): void => {
    const now = Date.now();
    for (const slow of longRunning(progress, now)) {
      const tens = Math.floor(slow.elapsedMs / STILL_AFTER_MS);
      if ((stillPrinted.get(slow.address) ?? 0) >= tens) continue;
      stillPrinted.set(slow.address, tens);
      printLine(renderStillLine(slow.address, slow.action, tens * STILL_AFTER_MS, slow.detail));
    }
  };
  const timer = tty ? setInterval(drawLive, 250) : setInterval(printStill, 1000);
  timer.unref();

  const printLine = (line: string): void => {
    clearLive();
    out.write(line + '\n');
    drawLive();
  };
  const stop = (): void => {
    clearInterval(timer);
    clearLive();
  };

  return {
    onEvent: (e) => {
      foldProgress(progress, e, Date.now());
      if (e.type === 'apply-done') {
        stop();
        out.write('\n' + renderApplySummary(e.result, color) + '\n');
        return;
      }
      if (e.type === 'wait') {
        if (tty) return drawLive();
        // A resource's own wait (provisioning) shows as its "Still creating…" line instead.
        if (e.reason === 'provisioning' && e.address !== undefined) return;
        // Without a terminal a wait is a line; repeat one reason at most every 5 s.
        const now = Date.now();
        const key = `${e.reason}:${e.address ?? ''}`;
        if (now - (lastWaitPrinted.get(key) ?? 0) >= 5000) {
          lastWaitPrinted.set(key, now);
          printLine(renderWaitLine(e));
        }
        return;
      }
      const line = renderEventLine(e, color);
      if (line !== undefined) printLine(line);
      else drawLive();
    },
    stop,
  };
}
