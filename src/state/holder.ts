import { hostname, userInfo } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { LockInfo, LockOptions } from './backend.js';

/** This process, as recorded in a lock it takes. */
export function lockInfoFor(opts: LockOptions): LockInfo {
  return {
    id: randomUUID(),
    who: opts.who,
    operation: opts.operation,
    since: new Date().toISOString(),
    host: hostname(),
    pid: process.pid,
    user: currentUser(),
  };
}

function currentUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): the lock still records host and pid.
    return undefined;
  }
}

/**
 * The default `who` of a lock: `user@host`. The CLI passes its environment
 * (only the CLI reads the environment).
 */
export function lockOwner(env: Record<string, string | undefined>): string {
  const user = env.USER || env.USERNAME || env.LOGNAME || currentUser() || 'unknown';
  return `${user}@${hostname()}`;
}

/** True when the lock was taken on this host by a process that no longer runs: its holder is gone for sure. */
export function isStaleHere(info: Pick<LockInfo, 'host' | 'pid'> | undefined): boolean {
  if (!info || info.host !== hostname() || info.pid === undefined) return false;
  return !isAlive(info.pid);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One line about a lock holder for messages: `alice@ci-1 (apply, pid 4242 on ci-1) since 2026-01-01T10:00:00.000Z`. */
export function describeHolder(info: LockInfo | undefined): string {
  if (!info) return 'an unknown holder (its lock record is missing or unreadable)';
  const where = info.pid !== undefined ? `, pid ${info.pid}${info.host ? ` on ${info.host}` : ''}` : '';
  return `${info.who} (${info.operation}${where}) since ${info.since}`;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The end of a lock message: how to wait or what to do about a stale lock. */
export function lockAdvice(stale: boolean, timeoutMs: number, pid: number | undefined): string {
  if (stale) {
    return (
      ` The process that held it${pid !== undefined ? ` (pid ${pid})` : ''} is no longer running on this host: the lock is stale.` +
      ' If no other dynoform is running against this state, remove the lock with `dynoform state unlock`.'
    );
  }
  return timeoutMs > 0
    ? ` Waited ${formatMs(timeoutMs)} (--lock-timeout).`
    : ' Wait for it to finish, or retry with --lock-timeout (e.g. --lock-timeout 2m) to wait.';
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
