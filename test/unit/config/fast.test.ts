import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFast, resolvePlain } from '../../../src/config/fast.js';
import { DEFAULT_LIMITS, readYaml, Source, type PNode } from '../../../src/config/tree.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';

/**
 * The fast reader must never disagree with the yaml library: whenever it
 * answers, its tree (values, spellings, offsets) and line table must equal
 * the yaml path's, and the yaml path must have nothing to report.
 */
type Shape = unknown;
function shape(n: PNode): Shape {
  if (n.kind === 'scalar') return { s: n.value, raw: n.raw, at: n.offset };
  if (n.kind === 'seq') return { seq: n.items.map(shape), at: n.offset };
  return { map: [...n.entries.values()].map((e) => [e.key, e.keyOffset, shape(e.node)]), at: n.offset };
}

function viaYaml(text: string): { tree?: PNode; diagnostics: Diagnostic[]; src: Source } {
  const src = new Source('y.yaml');
  const diagnostics: Diagnostic[] = [];
  const tree = readYaml(src, text, diagnostics, { ...DEFAULT_LIMITS, fast: false });
  return { ...(tree ? { tree } : {}), diagnostics, src };
}

/** Compares on `text`; returns whether the fast reader answered. */
function agree(text: string): boolean {
  const src = new Source('f.yaml');
  const fast = readFast(src, text, DEFAULT_LIMITS);
  if (!fast) {
    expect(src.lineCounter.lineStarts, 'a give-up leaves the line table alone').toEqual([]);
    return false;
  }
  const slow = viaYaml(text);
  expect(slow.diagnostics, text).toEqual([]);
  expect(shape(fast), text).toEqual(shape(slow.tree!));
  expect(src.lineCounter.lineStarts, text).toEqual(slow.src.lineCounter.lineStarts);
  return true;
}

const root = resolve(import.meta.dirname, '../../..');

const SNIPPETS = [
  'version: 1\napps:\n  shop: {}\n',
  'version: 1\napps:\n  shop: {}',
  'version: 1\n\n\napps:\n\n  shop:\n\n    region: us\n\n',
  '# top comment\nversion: 1 # trailing\napps: # c\n  # inside\n  shop:   # c\n    region:    us    # c\n',
  'a: 1\nb: -2\nc: +3\nd: 0o17\ne: 0x1F\nf: 1.5\ng: .5\nh: 1.\ni: 1e3\nj: -1.5E-3\nk: .inf\nl: -.Inf\nm: .NaN\nn: 007\no: 99999999999999999999\np: -0\n',
  'a: true\nb: True\nc: TRUE\nd: false\ne: False\nf: FALSE\ng: yes\nh: no\ni: on\nj: ~\nk: null\nl: Null\nm: NULL\nn: nULL\no: tRUE\n',
  'a: "double"\nb: \'single\'\nc: \'it\'\'s\'\nd: ""\ne: \'\'\nf: "with # hash"\ng: "a: b"\nh: \'{not flow}\'\n',
  'a: plain with spaces\nb: a:b:c\nc: https://example.com/x?y=1#frag\nd: value#nocomment\ne: ${env:X}\nf: $${literal}\ng: x-y_z.w\nh: [a, b]\ni: -x\nj: ?x\nk: :x\n',
  'a:\n  - x\n  - "y"\n  - 1\n  - {k: v}\n  - [1, 2]\nb:\n- same indent\n- items\nc: 1\n',
  'm: {a: b, c: [1, x, "q", \'s\'], d: {e: f}, g: {}, h: []}\n',
  'm: { a: b , c: d }\nn: [ 1 , 2 ]\no: {a: heroku-postgresql:essential-0, b: https://x.example.com/a}\n',
  'a:\nb:   \nc:   # comment\nd:\n  e:\n',
  'deep:\n  a:\n    b:\n      c:\n        d: 1\n  e: 2\nf: 3\n',
  'x: "ünïcödé ✓"\ny: 日本語\n',
  'k: v\n' + 'long_key_'.repeat(5) + ': 1\n',
  // Outside the subset: each must be left to yaml.
  'a: &x 1\nb: *x\n',
  'a: !!str 1\n',
  'a: |\n  block\n',
  'a: >\n  folded\n',
  'a: multi\n  line\n',
  'a: "multi\n  line"\n',
  'a: [1,\n  2]\n',
  '\ta: 1\n',
  'a: 1\r\nb: 2\r\n',
  'a: 1\na: 2\n',
  '__proto__: 1\n',
  '<<: {a: 1}\n',
  '? a\n: 1\n',
  '"quoted key": 1\n',
  '1: one\n',
  'true: 1\n',
  '---\na: 1\n',
  'a: 1\n---\nb: 2\n',
  '%YAML 1.2\n---\na: 1\n',
  '- top\n- list\n',
  '  indented: root\n',
  'a:\n  -\n    b: 1\n',
  'a:\n  - b: 1\n    c: 2\n',
  'a: "esc\\n"\n',
  'a: {b: 1,}\n',
  'a: [1, 2,]\n',
  'a: {b:c}\n',
  'a: x # c\n  b: 1\n',
  'a: b: c\n',
  'a: "x"y\n',
  'a: "x"#c\n',
  'a:\n  b: 1\n c: 2\n',
  'a: - b\n',
  'a: @x\n',
  'a: `x\n',
  'a: ,x\n',
  'a: [a: b]\n',
  'a: {b: }\n',
  'a: {"b": 1}\n',
  'a: [x #c]\n',
  '',
  '# only a comment\n',
  'a: \uFEFFx\n',
];

describe('fast reader: agrees with the yaml library', () => {
  it('on hand-picked snippets, and answers for the plain ones', () => {
    const answered = SNIPPETS.map(agree);
    // The first 15 are plain; the rest are not.
    expect(answered.slice(0, 15)).toEqual(Array(15).fill(true));
    expect(answered.slice(15).filter(Boolean)).toEqual([]);
  });

  it('on the examples', () => {
    for (const f of ['defaults.yaml', 'staging.yaml', 'production.yaml']) {
      expect(agree(readFileSync(join(root, 'examples', f), 'utf8')), f).toBe(true);
    }
  });

  it('on 3,000 random documents and mutations of them', () => {
    let seed = 42;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const SCALARS = ['x', 'us', '5000', '1.10', 'true', 'True', 'null', '~', '0x1F', '0o17', '.inf', '-.5', '1e3', '"q"', "'s'", "'it''s'", '""', '${env:A}', 'a:b', 'https://h.example.com/p', 'v # c', 'heroku-redis:mini', '-1', '+1', 'yes', 'a b  c'];
    const KEYS = ['a', 'b', 'KEY_1', 'web', 'app-1', '_x', 'config', 'n0'];
    const flow = (d: number): string => {
      if (d > 2 || rand() < 0.5) return pick(SCALARS.filter((s) => !s.includes('#') && !s.includes(':') && !s.includes(' ')));
      if (rand() < 0.5) return `[${Array.from({ length: Math.floor(rand() * 3) }, () => flow(d + 1)).join(pick([', ', ',', ' , ']))}]`;
      const keys = [...new Set(Array.from({ length: Math.floor(rand() * 3) }, () => pick(KEYS)))];
      return `{${keys.map((k) => `${k}: ${flow(d + 1)}`).join(', ')}}`;
    };
    const block = (indent: number, d: number): string[] => {
      const pad = ' '.repeat(indent);
      const keys = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick(KEYS)))];
      return keys.flatMap((k) => {
        const r = rand();
        const lines: string[] = [];
        if (rand() < 0.1) lines.push(pad + '# note');
        if (rand() < 0.1) lines.push('');
        if (r < 0.4 || d > 3) lines.push(`${pad}${k}: ${pick(SCALARS)}`);
        else if (r < 0.55) lines.push(`${pad}${k}: ${flow(0)}`);
        else if (r < 0.65) lines.push(`${pad}${k}:`);
        else if (r < 0.8) {
          const step = pick([0, 2, 4]);
          lines.push(`${pad}${k}:`, ...Array.from({ length: 1 + Math.floor(rand() * 3) }, () => `${' '.repeat(indent + step)}- ${pick([pick(SCALARS), flow(0)])}`));
        } else lines.push(`${pad}${k}:`, ...block(indent + pick([1, 2, 4]), d + 1));
        return lines;
      });
    };
    let answered = 0;
    let total = 0;
    for (let i = 0; i < 1500; i++) {
      const doc = block(0, 0).join('\n') + (rand() < 0.8 ? '\n' : '');
      total += 1;
      if (agree(doc)) answered += 1;
      // A mutation: most are no longer plain (or no longer valid); those that are must still agree.
      const at = Math.floor(rand() * doc.length);
      const mutated = doc.slice(0, at) + pick([' ', ':', '-', '#', '"', "'", '[', '{', ',', '\n', 'x', '  ', '- ', ': ']) + doc.slice(at + Math.floor(rand() * 3));
      total += 1;
      if (agree(mutated)) answered += 1;
    }
    // Most generated documents are plain: the comparison really ran.
    expect(answered).toBeGreaterThan(total / 3);
  });
});

describe('resolvePlain', () => {
  it('follows the YAML 1.2 core schema', () => {
    expect(resolvePlain('5000')).toBe(5000);
    expect(resolvePlain('1.10')).toBe(1.1);
    expect(resolvePlain('0x1F')).toBe(31);
    expect(resolvePlain('0o17')).toBe(15);
    expect(resolvePlain('.nan')).toBeNaN();
    expect(resolvePlain('-.inf')).toBe(-Infinity);
    expect(resolvePlain('True')).toBe(true);
    expect(resolvePlain('~')).toBeNull();
    expect(resolvePlain('yes')).toBe('yes');
    expect(resolvePlain('0x')).toBe('0x');
    expect(resolvePlain('1_000')).toBe('1_000');
  });
});
