import type { DriftClass, DriftItem, DriftReport } from '../model/drift.js';

export const DRIFT_CLASSES: readonly DriftClass[] = ['changed-outside', 'missing', 'pending', 'unmanaged'];

/**
 * Classes that count as drift (exit 2, annotations, `has_drift`) unless
 * `--classes` says otherwise. Unmanaged objects are listed but do not count:
 * in `merge` mode, keys and add-ons made by hand are expected (Heroku and
 * add-ons set some themselves) and would make a nightly check always red.
 */
export const DEFAULT_COUNTED: readonly DriftClass[] = ['changed-outside', 'missing', 'pending'];

export type ParsedClasses = { ok: true; classes: DriftClass[] } | { ok: false; message: string };

/** `changed-outside,missing` / `all` / `default` (also accepted: `changed`, spaces, repeats). */
export function parseDriftClasses(text: string | undefined): ParsedClasses {
  if (text === undefined) return { ok: true, classes: [...DEFAULT_COUNTED] };
  const out = new Set<DriftClass>();
  const unknown: string[] = [];
  for (const raw of text.split(',')) {
    const word = raw.trim().toLowerCase();
    if (word === '') continue;
    if (word === 'all') DRIFT_CLASSES.forEach((c) => out.add(c));
    else if (word === 'default') DEFAULT_COUNTED.forEach((c) => out.add(c));
    else if (word === 'changed') out.add('changed-outside');
    else if ((DRIFT_CLASSES as readonly string[]).includes(word)) out.add(word as DriftClass);
    else unknown.push(raw.trim());
  }
  if (unknown.length > 0) {
    return { ok: false, message: `unknown drift class ${unknown.map((u) => `"${u}"`).join(', ')} (choose from ${DRIFT_CLASSES.join(', ')}, or all)` };
  }
  if (out.size === 0) return { ok: false, message: `--classes needs at least one of ${DRIFT_CLASSES.join(', ')}, or all` };
  return { ok: true, classes: DRIFT_CLASSES.filter((c) => out.has(c)) };
}

export function countedItems(report: DriftReport, counted: readonly DriftClass[]): DriftItem[] {
  return report.items.filter((i) => counted.includes(i.class));
}

export function hasDrift(report: DriftReport, counted: readonly DriftClass[]): boolean {
  return report.items.some((i) => counted.includes(i.class));
}
