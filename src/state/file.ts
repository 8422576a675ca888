/**
 * The file backend: one pretty JSON file (default `.dynoform/state.json`
 * beside the first YAML file), written atomically and locked with an
 * O_EXCL lock file beside it.
 *
 * Atomic (util/atomic-write.ts): a crash at any point leaves either the
 * old or the new file, never half of one.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { link, open, readFile, readdir, rename, mkdir, rmdir, unlink } from 'node:fs/promises';
import { TEMP_SUFFIX, tempPrefix, writeFileAtomic } from '../util/atomic-write.js';
import { basename, dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { INVENTORY_VERSION, type Inventory } from '../model/inventory.js';
import type { BreakLockResult, LockHolder, LockInfo, LockOptions, SiblingState, StateBackend, StateLock } from './backend.js';
import { siblingOf } from './environment.js';
import { StateConflictError, StateCorruptError, StateError, StateLockedError, StateVersionError } from './errors.js';
import { describeHolder, isStaleHere, lockAdvice, lockInfoFor, sleep } from './holder.js';
import { parseInventory, serializeInventory } from './inventory.js';
import { SequencedWrites, WriteSequence } from './sequence.js';

export interface FileBackendOptions {
  /** How often a waiting `lock()` retries; default 200 ms. */
  pollIntervalMs?: number;
  /**
   * Called after the temp file is written and fsynced, just before the
   * rename. For tests that simulate a crash at the worst moment.
   */
  beforeRename?: (tempPath: string) => void | Promise<void>;
}

export function createFileBackend(path: string, opts: FileBackendOptions = {}): StateBackend {
  return new FileBackend(path, opts);
}

/** Sibling state files read for the ownership check (a state folder holds one per environment). */
const MAX_SIBLINGS = 200;
const MAX_SIBLING_BYTES = 64 * 1024 * 1024;

/**
 * Lock files this process holds, removed if the process exits without
 * releasing them (a second Ctrl-C makes the CLI exit at once): a lock
 * file left by a process that is gone only makes the next run stop and ask
 * for `state unlock`. A SIGKILL skips this; that case is reported as stale.
 */
/** Lock id → lock file path. */
const heldLockFiles = new Map<string, string>();
let exitHookInstalled = false;

function removeHeldLocksAtExit(): void {
  for (const [id, path] of heldLockFiles) {
    try {
      if ((JSON.parse(readFileSync(path, 'utf8')) as { id?: string }).id === id) unlinkSync(path);
    } catch {
      // Already gone or unreadable: nothing of ours to remove.
    }
  }
}

function trackLockFile(id: string, path: string | undefined): void {
  if (path === undefined) {
    heldLockFiles.delete(id);
    return;
  }
  heldLockFiles.set(id, path);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', removeHeldLocksAtExit);
  }
}

class FileBackend implements StateBackend {
  readonly lockPath: string;
  private readonly held = new Set<FileLock>();

  constructor(
    readonly path: string,
    private readonly opts: FileBackendOptions,
  ) {
    this.lockPath = `${path}.lock`;
  }

  describe(): string {
    return this.path;
  }

  async siblings(): Promise<{ states: SiblingState[]; unreadable: string[] }> {
    const dir = dirname(this.path);
    const self = basename(this.path);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return { states: [], unreadable: [] };
    }
    const states: SiblingState[] = [];
    const unreadable: string[] = [];
    // Only files that look like states: a folder of other JSON (package.json beside a --state ./state.json) is not read in full.
    for (const name of names.filter((n) => n.endsWith('.json') && n !== self).sort().slice(0, MAX_SIBLINGS)) {
      const path = join(dir, name);
      let text: string;
      try {
        const fh = await open(path, 'r');
        try {
          const st = await fh.stat();
          if (!st.isFile() || st.size > MAX_SIBLING_BYTES) continue;
          text = await fh.readFile('utf8');
        } finally {
          await fh.close();
        }
      } catch {
        unreadable.push(path);
        continue;
      }
      if (!/"lineage"/.test(text)) continue;
      const parsed = parseInventory(text);
      if (!parsed.ok) {
        unreadable.push(path);
        continue;
      }
      states.push(siblingOf(path, parsed.inventory));
    }
    return { states, unreadable };
  }

  async read(): Promise<Inventory | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      if (code === 'EISDIR') throw new StateError('state-unreadable', `cannot read state ${this.path}: it is a directory, not a file`);
      throw new StateError('state-unreadable', `cannot read state ${this.path}: ${(err as Error).message}`);
    }
    const parsed = parseInventory(text);
    if (parsed.ok) return parsed.inventory;
    if (parsed.kind === 'newer') {
      throw new StateVersionError(
        `state ${this.path} has format version ${parsed.version}, written by a newer dynoform (this one reads up to version ${INVENTORY_VERSION}): upgrade dynoform. The file was left untouched.`,
        parsed.version,
        INVENTORY_VERSION,
      );
    }
    throw new StateCorruptError(
      `state ${this.path} is corrupt: ${parsed.problem}. It was left untouched; restore it from version control or a backup` +
        ` (or move it away to start from an empty state, which makes dynoform adopt what exists).`,
    );
  }

  async lock(opts: LockOptions): Promise<StateLock> {
    const timeoutMs = Math.max(0, opts.timeoutMs ?? 0);
    const poll = this.opts.pollIntervalMs ?? 200;
    const deadline = Date.now() + timeoutMs;
    const info = lockInfoFor(opts);
    await this.ensureDir();
    let tookOver: LockInfo | undefined;
    for (;;) {
      if (await this.tryCreateLock(info)) break;
      // A lock whose holder died on this host (kill -9, a crash) protects
      // nothing: take it over, and say so, instead of making the user unlock.
      const stale = await this.lockHolder();
      if (stale?.stale && stale.info && (await this.takeOverStale(stale.info))) {
        tookOver = stale.info;
        continue;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const holder = await this.lockHolder();
        // The holder released between our attempt and the read: try again.
        if (!holder) continue;
        throw this.lockedError(holder, timeoutMs);
      }
      try {
        await sleep(Math.min(poll, remaining), opts.signal);
      } catch {
        throw new StateError('state-lock-interrupted', `interrupted while waiting for the lock on state ${this.path}`);
      }
    }
    trackLockFile(info.id, this.lockPath);
    const lock = new FileLock(this, info, this.opts, tookOver);
    try {
      await this.removeLeftoverTemps();
      await lock.init(await this.read());
    } catch (err) {
      await lock.release();
      throw err;
    }
    this.held.add(lock);
    return lock;
  }

  forget(lock: FileLock): void {
    this.held.delete(lock);
  }

  private lockedError(holder: LockHolder, timeoutMs: number): StateLockedError {
    const what = holder.info
      ? `state ${this.path} is locked by ${describeHolder(holder.info)}.`
      : `state ${this.path} is locked, but the lock file ${this.lockPath} is empty or unreadable (a crash while taking the lock?).` +
        ' If no other dynoform is running, remove it with `dynoform state unlock --force`.';
    return new StateLockedError(what + (holder.info ? lockAdvice(holder.stale, timeoutMs, holder.info.pid) : ''), holder.info, holder.stale);
  }

  /** The outermost directory this backend created for the state, if it created one. */
  private createdDir: string | undefined;

  private async ensureDir(): Promise<void> {
    try {
      const created = await mkdir(dirname(this.path), { recursive: true });
      if (created !== undefined && this.createdDir === undefined) this.createdDir = created;
    } catch (err) {
      throw new StateError('state-unwritable', `cannot create the state directory ${dirname(this.path)}: ${(err as Error).message}`);
    }
  }

  /**
   * Removes the lock file of `stale` only: it is renamed away first (atomic,
   * so of two processes taking over at once only one gets it), then checked
   * to be that very lock; a lock someone took meanwhile is put back.
   */
  private async takeOverStale(stale: LockInfo): Promise<boolean> {
    const moved = `${this.lockPath}.stale-${randomUUID()}`;
    try {
      await rename(this.lockPath, moved);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
      throw new StateError('state-unwritable', `cannot take over the stale lock file ${this.lockPath}: ${(err as Error).message}`);
    }
    let id: unknown;
    try {
      id = (JSON.parse(await readFile(moved, 'utf8')) as { id?: unknown }).id;
    } catch {
      id = undefined;
    }
    if (id !== stale.id) await link(moved, this.lockPath).catch(() => undefined);
    await unlink(moved).catch(() => undefined);
    return id === stale.id;
  }

  /** O_CREAT|O_EXCL: exactly one process creates the lock file. */
  private async tryCreateLock(info: LockInfo): Promise<boolean> {
    let fh;
    for (let attempt = 0; ; attempt++) {
      try {
        fh = await open(this.lockPath, 'wx', 0o644);
        break;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') return false;
        // Another run that made the folder and wrote nothing removed it as it released its lock: make it again.
        if (code === 'ENOENT' && attempt < 3) {
          await this.ensureDir();
          continue;
        }
        throw new StateError('state-unwritable', `cannot create the lock file ${this.lockPath}: ${(err as Error).message}`);
      }
    }
    try {
      await fh.writeFile(JSON.stringify(info, null, 2) + '\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
    return true;
  }

  async readLockInfo(): Promise<{ exists: boolean; info?: LockInfo }> {
    let text: string;
    try {
      text = await readFile(this.lockPath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false };
      return { exists: true };
    }
    try {
      const v = JSON.parse(text) as Partial<LockInfo>;
      if (typeof v.id === 'string' && typeof v.who === 'string' && typeof v.operation === 'string' && typeof v.since === 'string') {
        return { exists: true, info: v as LockInfo };
      }
    } catch {
      // Unreadable: reported as an unknown holder.
    }
    return { exists: true };
  }

  async lockHolder(): Promise<LockHolder | undefined> {
    const { exists, info } = await this.readLockInfo();
    if (!exists) return undefined;
    return { info, stale: isStaleHere(info), detail: `lock file ${this.lockPath}` };
  }

  async breakLock(opts: { force: boolean }): Promise<BreakLockResult> {
    const holder = await this.lockHolder();
    if (!holder) return { holder: undefined, broken: false };
    if (!holder.stale && !opts.force) {
      const why = !holder.info
        ? 'the lock file is empty or unreadable, so dynoform cannot tell who holds it'
        : holder.info.host === hostname()
          ? `its holder (pid ${holder.info.pid ?? 'unknown'}) is still running on this host`
          : `its holder runs on another host (${holder.info.host ?? 'unknown'}), so dynoform cannot tell whether it is still running`;
      return { holder, broken: false, refused: `${why}; pass --force to remove the lock anyway` };
    }
    try {
      await unlink(this.lockPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new StateError('state-unwritable', `cannot remove the lock file ${this.lockPath}: ${(err as Error).message}`);
      }
    }
    return { holder, broken: true };
  }

  /** Temp files of writes that crashed before their rename; we hold the lock, so nobody else is writing one. */
  private async removeLeftoverTemps(): Promise<void> {
    const dir = dirname(this.path);
    const prefix = tempPrefix(this.path);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith(prefix) && name.endsWith(TEMP_SUFFIX)) await unlink(join(dir, name)).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    for (const lock of [...this.held]) await lock.release();
  }

  /**
   * A run that failed before writing any state (a refused plan, the API
   * down) leaves nothing behind: the `.dynoform/` it made for the lock is
   * removed again if it is still empty. rmdir refuses a non-empty folder,
   * so a state, another lock or a user's file there are never touched.
   */
  async removeCreatedDirIfEmpty(): Promise<void> {
    const top = this.createdDir;
    if (top === undefined) return;
    for (let dir = dirname(this.path); ; dir = dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        return;
      }
      if (dir === top || dirname(dir) === dir) break;
    }
    this.createdDir = undefined;
  }
}

class FileLock extends SequencedWrites implements StateLock {
  private released = false;

  constructor(
    private readonly backend: FileBackend,
    readonly info: LockInfo,
    private readonly opts: FileBackendOptions,
    readonly tookOver?: LockInfo,
  ) {
    super();
  }

  init(current: Inventory | undefined): void {
    this.seq = new WriteSequence(this.backend.path, current);
  }

  protected async store(next: Inventory, replaced: boolean): Promise<void> {
    await this.assertHeld();
    await writeAtomically(this.backend.path, serializeInventory(next), this.opts.beforeRename);
    this.seq.committed(next, replaced);
  }

  /** Someone may have run `state unlock --force` while we worked: then we must not write. */
  private async assertHeld(): Promise<void> {
    if (this.released) throw new Error('internal error: write after the state lock was released');
    const { info } = await this.backend.readLockInfo();
    if (info?.id !== this.info.id) {
      throw new StateConflictError(
        'state-lock-lost',
        `the lock on state ${this.backend.path} was removed by someone else (state unlock --force?) while this run held it` +
          (info ? `; it is now held by ${describeHolder(info)}` : '') +
          '. Not writing: run plan again.',
      );
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.backend.forget(this);
    await this.settled();
    trackLockFile(this.info.id, undefined);
    const { info } = await this.backend.readLockInfo();
    // Only our own lock file: after a forced unlock it may be someone else's.
    if (info?.id === this.info.id) await unlink(this.backend.lockPath).catch(() => undefined);
    await this.backend.removeCreatedDirIfEmpty();
  }
}

async function writeAtomically(path: string, text: string, beforeRename?: (temp: string) => void | Promise<void>): Promise<void> {
  try {
    await writeFileAtomic(path, text, beforeRename ? { beforeRename } : {});
  } catch (err) {
    throw new StateError('state-unwritable', `cannot write state ${path}: ${(err as Error).message}. The previous state is intact.`);
  }
}
