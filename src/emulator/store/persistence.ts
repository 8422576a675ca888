import { mkdir, open, readFile, readdir, rename, rm, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { AppRecord, StoreSnapshot } from './records.js';
import { COLLECTIONS, Store, type Collection } from './store.js';

/*
 * `--data FILE` is a snapshot and journals:
 *
 * - FILE: every record (JSON, one record per line), written beside the
 *   target, fsynced and renamed into place; it names the first journal
 *   that still applies to it (`"journal": N`);
 * - FILE.journal.N, N+1, …: the records changed since, appended as JSON
 *   lines `{"c":"apps","id":"…","r":{…}}` (`"r":null` for a deletion) and
 *   fdatasynced, a little after each burst of changes. Each run of the
 *   emulator starts a new one.
 *
 * Loading reads the snapshot and replays its journals in order; a last line
 * cut short by a crash is ignored. When the journal outgrows the snapshot
 * it is folded into a new one (written in slices between requests, so a
 * save never stalls the server for long): appends move to the next journal
 * first, so a crash at any point leaves a snapshot and journals that replay
 * to the state of the last append. At close the emulator writes one
 * self-contained FILE and removes the journals.
 */

const journalPath = (file: string, n: number): string => `${file}.journal.${n}`;
const TMP = /^(.*)\.(\d+)\.tmp$/;
const JOURNAL = /^(.*)\.journal\.(\d+)$/;
/** Records serialised between two yields to the event loop while writing a snapshot. */
const SLICE = 2000;
/** The journal is folded into the snapshot once it is this large, or larger than the snapshot. */
const MIN_COMPACT_BYTES = 4 * 1024 * 1024;

type JournalLine = { c: Collection; id: string; r: { id: string } | null };

/** What `loadStore` found: the store, and the journal number the next run appends to. */
export interface Loaded {
  store: Store;
  nextJournal: number;
  snapshotBytes: number;
}

/** Loads a data file and its journals; a missing file is an empty store, an unreadable one is an error. */
export async function loadStore(file: string): Promise<Loaded> {
  await removeStaleTemps(file);
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  let store = new Store();
  let first = 0;
  if (text !== undefined) {
    let data: StoreSnapshot;
    try {
      data = JSON.parse(text) as StoreSnapshot;
    } catch (err) {
      throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
    }
    store = Store.fromSnapshot(data);
    if (Number.isInteger(data.journal) && (data.journal ?? 0) >= 0) first = data.journal ?? 0;
  }
  const journals = await journalsOf(file);
  let next = first;
  for (const n of journals) {
    // Journals before the snapshot's are folded into it already (a crash came before their removal).
    if (n < first) await unlink(journalPath(file, n)).catch(() => undefined);
    else await replayJournal(journalPath(file, n), store);
    next = Math.max(next, n + 1);
  }
  store.clearDirty();
  return { store, nextJournal: next, snapshotBytes: text === undefined ? 0 : Buffer.byteLength(text) };
}

async function journalsOf(file: string): Promise<number[]> {
  const names = await readdir(dirname(file)).catch(() => [] as string[]);
  return names
    .map((name) => JOURNAL.exec(name))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === basename(file))
    .map((m) => Number(m[2]))
    .sort((a, b) => a - b);
}

async function replayJournal(path: string, store: Store): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line === '') return;
    let entry: JournalLine;
    try {
      entry = JSON.parse(line) as JournalLine;
    } catch (err) {
      // Only the last line can be torn (a crash mid-append); anything else is damage.
      if (i === lines.length - 1 && !text.endsWith('\n')) return;
      throw new Error(`${path}:${i + 1}: not a journal line: ${(err as Error).message}`);
    }
    if (!COLLECTIONS.includes(entry.c) || typeof entry.id !== 'string') throw new Error(`${path}:${i + 1}: not a journal line`);
    if (entry.c === 'apps') {
      const old = store.apps.get(entry.id);
      if (old) store.deleteApp(old);
      if (entry.r) store.putApp(entry.r as AppRecord);
    } else if (entry.r) {
      store.collection(entry.c).set(entry.id, entry.r);
    } else {
      store.collection(entry.c).delete(entry.id);
    }
  });
}

/** A `kill -9` while a snapshot was being written leaves `FILE.<pid>.tmp`; the next start removes it. */
async function removeStaleTemps(file: string): Promise<void> {
  const dir = dirname(file);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = TMP.exec(name);
    if (!m || m[1] !== basename(file)) continue;
    const pid = Number(m[2]);
    if (pid !== process.pid && isAlive(pid)) continue;
    await unlink(join(dir, name)).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const yieldToRequests = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Writes a full snapshot beside the target (in slices, yielding between
 * them), fsyncs it, renames it into place and fsyncs the folder. Returns
 * its size in bytes.
 */
export async function writeSnapshot(file: string, store: Store, now: string, journal: number): Promise<number> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  let bytes = 0;
  const put = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    await fh.write(text);
  };
  try {
    await put(`{"format":"dynoform-emulator","version":1,"savedAt":${JSON.stringify(now)},"journal":${journal}`);
    for (const name of COLLECTIONS) {
      await put(`,\n${JSON.stringify(name)}:[`);
      let n = 0;
      let chunk: string[] = [];
      for (const record of store.collection(name).values()) {
        chunk.push(`${n === 0 ? '' : ','}\n${JSON.stringify(record)}`);
        n += 1;
        if (chunk.length >= SLICE) {
          await put(chunk.join(''));
          chunk = [];
          await yieldToRequests();
        }
      }
      await put(`${chunk.join('')}]`);
    }
    await put('}\n');
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  await rename(tmp, file);
  await syncDir(dirname(file));
  return bytes;
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => undefined);
  if (!fh) return;
  try {
    await fh.sync();
  } catch {
    // Some file systems cannot fsync a directory; the rename is then as durable as they make it.
  } finally {
    await fh.close();
  }
}

/**
 * Saves a little after changes (coalescing bursts): only the changed
 * records, appended to the journal; the full snapshot only when the journal
 * has grown past it, and at close. Saves never overlap, and a change during
 * a save schedules another. Nothing here runs on a request's path except
 * `poke`.
 */
export class Saver {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failure: Error | undefined;
  private journal: FileHandle | undefined;
  private journalBytes = 0;
  private journalNo: number;
  private snapshotBytes: number;

  constructor(
    private readonly file: string,
    loaded: Loaded,
    private readonly now: () => string,
    private readonly delayMs = 200,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.store = loaded.store;
    this.journalNo = loaded.nextJournal;
    this.snapshotBytes = loaded.snapshotBytes;
  }

  private readonly store: Store;

  private hasChanges(): boolean {
    return COLLECTIONS.some((c) => this.store.collection(c).dirty.size > 0);
  }

  /** Call after each request that may have changed something. */
  poke(): void {
    if (this.timer || !this.hasChanges()) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(() => undefined);
    }, this.delayMs);
    this.timer.unref();
  }

  /** Appends what changed to the journal (and folds it into a snapshot when it has grown large). */
  async flush(): Promise<void> {
    await this.serial(async () => {
      await this.appendChanges();
      if (this.journalBytes > Math.max(MIN_COMPACT_BYTES, this.snapshotBytes)) await this.compact();
    });
  }

  /** Writes the full snapshot and empties the journal. */
  async compactNow(): Promise<void> {
    await this.serial(() => this.compact());
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.serial(async () => {
      await this.compact();
      await this.journal?.close();
      this.journal = undefined;
      // The snapshot holds everything now: no journal applies to it.
      for (const n of await journalsOf(this.file)) await rm(journalPath(this.file, n), { force: true });
    });
  }

  private async serial(job: () => Promise<void>): Promise<void> {
    while (this.running) await this.running;
    this.running = job()
      .then(() => {
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

  private async openJournal(): Promise<FileHandle> {
    if (!this.journal) {
      await mkdir(dirname(this.file), { recursive: true });
      this.journal = await open(journalPath(this.file, this.journalNo), 'a', 0o600);
      this.journalBytes = (await this.journal.stat()).size;
    }
    return this.journal;
  }

  private async appendChanges(): Promise<void> {
    const lines: string[] = [];
    for (const c of COLLECTIONS) {
      const map = this.store.collection(c);
      for (const id of map.takeDirty()) lines.push(JSON.stringify({ c, id, r: map.get(id) ?? null }));
    }
    if (lines.length === 0) return;
    const text = `${lines.join('\n')}\n`;
    const fh = await this.openJournal();
    await fh.write(text);
    await fh.datasync();
    this.journalBytes += Buffer.byteLength(text);
  }

  /**
   * Everything so far into the current journal, appends move to the next
   * one, a snapshot that starts at that next one, then the old journals go.
   * Changes made while the snapshot is written stay marked and go to the new
   * journal, so replaying it over the snapshot gives their latest values.
   */
  private async compact(): Promise<void> {
    await this.appendChanges();
    const old = this.journalNo;
    await this.journal?.close();
    this.journal = undefined;
    this.journalNo = old + 1;
    this.journalBytes = 0;
    this.snapshotBytes = await writeSnapshot(this.file, this.store, this.now(), this.journalNo);
    for (const n of await journalsOf(this.file)) if (n <= old) await rm(journalPath(this.file, n), { force: true });
  }
}
