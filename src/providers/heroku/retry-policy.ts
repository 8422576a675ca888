/**
 * When the client sends a request again, and how long it waits first. A
 * pure function of the call so far and the latest failure, so every rule
 * (which failures are worth another try, how many, back-off, Retry-After,
 * the deadline) is unit-tested without sockets or timers. The client keeps
 * what needs I/O: read-backs after ambiguous writes, the pause itself, and
 * turning a `give-up` into a typed error.
 */

export interface RetryConfig {
  /** Attempts after the first for 5xx and dropped connections. */
  maxRetries: number;
  /** Attempts after the first when the connection is refused (the server is down or not there yet). */
  maxRefusedRetries: number;
  /** First back-off step for 5xx and network failures. */
  retryBaseMs: number;
  /** First back-off step after a 429 without Retry-After. */
  rateLimitBaseMs: number;
  /** How long one call may keep retrying, waits included. */
  deadlineMs: number;
  /** 0..1; injected so tests are deterministic. */
  random?: () => number;
}

/** What one call has been through so far. */
export interface Attempt {
  /** 1 for the first try. */
  number: number;
  /** Failures counted against maxRetries (5xx, network) so far, this one included. */
  failures: number;
  /** 429s so far, this one included. */
  rateLimited: number;
  /** Connection refusals so far, this one included. */
  refused: number;
  /** Time since the first exchange started. */
  elapsedMs: number;
}

export type Outcome =
  /** No (complete) response: Node's error code, and whether the request may have reached the server. */
  | { type: 'network'; code: string }
  /** An error status with the API's error id; `retryAfterMs` from a valid Retry-After header. */
  | { type: 'status'; status: number; id?: string; retryAfterMs?: number };

export type Step =
  | {
      type: 'retry';
      ms: number;
      /** Short words for progress lines, e.g. "connection refused" or "503". */
      reason: string;
      /** The wait is for the rate limit (counted as such) rather than a fault. */
      rateLimit: boolean;
      /** This retry's number and the most there can be (undefined: bounded by the deadline only). */
      retry: number;
      of?: number;
    }
  | {
      type: 'give-up';
      /**
       * `fatal`: retrying cannot help (a TLS or certificate problem, an
       * unknown host, a client error); `exhausted`: the retries ran out;
       * `deadline`: the next wait would pass the deadline.
       */
      why: 'fatal' | 'exhausted' | 'deadline';
      /** The wait that was refused, for `deadline`. */
      ms?: number;
    };

/** Failures no retry can mend: a plain-http server behind https://, bad certificates, unknown hosts. */
const FATAL_NETWORK = new Set([
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ENOTFOUND',
  'ENOTLOOPBACK',
  'EBODYTOOLARGE',
]);

/** True for codes that mean the TLS handshake itself failed (as opposed to a certificate that did not verify). */
export function isTlsHandshakeFailure(code: string): boolean {
  return code === 'EPROTO' || code.startsWith('ERR_SSL_');
}

export function isFatalNetworkCode(code: string): boolean {
  return FATAL_NETWORK.has(code) || isTlsHandshakeFailure(code);
}

/** Exponential back-off with jitter: half fixed, half random, so retries of many calls spread out. */
export function backoff(step: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, step - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'no response in time',
  EPIPE: 'connection closed',
  EAI_AGAIN: 'name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

export function nextStep(config: RetryConfig, attempt: Attempt, outcome: Outcome): Step {
  const random = config.random ?? Math.random;
  const within = (step: Extract<Step, { type: 'retry' }>): Step =>
    attempt.elapsedMs + step.ms > config.deadlineMs ? { type: 'give-up', why: 'deadline', ms: step.ms } : step;

  if (outcome.type === 'network') {
    if (isFatalNetworkCode(outcome.code)) return { type: 'give-up', why: 'fatal' };
    const reason = REASONS[outcome.code] ?? outcome.code;
    if (outcome.code === 'ECONNREFUSED') {
      // Nothing listens there: a few quick tries cover a server that is starting, then say so.
      if (attempt.refused > config.maxRefusedRetries) return { type: 'give-up', why: 'exhausted' };
      return within({ type: 'retry', ms: backoff(attempt.refused, config.retryBaseMs, 2_000, random), reason, rateLimit: false, retry: attempt.refused, of: config.maxRefusedRetries });
    }
    if (attempt.failures > config.maxRetries) return { type: 'give-up', why: 'exhausted' };
    return within({ type: 'retry', ms: backoff(attempt.failures, config.retryBaseMs, 30_000, random), reason, rateLimit: false, retry: attempt.failures, of: config.maxRetries });
  }

  const { status, retryAfterMs } = outcome;
  const said = outcome.id !== undefined ? `${status} ${outcome.id}` : String(status);
  const reason = retryAfterMs !== undefined ? `${said}, Retry-After ${Math.ceil(retryAfterMs / 1000)}s` : said;
  if (status === 429) {
    // The API did not process it; only the deadline bounds how long we keep asking.
    const ms = Math.max(retryAfterMs ?? 0, backoff(Math.min(attempt.rateLimited, 16), config.rateLimitBaseMs, 60_000, random));
    return within({ type: 'retry', ms, reason, rateLimit: true, retry: attempt.rateLimited });
  }
  if (status >= 500) {
    if (attempt.failures > config.maxRetries) return { type: 'give-up', why: 'exhausted' };
    const ms = Math.max(retryAfterMs ?? 0, backoff(attempt.failures, config.retryBaseMs, 30_000, random));
    return within({ type: 'retry', ms, reason, rateLimit: false, retry: attempt.failures, of: config.maxRetries });
  }
  return { type: 'give-up', why: 'fatal' };
}

/**
 * `Retry-After` as milliseconds: delta-seconds or an HTTP date (RFC 9110
 * §10.2.3). Anything else, negative, or absurd (over a day) is ignored.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  let ms: number | undefined;
  if (/^\d{1,6}$/.test(v)) ms = Number(v) * 1000;
  else if (/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(v)) {
    const t = Date.parse(v);
    if (Number.isFinite(t)) ms = Math.max(0, t - nowMs);
  }
  if (ms === undefined || ms > 86_400_000) return undefined;
  return ms;
}
