import type { Address, ResourceKind } from './address.js';
import type { Diagnostic, SourceLocation } from './diagnostic.js';

/**
 * - `changed-outside`: a managed value whose live value differs from the one
 *   dynoform last applied (someone edited it by hand).
 * - `missing`: a managed object was deleted outside dynoform.
 * - `unmanaged`: exists live, is neither declared nor owned.
 * - `pending`: the declaration differs from what was last applied (the YAML
 *   changed and was not applied yet).
 * One value can be both `changed-outside` and `pending`: it yields two items.
 */
export type DriftClass = 'changed-outside' | 'missing' | 'unmanaged' | 'pending';

/** A displayable value; secrets are already masked (`(sensitive)`), never the value itself. */
export type DriftValue = string | number | boolean | null;

export interface DriftItem {
  class: DriftClass;
  address: Address;
  /** The app's YAML key (or, for an app dynoform does not know, its name). */
  app: string;
  kind: ResourceKind;
  /** Config key, add-on key, process type, hostname or masked drain URL. */
  key?: string;
  /** Which field differs, for objects with several (e.g. `quantity`, `size`, `plan`). */
  field?: string;
  message: string;
  /**
   * The YAML line of the drifted declaration; for unmanaged items (and for
   * owned items no longer declared) the line of the app.
   */
  loc?: SourceLocation;
  /**
   * Masked. changed-outside: last applied → live; missing: last applied → null;
   * unmanaged: null → live; pending: last applied (or live, when never applied) → declared.
   */
  before?: DriftValue;
  after?: DriftValue;
}

export type DriftSummary = Record<DriftClass, number>;

export interface DriftReport {
  /** Sorted by app, then address, then class. */
  items: DriftItem[];
  summary: DriftSummary;
  /** App keys that were checked. */
  apps: string[];
  /** Notes that are not drift (e.g. an add-on still provisioning). */
  diagnostics: Diagnostic[];
}
