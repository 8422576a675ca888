import { Random } from '../random.js';

/**
 * - `500` / `503`: answered with the API's error body before the request is handled.
 * - `drop-before`: the socket is destroyed before the request is handled (nothing happened).
 * - `drop-after`: the request is handled (a write is applied), then the socket is
 *   destroyed instead of answering — the client cannot tell whether it happened.
 */
export type FaultKind = '500' | '503' | 'drop-before' | 'drop-after';
export const FAULT_KINDS: readonly FaultKind[] = ['500', '503', 'drop-before', 'drop-after'];

export interface FaultMatch {
  method?: string;
  path?: RegExp;
}

interface Targeted {
  remaining: number;
  kind: FaultKind;
  match: FaultMatch;
}

export class FaultInjector {
  private readonly rng: Random;
  private readonly targeted: Targeted[] = [];

  constructor(
    private rate: number,
    seed: number,
  ) {
    this.rng = new Random(seed, 1);
  }

  setRate(p: number): void {
    assertRate(p);
    this.rate = p;
  }

  getRate(): number {
    return this.rate;
  }

  failNext(n: number, kind: FaultKind, match: FaultMatch = {}): void {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`failNext: n must be a non-negative integer, got ${n}`);
    if (!FAULT_KINDS.includes(kind)) throw new RangeError(`failNext: unknown fault kind ${String(kind)}`);
    if (n > 0) this.targeted.push({ remaining: n, kind, match });
  }

  /** Decides the fault for one Platform API request, if any. */
  decide(method: string, path: string, isWrite: boolean): FaultKind | undefined {
    // Always three draws per request, so that the sequence under a seed does
    // not depend on the fault rate or on targeted faults.
    const hit = this.rng.next();
    const which = this.rng.next();
    const after = this.rng.next();

    const t = this.targeted.find(
      (f) => (f.match.method === undefined || f.match.method.toUpperCase() === method) && (f.match.path === undefined || f.match.path.test(path)),
    );
    if (t) {
      t.remaining -= 1;
      if (t.remaining === 0) this.targeted.splice(this.targeted.indexOf(t), 1);
      return t.kind;
    }
    if (this.rate <= 0 || hit >= this.rate) return undefined;
    if (which < 0.3) return '500';
    if (which < 0.6) return '503';
    // Only a write makes "dropped after handling" different from "dropped before".
    return isWrite && after < 0.5 ? 'drop-after' : 'drop-before';
  }
}

export function assertRate(p: number): void {
  if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1) {
    throw new RangeError(`fault rate must be a number between 0 and 1, got ${String(p)}`);
  }
}

/** Latency with uniform jitter, drawn from its own stream. */
export class Latency {
  private readonly rng: Random;

  constructor(
    private readonly ms: number,
    private readonly jitter: number,
    seed: number,
  ) {
    this.rng = new Random(seed, 2);
  }

  next(): number {
    if (this.ms <= 0 && this.jitter <= 0) return 0;
    return Math.max(0, Math.round(this.ms + (this.rng.next() * 2 - 1) * this.jitter));
  }
}
