import type { ResourceKind } from '../model/address.js';
import type { DesiredApp, DesiredState } from '../model/desired.js';
import type { SourceLocation } from '../model/diagnostic.js';
import type { DriftClass, DriftItem, DriftValue } from '../model/drift.js';
import type { InventoryApp, Inventory } from '../model/inventory.js';
import type { LiveApp, LiveState } from '../model/live.js';
import { formatAddress } from '../util/address.js';
import type { Fingerprinter } from '../util/fingerprint.js';

/**
 * Compares a value with a fingerprint recorded in state by apply. Secret
 * values must have been prepared (Fingerprinter.prepare) by the caller.
 */
export type FingerprintFn = Pick<Fingerprinter, 'matches'>;

export interface DriftInput {
  desired: DesiredState;
  live: LiveState;
  inventory: Inventory;
  fingerprint: FingerprintFn;
}

/** Shown instead of any value that came from `${env:…}` or was recorded as secret. */
export const SENSITIVE = '(sensitive)';
/** Shown instead of a live value that is not declared as a literal: it may be a secret someone set by hand. */
export const HIDDEN = '(hidden)';
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

export interface NewItem {
  class: DriftClass;
  kind: ResourceKind;
  key?: string;
  field?: string;
  message: string;
  loc?: SourceLocation;
  before?: DriftValue;
  after?: DriftValue;
}

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
