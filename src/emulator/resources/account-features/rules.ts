import { notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AccountRecord } from '../../store/records.js';
import type { AppFeature } from '../app-features/rules.js';
import { isUuid } from '../catalogue/data.js';
import { ACCOUNT_FEATURES } from './data.js';

function state(account: AccountRecord, def: AppFeature['def']): AppFeature {
  const set = account.features?.[def.name];
  return { def, enabled: set?.enabled ?? def.defaultEnabled ?? false, updatedAt: set?.updatedAt ?? account.createdAt };
}

export function accountFeaturesOf(account: AccountRecord): AppFeature[] {
  return ACCOUNT_FEATURES.map((d) => state(account, d));
}

/** By id or name, as the API takes both. */
export function findAccountFeature(account: AccountRecord, key: string): AppFeature {
  const def = isUuid(key) ? ACCOUNT_FEATURES.find((d) => d.id === key.toLowerCase()) : ACCOUNT_FEATURES.find((d) => d.name === key);
  if (!def) throw notFound("Couldn't find that feature.", 'account_feature');
  return state(account, def);
}

export function setAccountFeature(p: Platform, account: AccountRecord, key: string, enabled: boolean): AppFeature {
  const f = findAccountFeature(account, key);
  if (f.enabled === enabled) return f;
  const now = p.now();
  // Changed in place (the server keeps the caller's record), then set again: that is what tells the --data journal.
  account.features = { ...account.features, [f.def.name]: { enabled, updatedAt: now } };
  p.store.accounts.set(account.id, account);
  p.changed();
  return { ...f, enabled, updatedAt: now };
}
