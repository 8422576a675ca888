import type { Inventory } from '../model/inventory.js';
import type { StateLock } from '../state/backend.js';

/**
 * Saves the working inventory after every successful change, one write at a
 * time: the backend is atomic but writes must not overlap. Changes that
 * finish while a write is in flight are coalesced into the next write, so a
 * burst of 200 finished changes costs a few writes, not 200, and the state
 * on disk is never more than one write behind.
 */
export class StateWriter {
  private working: Inventory;
  private dirty = false;
  private loop: Promise<void> | undefined;
  private failure: unknown;
  /** The serial the backend stores next: one more per write (StateLock.write); tracked here because `lock.current` copies the whole inventory. */
  private serial: number;

  constructor(
    private readonly lock: StateLock,
    initial: Inventory,
    private readonly onSaved: (serial: number) => void,
    /** Called once, on the first failed write (the caller stops starting changes). */
    private readonly onFailed: (err: unknown) => void,
  ) {
    this.working = initial;
    this.serial = initial.serial;
  }

  get inventory(): Inventory {
    return this.working;
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Replaces the working inventory and schedules a write. */
  update(next: Inventory): void {
    this.working = next;
    this.dirty = true;
    if (!this.loop && this.failure === undefined) this.loop = this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.dirty && this.failure === undefined) {
        this.dirty = false;
        try {
          await this.lock.write(this.working);
          this.onSaved(++this.serial);
        } catch (err) {
          this.failure = err;
          this.onFailed(err);
        }
      }
    } finally {
      this.loop = undefined;
    }
  }

  /**
   * Waits until everything recorded is written. After a failure it tries
   * once more (a transient error should not lose the record of changes
   * made on Heroku), then throws.
   */
  async flush(): Promise<void> {
    if (this.loop) await this.loop;
    if (this.failure !== undefined) {
      try {
        await this.lock.write(this.working);
        this.failure = undefined;
        this.dirty = false;
        this.onSaved(++this.serial);
        return;
      } catch (err) {
        throw new StateSaveError(err);
      }
    }
    if (this.dirty) {
      this.loop = this.drain();
      return this.flush();
    }
  }
}

/** The state could not be saved: changes made on Heroku may be missing from it. */
export class StateSaveError extends Error {
  override readonly name = 'StateSaveError';
  constructor(cause: unknown) {
    super(
      `the state could not be saved (${cause instanceof Error ? cause.message : String(cause)}); ` +
        'changes applied in this run may be missing from it: fix the cause, then run plan to see what is left',
      { cause },
    );
  }
}
