import { describe, expect, it } from 'vitest';
import { DEFAULT_COUNTED, hasDrift, parseDriftClasses } from '../../../src/drift/index.js';
import type { DriftReport } from '../../../src/model/drift.js';

describe('parseDriftClasses', () => {
  it('defaults to every class but unmanaged', () => {
    expect(parseDriftClasses(undefined)).toEqual({ ok: true, classes: ['changed-outside', 'missing', 'pending'] });
    expect(DEFAULT_COUNTED).not.toContain('unmanaged');
  });

  it('accepts a comma list, all, default and the short form changed; keeps a canonical order', () => {
    expect(parseDriftClasses('unmanaged, changed')).toEqual({ ok: true, classes: ['changed-outside', 'unmanaged'] });
    expect(parseDriftClasses('all')).toEqual({ ok: true, classes: ['changed-outside', 'missing', 'pending', 'unmanaged'] });
    expect(parseDriftClasses('default,unmanaged')).toEqual({ ok: true, classes: ['changed-outside', 'missing', 'pending', 'unmanaged'] });
  });

  it('names unknown classes and refuses an empty list', () => {
    const bad = parseDriftClasses('missing,drifted');
    expect(bad.ok).toBe(false);
    expect(bad.ok ? '' : bad.message).toContain('"drifted"');
    expect(parseDriftClasses(' , ').ok).toBe(false);
  });

  it('hasDrift counts only the chosen classes', () => {
    const report: DriftReport = {
      items: [{ class: 'unmanaged', address: 'app.a/config.X', app: 'a', kind: 'config', key: 'X', message: 'm' }],
      summary: { 'changed-outside': 0, missing: 0, pending: 0, unmanaged: 1 },
      apps: ['a'],
      diagnostics: [],
    };
    expect(hasDrift(report, DEFAULT_COUNTED)).toBe(false);
    expect(hasDrift(report, ['unmanaged'])).toBe(true);
  });
});
