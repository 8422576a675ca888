import type { DesiredState } from '../model/desired.js';
import type { Inventory } from '../model/inventory.js';
import type { LiveState } from '../model/live.js';
import type { FingerprintInput } from './fingerprint.js';

/**
 * The one answer to "which values must be fingerprinted before planning,
 * apply or drift": every declared config value and drain URL, and — given
 * the live state and the inventory — every live value of a config var the
 * inventory owns (so "changed outside" can be told from "unchanged").
 * Secret fingerprints use scrypt, which runs ahead of the synchronous
 * planner once per value.
 */
export function fingerprintInputs(desired: DesiredState, live?: LiveState, inventory?: Inventory): FingerprintInput[] {
  const out: FingerprintInput[] = [];
  for (const app of Object.values(desired.apps)) {
    for (const v of Object.values(app.config)) out.push({ value: v.value, secret: v.secret });
    for (const d of app.drains) out.push({ value: d.url, secret: d.secret });
  }
  if (live && inventory) {
    for (const [key, app] of Object.entries(live.apps)) {
      const owned = inventory.apps[key]?.config ?? {};
      for (const [k, meta] of Object.entries(owned)) {
        const v = app.config.vars[k];
        if (v !== undefined) out.push({ value: v, secret: meta.secret });
      }
    }
  }
  return out;
}
