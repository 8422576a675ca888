import { assertRate } from './http/faults.js';

/**
 * The `dynoform emulator` command's port when none is given: not 5000,
 * which AirPlay Receiver holds on macOS (and Flask's default), so the
 * README's first command does not fail with EADDRINUSE on a Mac.
 */
export const DEFAULT_CLI_PORT = 5055;

export interface EmulatorOptions {
  /** Interface to bind; default 127.0.0.1 (the Heroku CLI only talks to localhost or 127.0.0.1). */
  host?: string;
  /** Port; default 0 (a free port, see `handle.port`). The CLI defaults to `DEFAULT_CLI_PORT` (5055). */
  port?: number;
  /** Added before every Platform API answer, in ms; default 0. */
  latencyMs?: number;
  /** Uniform ± jitter around `latencyMs`, in ms; default a quarter of `latencyMs`. */
  jitter?: number;
  /** Token-bucket size per account; default 1200 (the original reference; today's API: 4500). */
  rateLimit?: number;
  /** Tokens returned per hour; default 1200 (today's API: 4500). */
  refillPerHour?: number;
  /** Share of Platform API requests answered 500/503 or dropped; default 0. */
  faultRate?: number;
  /** Makes faults, jitter, generated names and ids repeat exactly; default random. */
  seed?: number;
  /** How long async add-ons stay `provisioning` and new domains `pending`, in ms; default 0 (next tick). */
  provisionDelayMs?: number;
  /** Accept only these API keys, each its own account; default: any non-empty token is one account. */
  apiKeys?: string[];
  /** Load state from this JSON file at start (if it exists) and save it after changes and at close. */
  dataFile?: string;
  /** Where unexpected handler errors are reported; default: nowhere (they still answer 500). */
  log?: (line: string) => void;
  /**
   * The clock the rate-limit buckets refill by, in ms; default Date.now. A
   * test passes a faster one (and the same to its client) to run a slow
   * bucket in a fraction of the time with the same request counts.
   */
  rateLimitClock?: () => number;
}

export interface ResolvedOptions {
  host: string;
  port: number;
  latencyMs: number;
  jitter: number;
  rateLimit: number;
  refillPerHour: number;
  faultRate: number;
  seed: number | undefined;
  provisionDelayMs: number;
  apiKeys: string[] | undefined;
  dataFile: string | undefined;
  log: (line: string) => void;
  rateLimitClock: () => number;
}

function nonNegative(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`${name} must be a non-negative number, got ${String(v)}`);
  return v;
}

/** Checks every option at the boundary, so a typo fails at start rather than mid-test. */
export function resolveOptions(o: EmulatorOptions = {}): ResolvedOptions {
  const port = o.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be an integer from 0 to 65535, got ${String(o.port)}`);
  const latencyMs = nonNegative('latencyMs', o.latencyMs, 0);
  const rateLimit = nonNegative('rateLimit', o.rateLimit, 1200);
  if (!Number.isInteger(rateLimit) || rateLimit < 1) throw new RangeError(`rateLimit must be a positive integer, got ${String(o.rateLimit)}`);
  const faultRate = o.faultRate ?? 0;
  assertRate(faultRate);
  if (o.seed !== undefined && (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff)) {
    throw new RangeError(`seed must be an integer from 0 to 4294967295, got ${String(o.seed)}`);
  }
  if (o.apiKeys !== undefined) {
    if (!Array.isArray(o.apiKeys) || o.apiKeys.length === 0) throw new RangeError('apiKeys, when given, must list at least one key');
    // Never echo a key: even a malformed one may be a real credential.
    if (o.apiKeys.some((k) => typeof k !== 'string' || k.trim() === '' || /\s/.test(k))) {
      throw new RangeError('apiKeys must be non-empty strings without whitespace');
    }
  }
  if (o.dataFile !== undefined && (typeof o.dataFile !== 'string' || o.dataFile === '')) throw new RangeError('dataFile must be a path');
  return {
    host: o.host ?? '127.0.0.1',
    port,
    latencyMs,
    jitter: nonNegative('jitter', o.jitter, latencyMs / 4),
    rateLimit,
    refillPerHour: nonNegative('refillPerHour', o.refillPerHour, 1200),
    faultRate,
    seed: o.seed,
    provisionDelayMs: nonNegative('provisionDelayMs', o.provisionDelayMs, 0),
    apiKeys: o.apiKeys === undefined ? undefined : [...new Set(o.apiKeys)],
    dataFile: o.dataFile,
    log: o.log ?? (() => undefined),
    rateLimitClock: o.rateLimitClock ?? Date.now,
  };
}
