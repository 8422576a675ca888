import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StoreSnapshot } from './records.js';
import { Store } from './store.js';

/** Loads a data file; a missing file is an empty store, an unreadable one is an error. */
export async function loadStore(file: string): Promise<Store> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Store();
    throw err;
  }
  let data: StoreSnapshot;
  try {
    data = JSON.parse(text) as StoreSnapshot;
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  return Store.fromSnapshot(data);
}

/** Writes beside the target and renames, so a crash never leaves half a file. */
export async function saveStore(file: string, store: Store, now: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(store.snapshot(now), null, 1)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/**
 * Saves a little after changes (coalescing bursts) and once more at close.
 * Saves never overlap, and a change during a save schedules another.
 */
export class Saver {
  private savedGeneration: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly file: string,
    private readonly store: Store,
    private readonly now: () => string,
    private readonly delayMs = 200,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.savedGeneration = store.generation;
  }

  /** Call after each request that may have changed something. */
  poke(): void {
    if (this.store.generation === this.savedGeneration || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(() => undefined);
    }, this.delayMs);
    this.timer.unref();
  }

  async flush(): Promise<void> {
    if (this.running) await this.running;
    if (this.store.generation === this.savedGeneration) return;
    const generation = this.store.generation;
    this.running = saveStore(this.file, this.store, this.now())
      .then(() => {
        this.savedGeneration = generation;
        this.failure = undefined;
      })
      .catch((err: unknown) => {
        this.failure = err as Error;
        this.log(`emulator: could not save ${this.file}: ${(err as Error).message}`);
      })
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
