import { describe, expect, it } from 'vitest';
import type { DriftItem, DriftReport } from '../../../src/model/drift.js';
import { summarize } from '../../../src/drift/index.js';
import { renderDriftText } from '../../../src/render/drift-text.js';
import { renderDriftJson } from '../../../src/render/drift-json.js';
import { GITHUB_COMMENT_LIMIT, renderDriftMarkdown } from '../../../src/render/drift-markdown.js';
import { escapeData, escapeProperty, MAX_ANNOTATIONS, renderDriftGithub } from '../../../src/render/drift-github.js';

const COUNTED = ['changed-outside', 'missing', 'pending'] as const;
const rel = (f: string) => f.replace('/repo/', '');

function report(items: DriftItem[]): DriftReport {
  return { items, summary: summarize(items), apps: ['shop'], diagnostics: [] };
}

const changed: DriftItem = {
  class: 'changed-outside',
  address: 'app.shop/config.RAILS_ENV',
  app: 'shop',
  kind: 'config',
  key: 'RAILS_ENV',
  message: 'config var RAILS_ENV was changed outside dynoform',
  loc: { file: '/repo/staging.yaml', line: 9, col: 7 },
  before: 'staging',
  after: 'production',
};
const unmanaged: DriftItem = {
  class: 'unmanaged',
  address: 'app.shop/config.HAND',
  app: 'shop',
  kind: 'config',
  key: 'HAND',
  message: 'config var HAND is set but not declared',
  loc: { file: '/repo/staging.yaml', line: 3, col: 3 },
  before: null,
};

describe('drift text', () => {
  it('lists counted items with values and YAML location, uncounted ones apart, then a verdict', () => {
    const out = renderDriftText(report([changed, unmanaged]), { counted: COUNTED, displayPath: rel });
    expect(out).toContain('changed outside  config.RAILS_ENV: config var RAILS_ENV was changed outside dynoform');
    expect(out).toContain('"staging" → "production"   at staging.yaml:9:7');
    expect(out.indexOf('Not counted')).toBeGreaterThan(out.indexOf('RAILS_ENV'));
    expect(out.trim().split('\n').at(-1)).toBe('Drift in 1 app: 1 changed outside; 1 unmanaged not counted.');
    expect(out).not.toMatch(/\u001b\[/);
  });

  it('says so when nothing counts', () => {
    expect(renderDriftText(report([]), { counted: COUNTED })).toBe('No drift in 1 app.');
  });

  it('colours only when asked', () => {
    expect(renderDriftText(report([changed]), { counted: COUNTED, color: true })).toMatch(/\u001b\[33m/);
  });
});

describe('drift json', () => {
  it('marks each item counted or not, carries the summary and hasDrift', () => {
    const doc = JSON.parse(renderDriftJson(report([changed, unmanaged]), { counted: COUNTED, displayPath: rel }));
    expect(doc).toMatchObject({ formatVersion: 1, hasDrift: true, counted: [...COUNTED], summary: { 'changed-outside': 1, unmanaged: 1, missing: 0, pending: 0 } });
    expect(doc.items[0]).toEqual({ ...changed, counted: true, loc: { file: 'staging.yaml', line: 9, col: 7 } });
    expect(doc.items[1].counted).toBe(false);
    const none = JSON.parse(renderDriftJson(report([unmanaged]), { counted: COUNTED }));
    expect(none.hasDrift).toBe(false);
  });
});

describe('drift markdown', () => {
  it('renders a table and escapes what markdown or HTML would interpret, including mentions', () => {
    const tricky: DriftItem = { ...changed, before: 'a|b`c*<script>', after: '@octocat', key: 'X' };
    const md = renderDriftMarkdown(report([tricky, unmanaged]), { counted: COUNTED, displayPath: rel });
    expect(md).toMatch(/^### dynoform drift: 1 item\n/);
    expect(md).toContain('| Class | Address |');
    expect(md).toContain('<code>&quot;a&#124;b&#96;c&#42;&lt;script&gt;&quot;</code>'.replace(/&quot;/g, '"'));
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('@octocat');
    expect(md).toContain('&#64;octocat');
    expect(md).toContain('<details><summary>Not counted (1 item, see --classes)</summary>');
    expect(md).toContain('<code>staging.yaml:9:7</code>');
  });

  it('links locations when a link maker is given', () => {
    const md = renderDriftMarkdown(report([changed]), { counted: COUNTED, displayPath: rel, sourceLink: (l) => `https://github.com/o/r/blob/abc/${rel(l.file)}#L${l.line}` });
    expect(md).toContain('<a href="https://github.com/o/r/blob/abc/staging.yaml#L9">staging.yaml:9:7</a>');
  });

  it('stays within GitHub\'s comment limit with thousands of items and says how many were left out', () => {
    const many: DriftItem[] = Array.from({ length: 5000 }, (_, i) => ({ ...changed, key: `K${i}`, address: `app.shop/config.K${i}`, message: `config var K${i} was changed outside dynoform ${'x'.repeat(40)}` }));
    const md = renderDriftMarkdown(report(many), { counted: COUNTED });
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    const m = /_(\d+) more items not shown here/.exec(md);
    expect(m).not.toBeNull();
    const rows = md.split('\n').filter((l) => l.startsWith('| ✏️')).length;
    expect(rows + Number(m![1])).toBe(5000);
    // Every table row is whole: the document ends with the footer, not half a row.
    expect(md.trimEnd().endsWith('for the full list._')).toBe(true);
  });

  it('honours a smaller budget', () => {
    const many: DriftItem[] = Array.from({ length: 50 }, (_, i) => ({ ...changed, key: `K${i}`, address: `app.shop/config.K${i}` }));
    expect(renderDriftMarkdown(report(many), { counted: COUNTED, maxChars: 3000 }).length).toBeLessThanOrEqual(3000);
  });
});

describe('drift github annotations', () => {
  it('one ::warning per counted item on its YAML line, then a plain summary line', () => {
    const out = renderDriftGithub(report([changed, unmanaged]), { counted: COUNTED, displayPath: rel });
    expect(out.split('\n')).toEqual([
      '::warning file=staging.yaml,line=9,col=7,title=Drift (changed outside)%3A app.shop/config.RAILS_ENV::config var RAILS_ENV was changed outside dynoform: "staging" → "production"',
      'dynoform drift: Drift in 1 app: 1 changed outside; 1 unmanaged not counted.',
    ]);
  });

  it('at most 10 annotations, most urgent classes first, then one ::notice with the rest', () => {
    const pending: DriftItem[] = Array.from({ length: 12 }, (_, i) => ({ ...changed, class: 'pending', key: `P${i}`, address: `app.shop/config.P${i}`, loc: { file: '/repo/staging.yaml', line: 20 + i, col: 5 } }));
    const out = renderDriftGithub(report([...pending, changed]), { counted: COUNTED, displayPath: rel }).split('\n');
    expect(out).toHaveLength(MAX_ANNOTATIONS + 1);
    expect(out[0]).toContain('line=9,');
    expect(out.slice(0, 10).every((l) => l.startsWith('::warning '))).toBe(true);
    expect(out[10]).toMatch(/^::notice title=dynoform drift::Drift in 1 app: 1 changed outside, 12 pending\. 3 more items not annotated/);
  });

  it('escapes workflow-command syntax so a value cannot inject a command', () => {
    const evil: DriftItem = { ...changed, after: 'x\n::error::owned', message: '100% done, really: yes' };
    const out = renderDriftGithub(report([evil]), { counted: COUNTED });
    expect(out.split('\n')).toHaveLength(2);
    expect(out).toContain('100%25 done');
    expect(out.split('\n').some((l) => l.startsWith('::error'))).toBe(false);
    expect(escapeData('a\r\nb%')).toBe('a%0D%0Ab%25');
    expect(escapeProperty('a,b:c')).toBe('a%2Cb%3Ac');
  });

  it('items without a location become annotations without file', () => {
    const out = renderDriftGithub(report([{ ...changed, loc: undefined } as DriftItem]), { counted: COUNTED });
    expect(out.split('\n')[0]).toMatch(/^::warning title=/);
  });
});
