/**
 * A client-side model of the account's token bucket. The API never announces
 * the pool size or the refill rate, only `RateLimit-Remaining` after each
 * request, so the model keeps an estimate that every response corrects:
 *
 * - tokens are taken when a request is let through (not when it returns), so
 *   requests queued or in flight are already counted;
 * - each response resets the estimate to the header minus what is still
 *   outstanding (this errs low, never high, which is the safe side);
 * - the pool is the largest remaining ever seen, at least the configured size;
 * - the refill rate is the configured one, lowered to what the headers show
 *   when the observed rate is slower (e.g. an older 1200/hour account).
 *
 * Under the reserve (a fraction of the pool) requests are let through only as
 * fast as tokens come back, so a large apply slows down instead of running
 * into 429s. Time is injected so the arithmetic is unit-testable.
 */
export interface RateBudgetOptions {
  /** Pool size to assume until a larger remaining is seen. */
  bucketSize: number;
  /** Refill rate to assume (tokens per hour) unless a slower one is observed. */
  refillPerHour: number;
  /** Fraction of the pool kept in reserve, 0..1. */
  reserveFraction: number;
  now?: () => number;
}

const HOUR_MS = 3_600_000;
/** Windows shorter than this are too noisy to estimate a rate from. */
const MIN_WINDOW_MS = 20_000;
/** Longer windows may hide a moment when the bucket was full (idle client). */
const MAX_WINDOW_MS = 300_000;
/** Never assume less than this, so a bad estimate cannot stall the client forever (429s still correct it). */
const MIN_REFILL_PER_HOUR = 60;

interface Sample {
  t: number;
  remaining: number;
  /** Token-costing responses settled up to and including this sample. */
  settled: number;
}

export class RateBudget {
  private readonly opts: Required<RateBudgetOptions>;
  /** Estimated tokens at time `at`; undefined until the API has told us anything. */
  private tokens: number | undefined;
  private at = 0;
  /** Tokens taken whose response has not arrived. */
  private outstanding = 0;
  private settledCount = 0;
  private maxSeen = 0;
  private anchor: Sample | undefined;
  private observedPerHour: number | undefined;
  private lastHeader: number | undefined;
  private lastTake: number | undefined;

  constructor(opts: RateBudgetOptions) {
    if (!(opts.bucketSize >= 1)) throw new RangeError('bucketSize must be at least 1');
    if (!(opts.refillPerHour > 0)) throw new RangeError('refillPerHour must be positive');
    if (!(opts.reserveFraction >= 0 && opts.reserveFraction < 1)) throw new RangeError('reserveFraction must be in [0, 1)');
    this.opts = { now: () => performance.now(), ...opts };
  }

  /** The pool size: the largest remaining seen, at least the configured bucket. */
  pool(): number {
    return Math.max(this.opts.bucketSize, this.maxSeen);
  }

  reserve(): number {
    return Math.ceil(this.pool() * this.opts.reserveFraction);
  }

  /** The refill rate in use (tokens per hour). */
  refillPerHour(): number {
    const configured = this.opts.refillPerHour;
    const observed = this.observedPerHour;
    return observed === undefined ? configured : Math.max(MIN_REFILL_PER_HOUR, Math.min(configured, observed));
  }

  /** Refill rate estimated from the headers, when there has been enough to go on. */
  observedRefillPerHour(): number | undefined {
    return this.observedPerHour;
  }

  known(): boolean {
    return this.tokens !== undefined;
  }

  /** The last `RateLimit-Remaining` the API sent. */
  lastRemaining(): number | undefined {
    return this.lastHeader;
  }

  /** Estimated tokens available now (after refill, minus outstanding). */
  remaining(): number | undefined {
    if (this.tokens === undefined) return undefined;
    const now = this.opts.now();
    const perMs = this.refillPerHour() / HOUR_MS;
    return Math.min(this.pool(), this.tokens + perMs * Math.max(0, now - this.at));
  }

  /**
   * Milliseconds to wait before the next request may go; 0 = now. Above the
   * reserve requests go at once; under it one goes per refilled token (so
   * the remaining budget holds steady instead of draining), and never while
   * the estimate says the bucket is empty.
   */
  delayForNext(): number {
    const avail = this.remaining();
    if (avail === undefined) return 0;
    if (avail >= this.reserve() + 1) return 0;
    const perMs = this.refillPerHour() / HOUR_MS;
    const interval = 1 / perMs;
    const now = this.opts.now();
    const spacing = this.lastTake === undefined ? 0 : this.lastTake + interval - now;
    const deficit = avail < 1 ? (1 - avail) / perMs : 0;
    return Math.max(0, Math.ceil(Math.max(spacing, deficit)));
  }

  /** A request is let through. */
  take(): void {
    this.outstanding += 1;
    this.lastTake = this.opts.now();
    const avail = this.remaining();
    if (avail !== undefined) this.set(avail - 1);
  }

  /**
   * A token-costing request finished. `header` is its `RateLimit-Remaining`,
   * undefined when no response (or no header) came back; `counted` is false
   * for answers the API does not charge (429).
   */
  settle(header: number | undefined, counted = true): void {
    this.outstanding = Math.max(0, this.outstanding - 1);
    if (counted) this.settledCount += 1;
    if (header === undefined || !Number.isFinite(header)) return;
    this.observe(header);
  }

  /** A value from the free `GET /account/rate-limits`. */
  observeFree(remaining: number): void {
    if (Number.isFinite(remaining)) this.observe(remaining);
  }

  private observe(header: number): void {
    this.lastHeader = header;
    this.maxSeen = Math.max(this.maxSeen, header);
    this.set(header - this.outstanding);
    this.learnRate({ t: this.opts.now(), remaining: header, settled: this.settledCount });
  }

  private set(tokens: number): void {
    this.tokens = tokens;
    this.at = this.opts.now();
  }

  private learnRate(s: Sample): void {
    // A full bucket hides refill, so windows start after it stops being full.
    if (s.remaining >= this.pool() || !this.anchor || s.t - this.anchor.t > MAX_WINDOW_MS) {
      this.anchor = s.remaining >= this.pool() ? undefined : s;
      return;
    }
    const dt = s.t - this.anchor.t;
    if (dt < MIN_WINDOW_MS) return;
    // remaining(t) = remaining(a) - consumed + refill·dt
    const refilled = s.remaining - this.anchor.remaining + (s.settled - this.anchor.settled);
    const perHour = Math.max(0, (refilled / dt) * HOUR_MS);
    this.observedPerHour = this.observedPerHour === undefined ? perHour : (this.observedPerHour + perHour) / 2;
    this.anchor = s;
  }

  /**
   * How long `n` more token-costing requests will take: those above the
   * reserve at the client's concurrency and latency, the rest at the refill
   * rate (less what refills meanwhile).
   */
  estimateMs(n: number, concurrency: number, latencyMs: number): number {
    if (n <= 0) return 0;
    const avail = this.remaining() ?? this.pool();
    const free = Math.max(0, Math.floor(avail - this.reserve()));
    const fast = Math.min(n, free);
    const fastMs = Math.ceil(fast / Math.max(1, concurrency)) * latencyMs;
    const perMs = this.refillPerHour() / HOUR_MS;
    const paced = Math.max(0, n - fast - perMs * fastMs);
    return Math.round(fastMs + (paced > 0 ? paced / perMs + latencyMs : 0));
  }
}
