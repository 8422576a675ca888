import type { Inventory } from '../model/inventory.js';
import type { StateBackend } from './backend.js';
import { StateError } from './errors.js';
import { serializeInventory } from './inventory.js';

export interface PushOptions {
  who: string;
  /** Overwrite a destination of another lineage, or a newer one. */
  force: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type PushResult =
  | { outcome: 'pushed'; lineage: string; serial: number; replacedLineage?: string }
  | { outcome: 'up-to-date'; lineage: string; serial: number };

/**
 * Copies the state from one backend to another (file ↔ postgres), both
 * locked for the duration so that no apply writes to either meanwhile. The
 * inventory is copied unchanged; its serial is kept when the destination is
 * empty or older, and moved past the destination's when forced over it.
 */
export async function pushState(from: StateBackend, to: StateBackend, opts: PushOptions): Promise<PushResult> {
  if (from.describe() === to.describe()) throw new StateError('state-push-same', `cannot push state ${from.describe()} onto itself`);
  const lockOpts = { who: opts.who, operation: 'state push', timeoutMs: opts.timeoutMs, signal: opts.signal };
  const source = await from.lock(lockOpts);
  try {
    const inv = source.current;
    if (!inv) throw new StateError('state-push-empty', `there is no state in ${from.describe()} to push`);
    const dest = await to.lock(lockOpts);
    try {
      const existing = dest.current;
      const serial = decideSerial(inv, existing, from.describe(), to.describe(), opts.force);
      if (serial === undefined) return { outcome: 'up-to-date', lineage: inv.lineage, serial: inv.serial };
      await dest.replace({ ...inv, serial });
      return {
        outcome: 'pushed',
        lineage: inv.lineage,
        serial,
        ...(existing && existing.lineage !== inv.lineage ? { replacedLineage: existing.lineage } : {}),
      };
    } finally {
      await dest.release();
    }
  } finally {
    await source.release();
  }
}

/** The serial to store at the destination, undefined when it already holds this state, or a refusal. */
function decideSerial(inv: Inventory, existing: Inventory | undefined, src: string, dst: string, force: boolean): number | undefined {
  if (!existing) return inv.serial;
  const past = Math.max(inv.serial, existing.serial + 1);
  if (existing.lineage !== inv.lineage) {
    if (!force) {
      throw new StateError(
        'state-push-lineage',
        `${dst} already holds a different state (lineage ${existing.lineage}, serial ${existing.serial}; pushing lineage ${inv.lineage} from ${src}). ` +
          'Pushing would replace it: dynoform would forget everything it owns there. Pass --force if that is what you want.',
      );
    }
    return past;
  }
  if (existing.serial > inv.serial) {
    if (!force) {
      throw new StateError(
        'state-push-older',
        `${dst} is newer than ${src} (serial ${existing.serial} > ${inv.serial}, same lineage): pushing would lose its later changes. Pass --force to overwrite it.`,
      );
    }
    return past;
  }
  if (existing.serial === inv.serial) {
    if (serializeInventory(existing) === serializeInventory(inv)) return undefined;
    if (!force) {
      throw new StateError(
        'state-push-diverged',
        `${dst} and ${src} both have serial ${inv.serial} of lineage ${inv.lineage} but differ (they diverged). Pass --force to overwrite ${dst}.`,
      );
    }
    return past;
  }
  return inv.serial;
}
