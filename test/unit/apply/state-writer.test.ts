import { describe, expect, it } from 'vitest';
import { StateSaveError, StateWriter } from '../../../src/apply/state-writer.js';
import type { Inventory } from '../../../src/model/inventory.js';
import type { StateLock } from '../../../src/state/backend.js';
import { inventory } from './fixtures.js';

function slowLock(opts: { failFrom?: number; failTimes?: number } = {}) {
  const written: number[] = [];
  let calls = 0;
  let inFlight = 0;
  let overlap = false;
  const lock: StateLock = {
    info: { id: 'l', who: 't', operation: 'apply', since: '' },
    current: undefined,
    write: async (inv: Inventory) => {
      calls++;
      inFlight++;
      if (inFlight > 1) overlap = true;
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      if (opts.failFrom !== undefined && calls >= opts.failFrom && calls < opts.failFrom + (opts.failTimes ?? Infinity)) throw new Error('disk full');
      written.push(Object.keys(inv.apps).length);
    },
    replace: async () => undefined,
    release: async () => undefined,
  };
  return { lock, written, overlap: () => overlap, calls: () => calls };
}

const withApps = (n: number): Inventory => inventory(Array.from({ length: n }, (_, i) => ({ key: `a${i}`, id: `${i}`, name: `a${i}`, protect: true, created: true, config: {}, addons: {}, domains: {}, drains: {}, formation: {} })));

describe('StateWriter', () => {
  it('writes one at a time, coalesces bursts, and ends with the latest inventory; serials count up', async () => {
    const l = slowLock();
    const saved: number[] = [];
    const w = new StateWriter(l.lock, inventory(), (s) => saved.push(s), () => undefined);
    for (let i = 1; i <= 10; i++) w.update(withApps(i));
    await w.flush();
    expect(l.overlap()).toBe(false);
    expect(l.written.at(-1)).toBe(10);
    // The first update starts a write; the nine during it are coalesced into one.
    expect(l.written).toEqual([1, 10]);
    expect(saved).toEqual([4, 5]);
  });

  it('reports the first failure, retries once at flush, and recovers from a transient error', async () => {
    const l = slowLock({ failFrom: 1, failTimes: 1 });
    const failures: unknown[] = [];
    const w = new StateWriter(l.lock, inventory(), () => undefined, (e) => failures.push(e));
    w.update(withApps(2));
    await w.flush();
    expect(failures).toHaveLength(1);
    expect(l.written).toEqual([2]);
  });

  it('throws StateSaveError when the last attempt fails too', async () => {
    const l = slowLock({ failFrom: 1 });
    const w = new StateWriter(l.lock, inventory(), () => undefined, () => undefined);
    w.update(withApps(1));
    await expect(w.flush()).rejects.toThrow(StateSaveError);
    expect(l.calls()).toBe(2);
  });
});
