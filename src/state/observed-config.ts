/**
 * The state's record of an app's config as last read (issue 20), and the
 * rule that lets a plan use it instead of `GET /apps/{app}/config-vars`.
 *
 * Every config change on Heroku cuts a release — `config:set`, an add-on
 * attached or detached (its vars arrive or leave), a provider rotating its
 * URL, a rollback — and the app list already carries `released_at`, the
 * time of the latest one. So when the list shows the recorded `released_at`
 * and the recorded read was answered in a later second than that release,
 * the config is what the record says. The same second is not enough:
 * `released_at` has whole seconds, and a second release within the second
 * of the read would look the same.
 *
 * The record holds fingerprints, never values. A plan needs a value only
 * where it would write or show one, so the record is used only when it
 * proves that the declared config is already live: each declared key's
 * live value matches its declared value by fingerprint, every owned key is
 * still declared, and (exclusive mode) no undeclared key waits to be
 * deleted. Otherwise the config is read, as always.
 */
import type { DesiredApp, DesiredState } from '../model/desired.js';
import type { Inventory, InventoryApp, InventoryObservedConfig } from '../model/inventory.js';
import { UNREAD_VALUE, type ConfigReadReason, type LiveApp, type LiveAppSummary, type LiveConfig, type LiveState } from '../model/live.js';
import type { Fingerprinter } from '../util/fingerprint.js';

/** Whole seconds since the epoch, or undefined for a text that is not a date. */
function second(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/**
 * The record of a full read of an app's config, or undefined when the read
 * cannot vouch for later plans (no `released_at`, no server `Date`, or the
 * config itself came from a record). A value is recorded as the literal
 * fingerprint when it is the declared literal (public anyway), else keyed
 * (`hmac:`) when a fingerprint key is configured, else not at all: an
 * unkeyed digest of a value nobody declared could be guessed offline.
 */
export function recordObservedConfig(live: LiveApp, declared: DesiredApp | undefined, fp: Fingerprinter): InventoryObservedConfig | undefined {
  const { config } = live;
  if (config.fromRecord || config.readAt === undefined || live.releasedAt === undefined) return undefined;
  if (second(config.readAt) === undefined || second(live.releasedAt) === undefined) return undefined;
  const vars: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(config.vars)) {
    const d = declared?.config[k];
    vars[k] = d && !d.secret && d.value === v ? fp.sync(v, false) : fp.keyed ? fp.sync(v, true) : null;
  }
  return {
    releasedAt: live.releasedAt,
    readAt: config.readAt,
    ...(config.etag ? { etag: config.etag } : {}),
    vars,
    addonVars: [...live.addonConfigVars].sort(),
  };
}

export type FromRecord = { config: LiveConfig } | { reason: ConfigReadReason };

/**
 * The app's config from the state's record, when the record still holds
 * and proves the declared config live (see the file comment); otherwise
 * why it must be read. Declared keys carry their declared values (equal to
 * the live ones, by fingerprint); every other key carries UNREAD_VALUE.
 * The record's ETag comes along: a write made from this config is guarded
 * by it, and answered 412 if anything moved.
 */
export function configFromRecord(app: LiveAppSummary, desired: DesiredApp, inv: InventoryApp | undefined, fp: Fingerprinter): FromRecord {
  const rec = inv?.observed;
  if (!rec) return { reason: 'no-record' };
  const released = second(app.releasedAt);
  if (released === undefined || released !== second(rec.releasedAt) || app.releasedAt !== rec.releasedAt) return { reason: 'released' };
  const readAt = second(rec.readAt);
  if (readAt === undefined || readAt <= released) return { reason: 'same-second' };

  const needsValues = { reason: 'needs-values' } as const;
  const vars: Record<string, string> = {};
  for (const [k, d] of Object.entries(desired.config)) {
    const f = rec.vars[k];
    if (typeof f !== 'string' || fp.compare(d.value, d.secret, f) !== 'same') return needsValues;
    vars[k] = d.value;
  }
  // An owned key no longer declared is deleted by the plan: that needs the live state of the key.
  for (const k of Object.keys(inv?.config ?? {})) if (desired.config[k] === undefined) return needsValues;
  const addonVars = new Set(rec.addonVars ?? []);
  for (const k of Object.keys(rec.vars)) {
    if (vars[k] !== undefined) continue;
    if (desired.configMode === 'exclusive' && !addonVars.has(k)) return needsValues;
    vars[k] = UNREAD_VALUE;
  }
  return {
    config: { vars, ...(rec.etag ? { etag: rec.etag } : {}), readAt: rec.readAt, fromRecord: { readAt: rec.readAt, releasedAt: rec.releasedAt } },
  };
}

/**
 * The inventory with a fresh record for every owned app whose config the
 * live read read in full (apps taken from their record keep it), or
 * undefined when no record changed. Apply writes it, also when it has
 * nothing to change: that is how a plan's next read learns what it may skip.
 */
export function recordObservations(
  inventory: Inventory,
  live: LiveState,
  desired: DesiredState,
  fp: Fingerprinter,
): Inventory | undefined {
  let apps: Inventory['apps'] | undefined;
  for (const [key, l] of Object.entries(live.apps)) {
    const owned = inventory.apps[key];
    if (!owned || owned.id !== l.id) continue;
    const rec = recordObservedConfig(l, desired.apps[key], fp);
    if (!rec) continue;
    apps ??= { ...inventory.apps };
    apps[key] = { ...owned, observed: rec };
  }
  return apps ? { ...inventory, apps } : undefined;
}
