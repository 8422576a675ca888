import { INVENTORY_VERSION, type Inventory } from '../model/inventory.js';
import { StateConflictError } from './errors.js';
import { checkInventory, cloneInventory } from './inventory.js';

/**
 * The write rules every backend enforces under a lock: a write continues
 * the state read when the lock was taken (same lineage, a serial between
 * the one read and the last one this lock wrote) and is stored with the
 * next serial. Shared so that file and postgres refuse the same things.
 */
export class WriteSequence {
  private lineage: string | undefined;
  private readSerial: number;
  private lastSerial: number;
  private latest: Inventory | undefined;

  constructor(
    private readonly where: string,
    current: Inventory | undefined,
  ) {
    this.lineage = current?.lineage;
    this.readSerial = current?.serial ?? 0;
    this.lastSerial = this.readSerial;
    this.latest = current && cloneInventory(current);
  }

  get current(): Inventory | undefined {
    return this.latest && cloneInventory(this.latest);
  }

  get serial(): number {
    return this.lastSerial;
  }

  /** The inventory to store for `write(inv)`, or a refusal. */
  next(inv: Inventory): Inventory {
    assertWellFormed(inv);
    if (this.lineage !== undefined && inv.lineage !== this.lineage) {
      throw new StateConflictError(
        'state-lineage-mismatch',
        `refusing to write state ${this.where}: it has lineage ${this.lineage}, but the inventory to write belongs to lineage ${inv.lineage} (another state)`,
      );
    }
    if (inv.serial < this.readSerial || inv.serial > this.lastSerial) {
      throw new StateConflictError(
        'state-serial-mismatch',
        `refusing to write state ${this.where}: the inventory to write is at serial ${inv.serial}, but the state was at serial ${this.readSerial} when locked` +
          (this.lastSerial !== this.readSerial ? ` and this run has written up to serial ${this.lastSerial}` : '') +
          ' (it was read before the lock was taken?)',
      );
    }
    return { ...cloneInventory(inv), version: INVENTORY_VERSION, serial: this.lastSerial + 1 };
  }

  /** The inventory to store for `replace(inv)` (state push), or a refusal. */
  replacement(inv: Inventory): Inventory {
    assertWellFormed(inv);
    if (this.latest !== undefined && inv.serial <= this.lastSerial) {
      throw new StateConflictError(
        'state-serial-mismatch',
        `refusing to replace state ${this.where}: the replacement's serial ${inv.serial} is not above the current serial ${this.lastSerial}`,
      );
    }
    return cloneInventory(inv);
  }

  /** Records a successful write; after a replacement, writes continue from it. */
  committed(stored: Inventory, replaced = false): void {
    if (replaced) this.readSerial = stored.serial;
    this.lineage = stored.lineage;
    this.lastSerial = stored.serial;
    this.latest = cloneInventory(stored);
  }
}

function assertWellFormed(inv: Inventory): void {
  const problem = checkInventory(inv);
  // A caller bug, not a user mistake: never store something we could not read back.
  if (problem) throw new Error(`internal error: refusing to write a malformed inventory (${problem})`);
  if (inv.version > INVENTORY_VERSION) throw new Error(`internal error: refusing to write inventory version ${inv.version}`);
}

/**
 * The write half of every backend's lock: writes follow the WriteSequence
 * rules and run one after the other in call order, so concurrent callers
 * cannot interleave. A backend only says how one version is stored.
 */
export abstract class SequencedWrites {
  protected seq!: WriteSequence;
  private chain: Promise<unknown> = Promise.resolve();

  get current(): Inventory | undefined {
    return this.seq.current;
  }

  write(inv: Inventory): Promise<void> {
    return this.serialised(() => this.store(this.seq.next(inv), false));
  }

  replace(inv: Inventory): Promise<void> {
    return this.serialised(() => this.store(this.seq.replacement(inv), true));
  }

  protected abstract store(next: Inventory, replaced: boolean): Promise<void>;

  /** Resolves once every write asked for so far has finished (for release). */
  protected settled(): Promise<unknown> {
    return this.chain;
  }

  private serialised(fn: () => Promise<void>): Promise<void> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
