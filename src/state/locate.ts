import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const DEFAULT_STATE_FILE = join('.dynoform', 'state.json');

/**
 * `.dynoform/state.json` beside the first YAML file (inside it, when the
 * first path is a folder of YAML files), or in `cwd` when no file was given.
 */
export function defaultStatePath(files: readonly string[] | undefined, cwd: string): string {
  const first = files?.[0];
  if (first === undefined) return resolve(cwd, DEFAULT_STATE_FILE);
  const abs = resolve(cwd, first);
  let isDir = false;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    // A missing file is reported by the config loader; the state still goes beside it.
  }
  return join(isDir ? abs : dirname(abs), DEFAULT_STATE_FILE);
}

/** The state to use: `--state`, else `DYNOFORM_STATE`, else the default path. The CLI passes the flag and the variable. */
export function resolveStateSpec(opts: { flag?: string; env?: string; files?: readonly string[]; cwd: string }): string {
  const flag = opts.flag?.trim();
  if (flag) return flag;
  const env = opts.env?.trim();
  if (env) return env;
  return defaultStatePath(opts.files, opts.cwd);
}
