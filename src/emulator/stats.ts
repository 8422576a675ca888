import { FAULT_KINDS, type FaultKind } from './http/faults.js';

/**
 * What the emulator saw, for tests that assert on traffic ("drift sent no
 * write", "no duplicate POST", "exactly N requests"). Routes are keyed as
 * `METHOD /pattern` (`PATCH /apps/{app}/config-vars`); `/__emulator/*`
 * requests are never counted.
 */
export interface EmulatorStats {
  startedAt: string;
  /** Every Platform API request received (including ones answered 4xx/5xx or dropped). */
  requests: number;
  byMethod: Record<string, number>;
  /** By status code sent; dropped connections have none and appear only in `faults`. */
  byStatus: Record<string, number>;
  /** By route pattern; requests that matched no route are under `METHOD (no route)`. */
  byRoute: Record<string, number>;
  /** POST/PATCH/PUT/DELETE received, by route, whatever happened to them. */
  writes: Record<string, number>;
  /** The same by concrete path (`POST /apps/shop/addons`). */
  writePaths: Record<string, number>;
  /** Writes whose handler ran and succeeded (2xx), including ones dropped after being applied. */
  appliedWrites: Record<string, number>;
  rateLimited: number;
  preconditionFailed: number;
  notModified: number;
  faults: Record<FaultKind, number>;
  /**
   * When the first counted request arrived and the last answer was sent
   * (milliseconds since the epoch, sub-millisecond precision), so a benchmark
   * can measure the API span of a run without the client's start-up in it.
   */
  firstRequestAt?: number;
  lastResponseAt?: number;
}

/** Wall-clock milliseconds with the monotonic clock's precision. */
const nowMs = (): number => performance.timeOrigin + performance.now();

const bump = (map: Record<string, number>, key: string): void => {
  map[key] = (map[key] ?? 0) + 1;
};

export class StatsRecorder {
  private s: EmulatorStats = StatsRecorder.empty();

  static empty(): EmulatorStats {
    return {
      startedAt: new Date().toISOString(),
      requests: 0,
      byMethod: {},
      byStatus: {},
      byRoute: {},
      writes: {},
      writePaths: {},
      appliedWrites: {},
      rateLimited: 0,
      preconditionFailed: 0,
      notModified: 0,
      faults: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
    };
  }

  reset(): void {
    this.s = StatsRecorder.empty();
  }

  /** A deep copy: callers may keep it while traffic goes on. */
  snapshot(): EmulatorStats {
    return structuredClone(this.s);
  }

  request(method: string, route: string, path: string, isWrite: boolean): void {
    this.s.firstRequestAt ??= nowMs();
    this.s.requests += 1;
    bump(this.s.byMethod, method);
    bump(this.s.byRoute, route);
    if (isWrite) {
      bump(this.s.writes, route);
      bump(this.s.writePaths, `${method} ${path}`);
    }
  }

  status(code: number): void {
    this.s.lastResponseAt = nowMs();
    bump(this.s.byStatus, String(code));
    if (code === 429) this.s.rateLimited += 1;
    else if (code === 412) this.s.preconditionFailed += 1;
    else if (code === 304) this.s.notModified += 1;
  }

  applied(route: string): void {
    bump(this.s.appliedWrites, route);
  }

  fault(kind: FaultKind): void {
    this.s.faults[kind] += 1;
  }
}
