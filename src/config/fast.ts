import { FORBIDDEN_KEYS } from './rules.js';
import type { PEntry, PMap, PNode, PScalar, PSeq, Source } from './tree.js';

/**
 * A fast reader for the plain YAML that nearly every dynoform file is:
 * block maps and lists, one-line scalars (plain, '…', "…" without escapes)
 * and one-line flow collections, with comments. The yaml library spends
 * about 10 µs per line on a document like that — seconds for 2,000 apps —
 * and this reader about a tenth of it.
 *
 * It gives up (returns undefined) at the first thing outside that subset
 * or anything a diagnostic would be about — anchors, tags, block scalars,
 * multi-line values, tabs, duplicate or forbidden keys, odd indentation —
 * and the yaml library then reads the file as usual. So it never decides
 * what is valid: when it answers, the answer equals the yaml path's (a
 * differential test holds it to that), and when in doubt it does not
 * answer.
 */

class GiveUp extends Error {
  constructor() {
    super('outside the fast subset');
  }
}

const giveUp = (): never => {
  throw new GiveUp();
};

const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;

/** YAML 1.2 core schema resolution of a plain scalar, in yaml's order (src/schema/core of eemeli/yaml). */
export function resolvePlain(raw: string): string | number | boolean | null {
  if (/^(?:~|[Nn]ull|NULL)?$/.test(raw)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(raw)) return raw[0] === 't' || raw[0] === 'T';
  if (/^0o[0-7]+$/.test(raw)) return parseInt(raw.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(raw)) return parseInt(raw, 10);
  if (/^0x[0-9a-fA-F]+$/.test(raw)) return parseInt(raw.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(raw)) {
    return raw.slice(-3).toLowerCase() === 'nan' ? NaN : raw[0] === '-' ? -Infinity : Infinity;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(raw)) return parseFloat(raw);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(raw)) return parseFloat(raw);
  return raw;
}

function isKeyStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

function isKeyChar(c: number): boolean {
  return isKeyStart(c) || (c >= 0x30 && c <= 0x39) || c === DASH;
}

/** Keys the core schema would read as null or a boolean: left to the yaml path. */
const SPECIAL_KEYS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);

/** Characters that cannot start a plain scalar (or start something this reader leaves to yaml). */
const BLOCK_STARTERS = new Set([...'&*!|>%@`,[]{}#\'"']);

class FastReader {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly indents: number[] = [];
  private cur = 0;

  constructor(
    private readonly src: Source,
    private readonly text: string,
    private readonly maxDepth: number,
    private readonly maxFlowItems: number,
  ) {
    const t = text;
    let pos = 0;
    while (pos <= t.length) {
      let end = t.indexOf('\n', pos);
      if (end < 0) end = t.length;
      let i = pos;
      while (i < end && t.charCodeAt(i) === SPACE) i++;
      this.starts.push(pos);
      this.ends.push(end);
      // Blank and comment-only lines are skipped: their indent is marked -1.
      this.indents.push(i === end || t.charCodeAt(i) === HASH ? -1 : i - pos);
      if (end === t.length) break;
      pos = end + 1;
    }
  }

  /** Line starts as yaml's LineCounter records them: 0, then after every newline. */
  lineStarts(): number[] {
    return this.starts;
  }

  private skipBlank(from: number): number {
    let i = from;
    while (i < this.indents.length && this.indents[i] === -1) i++;
    return i;
  }

  read(): PNode {
    this.cur = this.skipBlank(0);
    if (this.cur >= this.indents.length || this.indents[this.cur] !== 0) giveUp();
    const root = this.blockMap(0, 1);
    if (this.skipBlank(this.cur) < this.indents.length) giveUp();
    return root;
  }

  private blockMap(indent: number, depth: number): PMap {
    if (depth > this.maxDepth) giveUp();
    const t = this.text;
    const entries = new Map<string, PEntry>();
    const first = this.starts[this.cur]! + indent;
    while (this.cur < this.indents.length) {
      const line = this.cur;
      const ind = this.indents[line]!;
      if (ind < indent) break;
      if (ind > indent) giveUp();
      const end = this.ends[line]!;
      const s = this.starts[line]! + indent;
      if (!isKeyStart(t.charCodeAt(s))) {
        // A list at the indent of its parent's keys ends this map's run; anything else is not ours.
        if (t.charCodeAt(s) === DASH && depth > 1) break;
        giveUp();
      }
      let k = s + 1;
      while (k < end && isKeyChar(t.charCodeAt(k))) k++;
      if (t.charCodeAt(k) !== COLON || (k + 1 < end && t.charCodeAt(k + 1) !== SPACE)) giveUp();
      const key = t.slice(s, k);
      if (key.length > 1024 || FORBIDDEN_KEYS.has(key) || SPECIAL_KEYS.has(key) || entries.has(key)) giveUp();
      let v = k + 1;
      while (v < end && t.charCodeAt(v) === SPACE) v++;
      let node: PNode;
      if (v === end || t.charCodeAt(v) === HASH) {
        this.cur = this.skipBlank(line + 1);
        const next = this.cur < this.indents.length ? this.indents[this.cur]! : -1;
        const nextIsItem = next >= 0 && this.isItem(this.cur, next);
        if (next > indent) node = nextIsItem ? this.blockSeq(next, depth + 1) : this.blockMap(next, depth + 1);
        else if (next === indent && nextIsItem) node = this.blockSeq(next, depth + 1);
        else node = { kind: 'scalar', value: null, raw: '', src: this.src, offset: v };
      } else {
        node = this.lineValue(v, end, depth + 1);
        this.cur = this.skipBlank(line + 1);
        if (this.cur < this.indents.length && this.indents[this.cur]! > indent) giveUp();
      }
      entries.set(key, { key, src: this.src, keyOffset: s, node });
    }
    return { kind: 'map', entries, src: this.src, offset: first };
  }

  private isItem(line: number, indent: number): boolean {
    const s = this.starts[line]! + indent;
    return this.text.charCodeAt(s) === DASH && (s + 1 === this.ends[line] || this.text.charCodeAt(s + 1) === SPACE);
  }

  private blockSeq(indent: number, depth: number): PSeq {
    if (depth > this.maxDepth) giveUp();
    const t = this.text;
    const items: PNode[] = [];
    const first = this.starts[this.cur]! + indent;
    while (this.cur < this.indents.length) {
      const line = this.cur;
      const ind = this.indents[line]!;
      if (ind < indent) break;
      if (ind > indent) giveUp();
      if (!this.isItem(line, indent)) break;
      const end = this.ends[line]!;
      let v = this.starts[line]! + indent + 1;
      while (v < end && t.charCodeAt(v) === SPACE) v++;
      // An item whose value starts on the next line (or is empty) is left to yaml.
      if (v === end || t.charCodeAt(v) === HASH) giveUp();
      items.push(this.lineValue(v, end, depth + 1));
      this.cur = this.skipBlank(line + 1);
      if (this.cur < this.indents.length && this.indents[this.cur]! > indent) giveUp();
    }
    return { kind: 'seq', items, src: this.src, offset: first };
  }

  /** A value that must fill the rest of its line (up to a comment). */
  private lineValue(v: number, end: number, depth: number): PNode {
    const [node, after] = this.inlineValue(v, end, depth, false);
    let p = after;
    while (p < end && this.text.charCodeAt(p) === SPACE) p++;
    if (p < end && (this.text.charCodeAt(p) !== HASH || p === after)) giveUp();
    return node;
  }

  private scalar(value: string | number | boolean | null, raw: string, offset: number): PScalar {
    return { kind: 'scalar', value, raw, src: this.src, offset };
  }

  private inlineValue(p: number, end: number, depth: number, flow: boolean): [PNode, number] {
    const t = this.text;
    const c = t[p]!;
    if (c === '"') {
      const close = t.indexOf('"', p + 1);
      if (close < 0 || close >= end) giveUp();
      const body = t.slice(p + 1, close);
      if (body.includes('\\')) giveUp();
      return [this.scalar(body, body, p), close + 1];
    }
    if (c === "'") {
      let q = p + 1;
      let body = '';
      for (;;) {
        const close = t.indexOf("'", q);
        if (close < 0 || close >= end) giveUp();
        body += t.slice(q, close);
        if (t[close + 1] === "'") {
          body += "'";
          q = close + 2;
        } else {
          return [this.scalar(body, body, p), close + 1];
        }
      }
    }
    if (c === '{') return this.flowMap(p, end, depth);
    if (c === '[') return this.flowSeq(p, end, depth);
    if (BLOCK_STARTERS.has(c)) giveUp();
    const n = t.charCodeAt(p + 1);
    if ((c === '-' || c === '?' || c === ':') && (p + 1 >= end || n === SPACE || (flow && ',[]{}'.includes(t[p + 1]!)))) giveUp();
    return this.plain(p, end, flow);
  }

  /** A one-line plain scalar: up to a comment, or in flow up to `,`, `]` or `}`. */
  private plain(p: number, end: number, flow: boolean): [PScalar, number] {
    const t = this.text;
    let q = p;
    while (q < end) {
      const ch = t.charCodeAt(q);
      if (ch === COLON) {
        const next = q + 1 < end ? t[q + 1]! : ' ';
        // `key: value` inside a value, or `a:]` in flow: not a plain scalar this reader handles.
        if (next === ' ' || (flow && ',[]{}'.includes(next))) giveUp();
      } else if (ch === HASH && t.charCodeAt(q - 1) === SPACE) {
        if (flow) giveUp();
        break;
      } else if (flow && (ch === 0x2c || ch === 0x5d || ch === 0x7d || ch === 0x5b || ch === 0x7b)) {
        break;
      }
      q++;
    }
    let e = q;
    while (e > p && t.charCodeAt(e - 1) === SPACE) e--;
    if (e === p) giveUp();
    const raw = t.slice(p, e);
    return [this.scalar(resolvePlain(raw), raw, p), e];
  }

  private skipSpaces(p: number, end: number): number {
    let q = p;
    while (q < end && this.text.charCodeAt(q) === SPACE) q++;
    if (q >= end) giveUp(); // flow collections stay on one line here
    return q;
  }

  private flowMap(p: number, end: number, depth: number): [PMap, number] {
    if (depth > this.maxDepth) giveUp();
    const t = this.text;
    const entries = new Map<string, PEntry>();
    let q = this.skipSpaces(p + 1, end);
    if (t[q] === '}') return [{ kind: 'map', entries, src: this.src, offset: p }, q + 1];
    for (;;) {
      const s = q;
      if (!isKeyStart(t.charCodeAt(s)) || entries.size >= this.maxFlowItems) giveUp();
      q = s + 1;
      while (q < end && isKeyChar(t.charCodeAt(q))) q++;
      if (t.charCodeAt(q) !== COLON || t.charCodeAt(q + 1) !== SPACE) giveUp();
      const key = t.slice(s, q);
      if (key.length > 1024 || FORBIDDEN_KEYS.has(key) || SPECIAL_KEYS.has(key) || entries.has(key)) giveUp();
      q = this.skipSpaces(q + 1, end);
      const [node, after] = this.inlineValue(q, end, depth + 1, true);
      entries.set(key, { key, src: this.src, keyOffset: s, node });
      q = this.skipSpaces(after, end);
      if (t[q] === '}') return [{ kind: 'map', entries, src: this.src, offset: p }, q + 1];
      if (t[q] !== ',') giveUp();
      q = this.skipSpaces(q + 1, end);
      if (t[q] === '}') giveUp(); // a trailing comma: left to yaml
    }
  }

  private flowSeq(p: number, end: number, depth: number): [PSeq, number] {
    if (depth > this.maxDepth) giveUp();
    const t = this.text;
    const items: PNode[] = [];
    let q = this.skipSpaces(p + 1, end);
    if (t[q] === ']') return [{ kind: 'seq', items, src: this.src, offset: p }, q + 1];
    for (;;) {
      if (items.length >= this.maxFlowItems) giveUp();
      const [node, after] = this.inlineValue(q, end, depth + 1, true);
      items.push(node);
      q = this.skipSpaces(after, end);
      if (t[q] === ']') return [{ kind: 'seq', items, src: this.src, offset: p }, q + 1];
      if (t[q] !== ',') giveUp();
      q = this.skipSpaces(q + 1, end);
      if (t[q] === ']') giveUp();
    }
  }
}

/** Characters after which this reader does not even try. */
const UNUSUAL = /[\t\r\0\uFEFF\u0085\u2028\u2029]/;

/**
 * The tree of a plain document, with `src`'s line table filled in as the
 * yaml path would fill it; undefined (and `src` untouched) when the text is
 * not plain enough.
 */
export function readFast(src: Source, text: string, limits: { maxDepth: number; maxFlowItems: number }): PNode | undefined {
  if (text.length === 0 || UNUSUAL.test(text)) return undefined;
  try {
    const reader = new FastReader(src, text, limits.maxDepth, limits.maxFlowItems);
    const root = reader.read();
    src.lineCounter.lineStarts = reader.lineStarts();
    return root;
  } catch (err) {
    if (err instanceof GiveUp) return undefined;
    // A stack overflow on pathological input: the yaml path has its own guards.
    if (err instanceof RangeError) return undefined;
    throw err;
  }
}
