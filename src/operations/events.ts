import type { ApplyEvent } from '../model/apply.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Plan } from '../model/plan.js';

/**
 * What an operation reports while it runs, besides its result: the
 * configuration's diagnostics as they are found, notices (warnings about
 * credentials, a taken-over lock, the API's Warning-Message), debug lines
 * (DYNOFORM_DEBUG) and the phase it is in. Views print them; the library never does.
 */
export type OperationEvent =
  | { type: 'diagnostic'; diagnostic: Diagnostic }
  /** A warning of the operation itself: credentials, a taken-over lock, the API's Warning-Message. */
  | { type: 'notice'; message: string }
  | { type: 'debug'; message: string }
  /** The client is pausing before a retry: a failure, or a 429 (with the API's Retry-After). Rate-limit pacing shows as read-progress. */
  | { type: 'wait'; reason: 'rate-limit' | 'retry'; ms: number; detail: string }
  | { type: 'phase'; phase: 'read-live'; apps: number }
  | ReadEstimateEvent
  | ReadProgressEvent;

/**
 * Before the first live read: what the reads will cost (an upper bound: every
 * declared app existing) against the rate-limit budget, and how long the
 * client expects them to take. `paced` when the budget above the client's
 * reserve cannot hold them, so the plan will wait for the refill.
 */
export interface ReadEstimateEvent {
  type: 'read-estimate';
  requests: number;
  apps: number;
  /** Tokens left, as the API said (absent when the free read failed). */
  remaining?: number;
  /** Tokens the client keeps in hand for other clients of the account. */
  reserve: number;
  /** Refill the client paces to (learned from the headers, else the profile). */
  refillPerHour: number;
  etaMs: number;
  paced: boolean;
}

/** While the live reads run: after each app, and at each rate-limit pause. */
export interface ReadProgressEvent {
  type: 'read-progress';
  appsRead: number;
  appsTotal: number;
  /** Requests sent so far by these reads, and how many they will be (an upper bound until the app list is in). */
  requests: number;
  requestsTotal: number;
  remaining?: number;
  /** Set while the client paces itself to the refill rate: that rate. */
  pacedPerHour?: number;
  /** The client's estimate for the rest. */
  etaMs: number;
}

/**
 * The stream `apply()` yields: the operation's own events, the plan about to
 * be applied (`plan`, before any write), then the engine's ApplyEvents with
 * the client's rate-limit waits and retries merged in as `wait` events. The
 * last event is `apply-done`, or `apply-skipped` when there was nothing to
 * do or the plan was not confirmed.
 */
export type ApplyStreamEvent =
  | OperationEvent
  | { type: 'plan'; plan: Plan; saved: boolean }
  | { type: 'apply-skipped'; reason: 'no-changes' | 'not-confirmed' }
  | ApplyEvent;
