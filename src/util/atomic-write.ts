/**
 * The one atomic file writer (state files, saved plans, imported YAML).
 *
 * The text goes to a temp file in the same folder, is fsynced, renamed over
 * the target (atomic on POSIX) and the folder is fsynced so the rename
 * survives a power loss. A crash at any point leaves the old file or the
 * new one, never half of one; a failed write removes its temp file.
 */
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
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
export async function writeFileAtomic(path: string, text: string, opts: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(path);
  if (opts.mkdir) await mkdir(dir, { recursive: true });
  const temp = join(dir, `${tempPrefix(path)}${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
  try {
    const fh = await open(temp, 'wx', opts.mode ?? 0o644);
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
