/**
 * Progress and accounting of the Platform API client
 * (src/providers/heroku/client.ts). Apply and render consume these events;
 * the client itself never prints.
 */
export type ClientEvent =
  /** The client is holding requests back: pacing to the refill rate under the reserve, or after a 429. */
  | { type: 'rate-limit-wait'; ms: number; remaining: number; reason?: 'pacing' | '429' }
  /** A request is sent again after a retryable failure. */
  | {
      type: 'retry';
      attempt: number;
      ms: number;
      /** Short words for a progress line, e.g. "connection refused" or "429 rate limited, Retry-After 30s". */
      reason: string;
      method: string;
      path: string;
      /** This retry's number, and the most there will be (absent: bounded by the deadline only, as for 429s). */
      retry?: number;
      of?: number;
    }
  /** A `Warning-Message` from the API, or a client-side warning (each distinct message once). */
  | { type: 'warning'; message: string }
  /** One HTTP exchange finished; `status` is 0 when no response arrived. */
  | { type: 'request'; method: string; path: string; status: number; ms: number };

export interface ClientStats {
  /** HTTP requests sent, retries and free rate-limit reads included. */
  requests: number;
  /** Requests that were attempts after the first for the same call. */
  retries: number;
  /** Pauses taken for the rate limit (pacing or 429 back-off). */
  rateLimitWaits: number;
  /** Total milliseconds spent in those pauses. */
  waitedMs: number;
  status429: number;
  status412: number;
  /** Requests sent per HTTP method. */
  byMethod: Record<string, number>;
}
