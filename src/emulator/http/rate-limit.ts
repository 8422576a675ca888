/**
 * One token bucket per account, as the Platform API describes its limit:
 * every call takes a token, tokens come back continuously at `refillPerHour`,
 * and the bucket never holds more than `capacity`. An empty bucket means 429.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly capacity: number,
    private readonly refillPerHour: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  private refill(now: number): void {
    if (now > this.updatedAt) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) * this.refillPerHour) / 3_600_000);
    }
    this.updatedAt = now;
  }

  /** Takes one token; false when none is left. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  remaining(now: number): number {
    this.refill(now);
    return Math.floor(this.tokens);
  }
}

export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly capacity: number,
    private readonly refillPerHour: number,
  ) {}

  bucket(key: string, now: number): TokenBucket {
    let b = this.buckets.get(key);
    if (!b) {
      b = new TokenBucket(this.capacity, this.refillPerHour, now);
      this.buckets.set(key, b);
    }
    return b;
  }
}
