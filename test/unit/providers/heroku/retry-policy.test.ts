import { describe, expect, it } from 'vitest';
import { nextStep, parseRetryAfter, type Attempt, type RetryConfig } from '../../../../src/providers/heroku/retry-policy.js';

// The retry rules without sockets or timers: each case is (call so far, latest failure) → step.
const config: RetryConfig = { maxRetries: 3, maxRefusedRetries: 5, retryBaseMs: 100, rateLimitBaseMs: 1000, deadlineMs: 60_000, random: () => 0.5 };
const at = (p: Partial<Attempt> = {}): Attempt => ({ number: 1, failures: 0, rateLimited: 0, refused: 0, elapsedMs: 0, ...p });

describe('nextStep', () => {
  it('retries 5xx with growing back-off, numbered against maxRetries, then gives up', () => {
    const steps = [1, 2, 3].map((failures) => nextStep(config, at({ failures }), { type: 'status', status: 503, id: 'unavailable' }));
    expect(steps.map((s) => (s.type === 'retry' ? [s.ms, s.retry, s.of, s.reason] : s.type))).toEqual([
      [75, 1, 3, '503 unavailable'],
      [150, 2, 3, '503 unavailable'],
      [300, 3, 3, '503 unavailable'],
    ]);
    expect(nextStep(config, at({ failures: 4 }), { type: 'status', status: 503 })).toEqual({ type: 'give-up', why: 'exhausted' });
  });

  it('gives a refused connection its own, short budget ("retrying 2/5")', () => {
    const s = nextStep(config, at({ refused: 2 }), { type: 'network', code: 'ECONNREFUSED' });
    expect(s).toMatchObject({ type: 'retry', reason: 'connection refused', retry: 2, of: 5, rateLimit: false });
    expect(nextStep(config, at({ refused: 6 }), { type: 'network', code: 'ECONNREFUSED' })).toEqual({ type: 'give-up', why: 'exhausted' });
    // Six refusals cost a few seconds at most, not the 40 s of the general budget.
    const total = [1, 2, 3, 4, 5].reduce((sum, refused) => {
      const step = nextStep({ ...config, retryBaseMs: 250, random: () => 1 }, at({ refused }), { type: 'network', code: 'ECONNREFUSED' });
      return sum + (step.type === 'retry' ? step.ms : 0);
    }, 0);
    expect(total).toBeLessThanOrEqual(6000);
  });

  it('never retries what no retry can mend: TLS to a plain-http server, bad certificates, unknown hosts, oversized bodies', () => {
    for (const code of ['EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER', 'CERT_HAS_EXPIRED', 'ENOTFOUND', 'ENOTLOOPBACK', 'EBODYTOOLARGE']) {
      expect(nextStep(config, at({ failures: 1 }), { type: 'network', code })).toEqual({ type: 'give-up', why: 'fatal' });
    }
    expect(nextStep(config, at({ failures: 1 }), { type: 'network', code: 'ECONNRESET' })).toMatchObject({ type: 'retry', reason: 'connection reset' });
  });

  it('does not retry client errors', () => {
    for (const status of [400, 401, 403, 404, 422]) expect(nextStep(config, at(), { type: 'status', status })).toEqual({ type: 'give-up', why: 'fatal' });
  });

  it('honours Retry-After on 429 (and 503) and says so', () => {
    const s = nextStep(config, at({ rateLimited: 1 }), { type: 'status', status: 429, id: 'rate_limit', retryAfterMs: 30_000 });
    expect(s).toEqual({ type: 'retry', ms: 30_000, reason: '429 rate_limit, Retry-After 30s', rateLimit: true, retry: 1 });
    expect(nextStep(config, at({ failures: 1 }), { type: 'status', status: 503, retryAfterMs: 2000 })).toMatchObject({ ms: 2000, reason: '503, Retry-After 2s' });
    // Without it, the 429 back-off applies.
    expect(nextStep(config, at({ rateLimited: 1 }), { type: 'status', status: 429 })).toMatchObject({ ms: 750 });
  });

  it('refuses any wait that would end past the deadline, naming it', () => {
    const s = nextStep(config, at({ rateLimited: 1, elapsedMs: 1000 }), { type: 'status', status: 429, retryAfterMs: 3_600_000 });
    expect(s).toEqual({ type: 'give-up', why: 'deadline', ms: 3_600_000 });
    expect(nextStep(config, at({ failures: 1, elapsedMs: 59_990 }), { type: 'status', status: 500 })).toMatchObject({ type: 'give-up', why: 'deadline' });
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, and ignores junk, negatives and absurd values', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(' 120 ')).toBe(120_000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    for (const junk of [undefined, '', '-5', '1e9', 'soon', '3.5', '99999999', 'Thu, 01 Jan 2099 00:00:00 GMT']) {
      expect(parseRetryAfter(junk, now)).toBeUndefined();
    }
  });
});
