import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import { loadCertificates } from './certificates.js';
import { Code } from './codes.js';
import { parseDesiredState, sortDiagnostics, type ConfigResult, type ParseOptions, type SourceText } from './parse.js';
import { decodeText, DEFAULT_MAX_FILE_BYTES, tooLarge } from './text.js';

export interface LoadOptions extends ParseOptions {
  /** Relative paths resolve against it, and file names in diagnostics are shown relative to it. */
  cwd: string;
  /** For the certificate expiry check; default the clock. */
  now?: Date;
}

export const DEFAULT_FILES = ['dynoform.yaml', 'dynoform.yml'];

const YAML_FILE = /\.ya?ml$/i;

/** Paths inside the working directory are shown relative to it, others in full. */
function displayName(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? abs : rel;
}

function fsMessage(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return err instanceof Error ? err.message : String(err);
}

interface Target {
  abs: string;
  file: string;
}

/**
 * Files named by the paths: a folder means its *.yaml and *.yml files,
 * sorted, not recursive. `order` also holds the paths that failed, so that
 * their diagnostics sort where the user named them.
 */
async function expandPaths(paths: string[], cwd: string, diagnostics: Diagnostic[]): Promise<{ targets: Target[]; order: string[] }> {
  const out: Target[] = [];
  const order: string[] = [];
  const seen = new Set<string>();
  const add = (abs: string): void => {
    if (seen.has(abs)) return;
    seen.add(abs);
    const file = displayName(cwd, abs);
    out.push({ abs, file });
    order.push(file);
  };

  if (paths.length === 0) {
    for (const name of DEFAULT_FILES) {
      const abs = resolve(cwd, name);
      const st = await stat(abs).catch(() => undefined);
      if (st) {
        add(abs);
        return { targets: out, order };
      }
    }
    diagnostics.push({
      severity: 'error',
      code: Code.fileNotFound,
      message: `no dynoform.yaml in ${cwd}: name the files or folders to read (-f PATH)`,
    });
    return { targets: out, order };
  }

  for (const p of paths) {
    const abs = resolve(cwd, p);
    const file = displayName(cwd, abs);
    order.push(file);
    let st;
    try {
      st = await stat(abs);
    } catch (err) {
      const notFound = (err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR';
      diagnostics.push({
        severity: 'error',
        code: notFound ? Code.fileNotFound : Code.fileUnreadable,
        message: notFound ? 'no such file or folder' : `cannot read: ${fsMessage(err)}`,
        file,
      });
      continue;
    }
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = (await readdir(abs)).filter((n) => YAML_FILE.test(n)).sort();
      } catch (err) {
        diagnostics.push({ severity: 'error', code: Code.fileUnreadable, message: `cannot read the folder: ${fsMessage(err)}`, file });
        continue;
      }
      let found = 0;
      for (const name of names) {
        const child = join(abs, name);
        const cst = await stat(child).catch(() => undefined);
        if (cst?.isFile()) {
          add(child);
          found += 1;
        }
      }
      if (found === 0) {
        diagnostics.push({ severity: 'error', code: Code.folderEmpty, message: 'the folder has no .yaml or .yml files', file });
      }
    } else add(abs);
  }
  return { targets: out, order };
}

/** Reads one file within the size limit, without ever reading a device, pipe or oversized file. */
async function readSource(t: Target, max: number, diagnostics: Diagnostic[]): Promise<SourceText | undefined> {
  try {
    const st = await stat(t.abs);
    if (!st.isFile()) {
      diagnostics.push({ severity: 'error', code: Code.fileNotRegular, message: 'not a regular file', file: t.file });
      return undefined;
    }
    if (st.size > max) {
      diagnostics.push(tooLarge(t.file, st.size, max));
      return undefined;
    }
    const buf = await readFile(t.abs);
    // The file may have grown between stat and read.
    if (buf.length > max) {
      diagnostics.push(tooLarge(t.file, buf.length, max));
      return undefined;
    }
    const decoded = decodeText(t.file, buf);
    if ('diagnostic' in decoded) {
      diagnostics.push(decoded.diagnostic);
      return undefined;
    }
    return { file: t.file, text: decoded.text };
  } catch (err) {
    diagnostics.push({ severity: 'error', code: Code.fileUnreadable, message: `cannot read: ${fsMessage(err)}`, file: t.file });
    return undefined;
  }
}

/**
 * Reads the YAML files and folders named by `paths` (default: dynoform.yaml
 * in `cwd`) into the desired state. Every problem comes back as a
 * diagnostic; `desired` is undefined when any of them is an error.
 */
export async function loadDesiredState(paths: string[], opts: LoadOptions): Promise<ConfigResult> {
  const diagnostics: Diagnostic[] = [];
  const max = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const { targets, order } = await expandPaths(paths, opts.cwd, diagnostics);
  const sources: SourceText[] = [];
  for (const t of targets) {
    const s = await readSource(t, max, diagnostics);
    if (s) sources.push(s);
  }
  const parsed = parseDesiredState(sources, opts);
  if (parsed.desired) await loadCertificates(parsed.desired, opts.cwd, opts.now ?? new Date(), diagnostics);
  // parse has already limited its own lists; reading files adds at most one diagnostic per path.
  const all = sortDiagnostics([...diagnostics, ...parsed.diagnostics], order);
  const result: ConfigResult = { diagnostics: all, files: parsed.files, apps: parsed.apps };
  if (parsed.unlistedErrors) result.unlistedErrors = parsed.unlistedErrors;
  if (parsed.desired && !all.some((d) => d.severity === 'error')) result.desired = parsed.desired;
  return result;
}
