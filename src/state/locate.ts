import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const DEFAULT_STATE_FILE = join('.dynoform', 'state.json');

/** `.dynoform/<environment>.json`; the default environment keeps the `state.json` of before environments. */
export function stateFileFor(environment: string | undefined): string {
  return environment === undefined || environment === 'default' ? DEFAULT_STATE_FILE : join('.dynoform', `${environment}.json`);
}

/**
 * `.dynoform/<environment>.json` (`state.json` for the default
 * environment) beside the first YAML file (inside it, when the first path
 * is a folder of YAML files), or in `cwd` when no file was given.
 */
export function defaultStatePath(files: readonly string[] | undefined, cwd: string, environment?: string): string {
  const file = stateFileFor(environment);
  const first = files?.[0];
  if (first === undefined) return resolve(cwd, file);
  const abs = resolve(cwd, first);
  let isDir = false;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    // A missing file is reported by the config loader; the state still goes beside it.
  }
  return join(isDir ? abs : dirname(abs), file);
}

/** The state to use: `--state`, else `DYNOFORM_STATE`, else the default path. The CLI passes the flag and the variable. */
export function resolveStateSpec(opts: { flag?: string; env?: string; files?: readonly string[]; cwd: string; environment?: string }): string {
  const flag = opts.flag?.trim();
  if (flag) return flag;
  const env = opts.env?.trim();
  if (env) return env;
  return defaultStatePath(opts.files, opts.cwd, opts.environment);
}
