import type { Address, ResourceKind } from '../model/address.js';
import type { DesiredApp, DesiredState } from '../model/desired.js';
import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';
import type { ForeignApp, Inventory, InventoryApp } from '../model/inventory.js';
import type { LiveApp, LiveState } from '../model/live.js';
import type { Action, Change, ChangeItem, Guard, Operation } from '../model/plan.js';
import type { Fingerprinter } from '../util/fingerprint.js';
import { diffMasked } from './patch.js';
export { HIDDEN, SENSITIVE } from '../util/mask.js';

/**
 * Fingerprints values and compares them with state; the caller builds it
 * (with the fingerprint key, which never reaches the planner's output) so
 * that planning stays synchronous and pure.
 */
export type FingerprintFn = Pick<Fingerprinter, 'keyed' | 'sync' | 'compare' | 'matches' | 'isCurrent' | 'guard'>;

export interface PlannerOptions {
  apiUrl: string;
  dynoformVersion: string;
  /** ISO time, passed in so that planning stays pure. */
  now: string;
  /** App keys: only these apps are planned; others are not even reported as deletions. */
  targets?: string[];
  /**
   * The YAML files as the plan records them (relative to the working
   * directory, so that a plan made in one CI job applies in another
   * checkout); default the paths the desired state was loaded from.
   */
  files?: string[];
  /** Lifts the refusal of a plan that deletes every app it manages, or more than half of them (or declares none). */
  allowMassDestroy?: boolean;
  /** The state the plan is made against, as given (a path relative to the working directory, or a URL without password): apply uses it. */
  state?: string;
}

export interface PlannerInput {
  desired: DesiredState;
  live: LiveState;
  inventory: Inventory;
  fingerprint: FingerprintFn;
  options: PlannerOptions;
  /** The environment being planned (`default` when the files name none). */
  environment?: string;
  /** Apps other states own: never adopted, never deleted by this plan. */
  foreign?: ForeignApp[];
}


/**
 * The order changes of one app run in: app → add-ons → config → formation;
 * leaves (domains, drains) need only the app; deletions in reverse.
 * Dependencies are wired from these stages.
 */
export type Stage = 'app' | 'addons' | 'config' | 'formation' | 'leaves' | 'addon-deletes' | 'app-delete' | 'forget';

/** What every per-kind planner knows about one app. */
export interface AppScope {
  key: string;
  desired: DesiredApp;
  /** The live app this declaration maps to; undefined when it will be created. */
  live?: LiveApp;
  /** The state entry, only when it describes the live app (a stale entry for a vanished app is dropped). */
  inv?: InventoryApp;
  fingerprint: FingerprintFn;
  diagnostics: Diagnostic[];
}

/** A change before dependencies are wired, with the stage that decides its place. */
export interface StagedChange {
  stage: Stage;
  change: Change;
}

export const EXECUTABLE: ReadonlySet<Action> = new Set<Action>(['create', 'update', 'delete', 'adopt']);

export interface ChangeSpec {
  address: Address;
  app: string;
  kind: ResourceKind;
  action: Action;
  reason?: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  items?: ChangeItem[];
  guard?: Guard;
  releases?: number;
  requests?: number;
  op: Operation;
  loc?: SourceLocation;
}

/** Builds a Change with its masked JSON Patch; ids are the address (made unique later). */
export function makeChange(spec: ChangeSpec): Change {
  const change: Change = {
    id: spec.address,
    address: spec.address,
    app: spec.app,
    kind: spec.kind,
    action: spec.action,
    before: spec.before,
    after: spec.after,
    patch: diffMasked(spec.before, spec.after),
    guard: spec.guard ?? {},
    dependsOn: [],
    sideEffects: { releases: EXECUTABLE.has(spec.action) ? (spec.releases ?? 0) : 0 },
    requests: EXECUTABLE.has(spec.action) ? (spec.requests ?? 0) : 0,
    op: EXECUTABLE.has(spec.action) ? spec.op : { type: 'none' },
  };
  if (spec.reason !== undefined) change.reason = spec.reason;
  if (spec.items !== undefined) change.items = spec.items;
  if (spec.loc !== undefined) change.loc = spec.loc;
  return change;
}

/**
 * Guard for a write to an object read from a list: its ETag when the read
 * gave one (sent as If-Match), else a fingerprint of its fields, which costs
 * apply one extra GET to re-check.
 */
export function listGuard(etag: string | undefined, fingerprint: () => string): Guard {
  return etag ? { etag } : { fingerprint: fingerprint() };
}

/** The extra GET apply makes to re-check a fingerprint guard. */
export function guardReads(guard: Guard): number {
  return guard.fingerprint !== undefined && guard.etag === undefined ? 1 : 0;
}

export function locOf(loc: SourceLocation | undefined): Pick<Diagnostic, 'file' | 'line' | 'col'> {
  return loc ? { file: loc.file, line: loc.line, col: loc.col } : {};
}

export function plural(n: number, word: string, pluralWord = word + 's'): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}

/** A copy with sorted keys, so that output never depends on insertion order. */
export function sortObject<T>(o: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k]!;
  return out;
}

/**
 * The info note for live objects that are neither declared nor owned: they
 * are listed, never changed. One wording for every kind.
 */
export function unmanagedNote(
  scope: Pick<AppScope, 'desired' | 'diagnostics'>,
  spec: { code: string; noun: string; names: string[]; field: string; address: string; leftAlone?: string },
): void {
  const { names } = spec;
  if (names.length === 0) return;
  const d = scope.desired;
  scope.diagnostics.push({
    severity: 'info',
    code: spec.code,
    message: `${plural(names.length, spec.noun)} on ${d.name} ${names.length === 1 ? 'is' : 'are'} neither declared nor owned${spec.leftAlone ?? ' and left alone'}: ${[...names].sort().join(', ')}`,
    address: spec.address,
    ...locOf(d.fieldLocs?.[spec.field] ?? d.loc),
  });
}
