import type { ApplyEvent } from '../model/apply.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Plan } from '../model/plan.js';
import type { ReadEstimateEvent, ReadProgressEvent } from '../model/live.js';

export type { ReadEstimateEvent, ReadProgressEvent } from '../model/live.js';

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
