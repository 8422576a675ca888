import { randomUUID } from 'node:crypto';
import { Random } from './random.js';
import { NameGenerator } from './store/names.js';
import { Store } from './store/store.js';

export interface PlatformOptions {
  /** How long async add-ons stay `provisioning` and new domains `pending`. */
  provisionDelayMs: number;
  /** Seed for generated ids and names; undefined → random. */
  seed: number | undefined;
}

export function isoNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * What every resource's rules share: the store, the id and name generators,
 * the clock and the timers of delayed work (add-ons provisioning, domains
 * verifying). The rules themselves live beside their routes, one module per
 * resource (resources/<resource>/rules.ts); each is synchronous, so each
 * request is atomic.
 */
export class Platform {
  readonly names: NameGenerator;
  private readonly idRng: Random | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    readonly store: Store,
    private readonly opts: PlatformOptions,
  ) {
    // Mixed with the size of loaded data so that a reloaded --data file and
    // the same --seed never hand out an id that already exists.
    const base = opts.seed === undefined ? Random.randomSeed() : (opts.seed ^ Math.imul(store.countObjects(), 0x27d4eb2d)) >>> 0;
    this.names = new NameGenerator(new Random(base, 3));
    this.idRng = opts.seed === undefined ? undefined : new Random(base, 4);
  }

  now(): string {
    return isoNow();
  }

  uuid(): string {
    return this.idRng ? this.idRng.uuid() : randomUUID();
  }

  /** Tells persistence that the store changed. */
  changed(): void {
    this.store.touch();
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Runs `fn` after the provisioning delay, unless the emulator closes first. */
  later(fn: () => void): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, this.opts.provisionDelayMs);
    t.unref();
    this.timers.add(t);
  }
}
