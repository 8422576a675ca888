/**
 * The one atomic file writer (state files, saved plans, imported YAML).
 *
 * The text goes to a temp file in the same folder, is fsynced, renamed over
 * the target (atomic on POSIX) and the folder is fsynced so the rename
 * survives a power loss. A crash at any point leaves the old file or the
 * new one, never half of one; a failed write removes its temp file.
 *
 * Only regular files are replaced that way. A symlink is followed (the
 * file it points at is replaced, the link stays a link); a device or FIFO
 * (`plan -o /dev/null`, a pipe to another process) is written in place, as
 * `terraform plan -out=/dev/null` does — renaming over /dev/null would
 * replace the device with a regular file.
 */
import { lstat, mkdir, open, readlink, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface AtomicWriteOptions {
  /** File mode of a new file; default 0o644. */
  mode?: number;
  /** Create the folder (and its parents) first; default false. */
  mkdir?: boolean;
  /** Called after the temp file is written and fsynced, just before the rename (crash tests). */
  beforeRename?: (tempPath: string) => void | Promise<void>;
}

/** Temp files are `.<name>.<pid>.<hex>.tmp` beside the target, so a crashed write's leftovers can be found. */
export const TEMP_SUFFIX = '.tmp';

export function tempPrefix(path: string): string {
  return `.${basename(path)}.`;
}

/** Writes `text` to `path` atomically; on failure the previous file is intact and the error is rethrown. */
export async function writeFileAtomic(given: string, text: string, opts: AtomicWriteOptions = {}): Promise<void> {
  const path = await followLinks(given);
  const existing = await stat(path).catch(() => undefined);
  if (existing && !existing.isFile() && !existing.isDirectory()) {
    const fh = await open(path, 'w');
    try {
      await fh.writeFile(text);
    } finally {
      await fh.close();
    }
    return;
  }
  const dir = dirname(path);
  if (opts.mkdir) await mkdir(dir, { recursive: true });
  const temp = join(dir, `${tempPrefix(path)}${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
  try {
    // A replaced file keeps its permissions (a state file made private stays private).
    const fh = await open(temp, 'wx', existing ? existing.mode & 0o7777 : (opts.mode ?? 0o644));
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await opts.beforeRename?.(temp);
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
}

/** The file a path ends at after its symlinks, also when the last link dangles (the write creates its target). */
async function followLinks(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    // Missing: either nothing is there, or a link to a file that does not exist yet.
  }
  let p = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    const st = await lstat(p).catch(() => undefined);
    if (!st?.isSymbolicLink()) return p;
    p = resolve(dirname(p), await readlink(p));
  }
  return p;
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Some platforms cannot fsync a directory (Windows); the rename is still atomic there.
  }
}
