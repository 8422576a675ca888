import type { AppChildKind } from '../model/address.js';
import type { DesiredApp, DesiredState } from '../model/desired.js';
import type { SourceLocation } from '../model/diagnostic.js';
import type { DriftItem } from '../model/drift.js';
import type { InventoryApp, Inventory } from '../model/inventory.js';
import type { LiveApp, LiveState } from '../model/live.js';
import { formatAddress } from '../util/address.js';
import type { Fingerprinter } from '../util/fingerprint.js';
export { HIDDEN, SENSITIVE } from '../util/mask.js';

/**
 * Compares a value with a fingerprint recorded in state by apply. Secret
 * values must have been prepared (Fingerprinter.prepare) by the caller.
 */
export type FingerprintFn = Pick<Fingerprinter, 'matches' | 'canCompare'>;

export interface DriftInput {
  desired: DesiredState;
  live: LiveState;
  inventory: Inventory;
  fingerprint: FingerprintFn;
}

/** A literal's last-applied value when only its fingerprint is known. */
export const PREVIOUS = '(previous value)';

/** One app being classified: its declaration, ownership record and live object. */
export interface AppScope {
  key: string;
  desired?: DesiredApp;
  owned?: InventoryApp;
  live?: LiveApp;
  fingerprint: FingerprintFn;
  add(item: NewItem): void;
}

/** An item as a classifier reports it; the scope adds the app and the address. */
export type NewItem = Omit<DriftItem, 'address' | 'app' | 'kind'> & { kind: 'app' | AppChildKind };

export function makeItem(app: string, n: NewItem): DriftItem {
  const item: DriftItem = {
    class: n.class,
    address: formatAddress(app, n.kind, n.kind === 'app' ? undefined : n.key),
    app,
    kind: n.kind,
    message: n.message,
  };
  if (n.key !== undefined) item.key = n.key;
  if (n.field !== undefined) item.field = n.field;
  if (n.loc !== undefined) item.loc = n.loc;
  if (n.before !== undefined) item.before = n.before;
  if (n.after !== undefined) item.after = n.after;
  return item;
}

/** The app's own line: where unmanaged items, and owned items no longer declared, point. */
export function appLoc(scope: AppScope): SourceLocation | undefined {
  return scope.desired?.loc;
}
