import type { DriftReport } from '../model/drift.js';
import { hasCountedDrift } from './drift-common.js';
import type { DriftRenderOptions } from './drift-common.js';

export const DRIFT_JSON_FORMAT_VERSION = 1;

/** Machine output: stable field names, every item with `counted`, masked values only. */
export function renderDriftJson(report: DriftReport, opts: DriftRenderOptions): string {
  const doc = {
    formatVersion: DRIFT_JSON_FORMAT_VERSION,
    hasDrift: hasCountedDrift(report, opts.counted),
    counted: [...opts.counted],
    summary: report.summary,
    apps: report.apps,
    items: report.items.map((i) => ({
      class: i.class,
      counted: opts.counted.includes(i.class),
      address: i.address,
      app: i.app,
      kind: i.kind,
      ...(i.key !== undefined ? { key: i.key } : {}),
      ...(i.field !== undefined ? { field: i.field } : {}),
      message: i.message,
      ...(i.loc ? { loc: { file: opts.displayPath ? opts.displayPath(i.loc.file) : i.loc.file, line: i.loc.line, col: i.loc.col } } : {}),
      ...(i.before !== undefined ? { before: i.before } : {}),
      ...(i.after !== undefined ? { after: i.after } : {}),
    })),
    diagnostics: report.diagnostics,
  };
  return JSON.stringify(doc, null, 2);
}
