import type { Address } from './address.js';

export type ChangeOutcome = 'succeeded' | 'failed' | 'skipped' | 'conflict';

/** Progress is a typed event stream; printers consume it (src/render). */
export type ApplyEvent =
  | { type: 'apply-start'; total: number; apps: number }
  | { type: 'change-start'; changeId: string; address: Address; action: string }
  | { type: 'change-done'; changeId: string; address: Address; action: string; outcome: 'succeeded'; durationMs: number }
  | { type: 'change-failed'; changeId: string; address: Address; action: string; outcome: 'failed' | 'conflict'; message: string; code?: string }
  | { type: 'change-skipped'; changeId: string; address: Address; action: string; reason: string }
  | { type: 'wait'; reason: 'rate-limit' | 'provisioning' | 'retry'; ms: number; address?: Address; detail?: string }
  | { type: 'state-saved'; serial: number }
  | { type: 'warning'; message: string; address?: Address }
  | { type: 'apply-done'; result: ApplyResult };

export interface ChangeReport {
  changeId: string;
  address: Address;
  action: string;
  outcome: ChangeOutcome;
  message?: string;
}

export interface ApplyResult {
  succeeded: ChangeReport[];
  failed: ChangeReport[];
  /** Changes not attempted: dependents of a failure, blocked, refused, waiting, interrupted. */
  skipped: ChangeReport[];
  /** Failed changes that were 412 (changed since plan). */
  conflicts: number;
  /** Releases caused. */
  releases: number;
  /** API requests made. */
  requests: number;
  /** Of those, requests sent again after a fault, a 429 or a timeout (including read-backs of ambiguous creates). */
  retries?: number;
  interrupted: boolean;
  durationMs: number;
}
