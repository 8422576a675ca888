import type { Platform } from '../../platform.js';
import type { AccountRecord } from '../../store/records.js';

export function ensureAccount(p: Platform, id: string, email: string): AccountRecord {
  let account = p.store.accounts.get(id);
  if (!account) {
    const now = p.now();
    account = { id, email, name: null, allowTracking: true, beta: false, createdAt: now, updatedAt: now };
    p.store.accounts.set(id, account);
    p.changed();
  }
  return account;
}

export function updateAccount(
  p: Platform,
  account: AccountRecord,
  body: { allow_tracking?: boolean; beta?: boolean; name?: string | null },
): AccountRecord {
  const next = { ...account };
  if (body.allow_tracking !== undefined) next.allowTracking = body.allow_tracking;
  if (body.beta !== undefined) next.beta = body.beta;
  if (body.name !== undefined) next.name = body.name;
  if (JSON.stringify(next) !== JSON.stringify(account)) {
    next.updatedAt = p.now();
    p.store.accounts.set(next.id, next);
    p.changed();
  }
  return next;
}
