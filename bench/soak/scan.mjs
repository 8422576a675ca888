// The secret scan: every byte dynoform wrote — captured stdout and stderr of
// every run, plan files, state files, locks, logs — searched for every
// secret value in play. A hit names the file, the offset and which secret
// (by label, never by value), so the report itself leaks nothing.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * The byte patterns one secret may leak as: verbatim, upper- or lower-cased, URL-encoded, base64
 * (as in a Basic auth header), and — so that a truncated or partly masked
 * leak is caught too — its first and last 16 characters.
 *
 * @param {string} value
 * @returns {Buffer[]}
 */
export function leakForms(value) {
  const forms = new Set([value, value.toLowerCase(), value.toUpperCase(), encodeURIComponent(value), Buffer.from(value).toString('base64').replace(/=+$/, '')]);
  if (value.length >= 24) {
    forms.add(value.slice(0, 16));
    forms.add(value.slice(-16));
  }
  return [...forms].filter((f) => f.length >= 8).map((f) => Buffer.from(f));
}

/**
 * @param {Buffer} bytes
 * @param {{label: string, value: string}[]} secrets
 * @returns {{label: string, offset: number}[]}
 */
export function scanBuffer(bytes, secrets) {
  const hits = [];
  for (const s of secrets) {
    for (const form of leakForms(s.value)) {
      const at = bytes.indexOf(form);
      if (at >= 0) {
        hits.push({ label: s.label, offset: at });
        break;
      }
    }
  }
  return hits;
}

/** Every regular file under `root`, recursively (symlinks are not followed). */
export async function listFiles(root) {
  const out = [];
  const walk = async (dir) => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (err.code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  const s = await stat(root).catch(() => undefined);
  if (s?.isFile()) return [root];
  await walk(root);
  return out.sort();
}

/**
 * Scans every file under each root. `secrets` entries are `{label, value}`;
 * values shorter than 8 characters are refused (they would match by chance).
 *
 * @returns {Promise<{files: number, bytes: number, secrets: number, hits: {file: string, label: string, offset: number}[]}>}
 */
export async function scanTree(roots, secrets, { base } = {}) {
  for (const s of secrets) {
    if (typeof s.value !== 'string' || s.value.length < 8) throw new RangeError(`secret ${s.label} is too short to scan for reliably`);
  }
  const unique = dedupe(secrets);
  const result = { files: 0, bytes: 0, secrets: unique.length, hits: [] };
  for (const root of roots) {
    for (const file of await listFiles(root)) {
      const bytes = await readFile(file);
      result.files += 1;
      result.bytes += bytes.length;
      for (const hit of scanBuffer(bytes, unique)) result.hits.push({ file: base ? relative(base, file) : file, ...hit });
    }
  }
  return result;
}

function dedupe(secrets) {
  const seen = new Map();
  for (const s of secrets) if (!seen.has(s.value)) seen.set(s.value, s);
  return [...seen.values()];
}
