import { describe, expect, it } from 'vitest';
import type { ApplyResult } from '../../../src/model/apply.js';
import { foldProgress, formatMs, newProgress, renderApplySummary, renderEventLine, renderProgressLine, renderWaitLine } from '../../../src/render/apply-text.js';

const result = (over: Partial<ApplyResult> = {}): ApplyResult => ({
  succeeded: [],
  failed: [],
  skipped: [],
  conflicts: 0,
  releases: 0,
  requests: 0,
  interrupted: false,
  durationMs: 0,
  ...over,
});

describe('apply progress and summary text', () => {
  it('folds events into the live line, with the current wait and its countdown', () => {
    const p = newProgress();
    foldProgress(p, { type: 'apply-start', total: 4, apps: 2 }, 0);
    foldProgress(p, { type: 'change-start', changeId: 'a', address: 'app.a', action: 'create' }, 0);
    expect(renderProgressLine(p, 0, 120)).toBe('Applying: 0/4 done, 1 in progress — app.a');
    foldProgress(p, { type: 'change-done', changeId: 'a', address: 'app.a', action: 'create', outcome: 'succeeded', durationMs: 5 }, 10);
    foldProgress(p, { type: 'change-failed', changeId: 'b', address: 'app.b', action: 'update', outcome: 'conflict', message: 'x' }, 10);
    foldProgress(p, { type: 'wait', reason: 'rate-limit', ms: 2500 }, 10);
    expect(renderProgressLine(p, 10, 120)).toBe('Applying: 2/4 done, 1 failed — pacing for the rate limit (3s)');
    // The wait is over: the line drops it.
    foldProgress(p, { type: 'change-skipped', changeId: 'c', address: 'app.c', action: 'update', reason: 'r' }, 3000);
    expect(renderProgressLine(p, 3000, 120)).toBe('Applying: 3/4 done, 1 failed');
  });

  it('cuts the live line to the terminal width', () => {
    const p = newProgress();
    foldProgress(p, { type: 'apply-start', total: 1, apps: 1 }, 0);
    foldProgress(p, { type: 'change-start', changeId: 'a', address: 'app.a-very-long-app-name/domain.www.example.com', action: 'create' }, 0);
    const line = renderProgressLine(p, 0, 30);
    expect(line.length).toBe(29);
    expect(line.endsWith('…')).toBe(true);
  });

  it('prints one line per finished change; a conflict says to plan again', () => {
    expect(renderEventLine({ type: 'change-done', changeId: 'a', address: 'app.a', action: 'create', outcome: 'succeeded', durationMs: 1500 }, false)).toBe('✓ app.a: create (1.5s)');
    expect(renderEventLine({ type: 'change-failed', changeId: 'a', address: 'app.a/config', action: 'update', outcome: 'conflict', message: '412' }, false)).toBe(
      '✗ app.a/config: update failed: changed since plan — run plan again',
    );
    expect(renderEventLine({ type: 'change-skipped', changeId: 'a', address: 'app.a/formation', action: 'update', reason: 'depends on app.a/config' }, false)).toBe(
      '- app.a/formation: update skipped: depends on app.a/config',
    );
    expect(renderEventLine({ type: 'state-saved', serial: 3 }, false)).toBeUndefined();
    expect(renderEventLine({ type: 'change-done', changeId: 'a', address: 'app.a', action: 'create', outcome: 'succeeded', durationMs: 1 }, true)).toContain('\u001b[32m✓\u001b[39m');
    expect(renderWaitLine({ type: 'wait', reason: 'provisioning', ms: 2000, address: 'app.a/addon.db', detail: 'pg-1 is provisioning' })).toBe(
      '… app.a/addon.db: waiting for add-on provisioning for 2.0s (pg-1 is provisioning)',
    );
  });

  it('sums up outcomes, releases, requests and retries, and explains conflicts and interruptions', () => {
    expect(renderApplySummary(result({ succeeded: [{ changeId: 'a', address: 'app.a', action: 'create', outcome: 'succeeded' }], releases: 1, requests: 7, retries: 2, durationMs: 800 }), false)).toBe(
      'Apply complete! 1 succeeded, 0 failed, 0 skipped. 1 release (dyno restarts), 7 API requests (2 retried), 800ms.',
    );
    const conflict = renderApplySummary(
      result({ failed: [{ changeId: 'c', address: 'app.a/config', action: 'update', outcome: 'conflict', message: 'changed since plan' }], conflicts: 1, requests: 1 }),
      false,
    );
    expect(conflict).toContain('Apply finished with errors.');
    expect(conflict).toContain('  ✗ app.a/config: changed since plan');
    expect(conflict).toContain('1 change conflicted');
    expect(renderApplySummary(result({ interrupted: true }), false)).toContain('State was saved for every finished change');
  });

  it('formats durations for people', () => {
    expect([formatMs(12), formatMs(1234), formatMs(61_000), formatMs(3_725_000)]).toEqual(['12ms', '1.2s', '1m01s', '62m05s']);
  });
});
