import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CliContext } from '../../../src/cli/context.js';
import { createApplyView } from '../../../src/cli/views/apply.js';
import { createReadProgressView } from '../../../src/cli/views/read-progress.js';
import { foldProgress, newProgress, renderProgressLine, renderStillLine } from '../../../src/render/apply-text.js';
import { renderReadEstimate, renderReadProgress } from '../../../src/render/read-progress.js';

class Capture extends Writable {
  text = '';
  columns = 120;
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

function context(tty: boolean): CliContext & { stdout: Capture; stderr: Capture } {
  const stdin = new PassThrough();
  stdin.end();
  return { argv: [], env: {}, cwd: '/', stdout: new Capture(tty), stderr: new Capture(tty), stdin, exitCode: 0, signal: new AbortController().signal };
}

describe('Terraform-style progress of a change that takes a while', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('prints "Still creating… [Ns elapsed]" every 10 s without a terminal, naming the resource and what it waits for', () => {
    const ctx = context(false);
    const view = createApplyView(ctx, { format: 'text', color: false });
    view.onEvent({ type: 'apply-start', total: 2, apps: 1 });
    view.onEvent({ type: 'change-start', changeId: 'a', address: 'app.shop/addon.db', action: 'create' });
    view.onEvent({ type: 'change-start', changeId: 'b', address: 'app.shop/domain.www.shop.test', action: 'create' });
    view.onEvent({ type: 'wait', reason: 'provisioning', ms: 3000, address: 'app.shop/addon.db', detail: 'db-1 is provisioning' });
    view.onEvent({ type: 'change-done', changeId: 'b', address: 'app.shop/domain.www.shop.test', action: 'create', outcome: 'succeeded', durationMs: 40 });
    vi.advanceTimersByTime(25_000);
    view.onEvent({ type: 'change-done', changeId: 'a', address: 'app.shop/addon.db', action: 'create', outcome: 'succeeded', durationMs: 25_000 });
    view.stop();
    expect(ctx.stdout.text.split('\n').filter((l) => l !== '')).toEqual([
      '✓ app.shop/domain.www.shop.test: create (40ms)',
      'app.shop/addon.db: Still creating… [10s elapsed] (db-1 is provisioning)',
      'app.shop/addon.db: Still creating… [20s elapsed] (db-1 is provisioning)',
      '✓ app.shop/addon.db: create (25.0s)',
    ]);
  });

  it('shows the oldest slow change with its elapsed time on the live line, not a poll countdown', () => {
    const p = newProgress();
    foldProgress(p, { type: 'apply-start', total: 3, apps: 1 }, 0);
    foldProgress(p, { type: 'change-start', changeId: 'a', address: 'app.a/addon.db', action: 'create' }, 0);
    foldProgress(p, { type: 'change-start', changeId: 'b', address: 'app.a', action: 'delete' }, 5_000);
    foldProgress(p, { type: 'wait', reason: 'provisioning', ms: 2000, address: 'app.a/addon.db', detail: 'db-1 is provisioning' }, 9_000);
    expect(renderProgressLine(p, 9_000, 200)).toBe('Applying: 0/3 done, 2 in progress — app.a/addon.db');
    expect(renderProgressLine(p, 20_500, 200)).toBe('Applying: 0/3 done, 2 in progress — app.a/addon.db: Still creating… [20s elapsed] (db-1 is provisioning)');
    expect(renderStillLine('app.a', 'delete', 12_000)).toBe('app.a: Still destroying… [12s elapsed]');
    expect(renderStillLine('app.a', 'update', 10_000)).toBe('app.a: Still modifying… [10s elapsed]');
  });
});

describe('read progress', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  const estimate = { type: 'read-estimate' as const, requests: 6004, apps: 1500, remaining: 1000, reserve: 100, refillPerHour: 36_000, etaMs: 530_000, paced: true };

  it('words the estimate and a progress line', () => {
    expect(renderReadEstimate(estimate)).toBe(
      'Reading 1,500 apps needs about 6,004 API requests; the rate-limit budget allows 1,000 now (refilling 36,000/hour), so this will take about 9 min.',
    );
    expect(renderReadProgress({ appsRead: 150, appsTotal: 1500, requests: 603, requestsTotal: 6004, remaining: 0, pacedPerHour: 36_000, etaMs: 480_000 })).toBe(
      'Reading live state: 603/6,004 requests (10%), 150/1,500 apps, budget 0 left, paced at 10.0 req/s, about 8 min left',
    );
  });

  it('without a terminal: the estimate, then a line per 10 % of the reads or per 10 s', () => {
    const ctx = context(false);
    const view = createReadProgressView(ctx, 'text');
    view.onEvent(estimate);
    for (let read = 1; read <= 40; read++) {
      vi.advanceTimersByTime(2_000);
      view.onEvent({ type: 'read-progress', appsRead: read, appsTotal: 1500, requests: read * 4, requestsTotal: 6004, remaining: 0, etaMs: 500_000 });
    }
    // Then the reads speed up: 10 % of them in no time.
    view.onEvent({ type: 'read-progress', appsRead: 160, appsTotal: 1500, requests: 640, requestsTotal: 6004, remaining: 0, etaMs: 400_000 });
    const lines = ctx.stderr.text.split('\n').filter((l) => l !== '');
    expect(lines[0]).toBe(renderReadEstimate(estimate));
    // 80 s of reading under 10 %: one line each 10 s; then one for crossing 10 %.
    expect(lines.slice(1).map((l) => l.replace(/ requests .*/, ''))).toEqual(
      [20, 40, 60, 80, 100, 120, 140, 160, 640].map((n) => `Reading live state: ${n}/6,004`),
    );
  });

  it('on a terminal: one live line redrawn in place, cleared at the end', () => {
    const ctx = context(true);
    const view = createReadProgressView(ctx, 'text');
    view.onEvent(estimate);
    view.onEvent({ type: 'read-progress', appsRead: 1, appsTotal: 2, requests: 8, requestsTotal: 12, remaining: 3, etaMs: 4_000 });
    vi.advanceTimersByTime(2_000);
    view.onEvent({ type: 'read-progress', appsRead: 2, appsTotal: 2, requests: 12, requestsTotal: 12, remaining: 3, etaMs: 0 });
    const text = ctx.stderr.text;
    expect(text).toContain('\r\u001b[2KReading live state: 8/12 requests (66%), 1/2 apps, budget 3 left, about 4 s left');
    expect(text).toContain('\r\u001b[2KReading live state: 8/12 requests (66%), 1/2 apps, budget 3 left, about 2 s left');
    expect(text.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('--format json: the same events as JSON lines', () => {
    const ctx = context(false);
    const view = createReadProgressView(ctx, 'json');
    view.onEvent(estimate);
    expect(JSON.parse(ctx.stderr.text.trim())).toEqual(estimate);
  });
});
