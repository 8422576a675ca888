import {
  CST,
  isAlias,
  Lexer,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node as YamlNode,
  type YAMLError,
} from 'yaml';
import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';
import { Code } from './codes.js';
import { FORBIDDEN_KEYS } from './rules.js';
import { lineColOf } from './text.js';

/** One YAML file being read: its name (as shown to users) and line table. */
export class Source {
  readonly lineCounter = new LineCounter();
  constructor(readonly file: string) {}

  loc(offset: number): SourceLocation {
    const { line, col } = this.lineCounter.linePos(offset);
    // linePos answers line 0 when the text has no newline before `offset`.
    return { file: this.file, line: Math.max(line, 1), col: Math.max(col, 1) };
  }
}

/**
 * The YAML as a tree that remembers where every value was written. Nodes
 * merged from `defaults:` keep the positions (and file) they came from.
 */
export type PNode = PScalar | PMap | PSeq;

interface PBase {
  src: Source;
  offset: number;
}

export interface PScalar extends PBase {
  kind: 'scalar';
  value: string | number | boolean | null;
  /** The text as written, for hints such as `quote it ("5000")`. */
  raw: string;
}

export interface PEntry {
  key: string;
  src: Source;
  keyOffset: number;
  node: PNode;
}

export interface PMap extends PBase {
  kind: 'map';
  entries: Map<string, PEntry>;
}

export interface PSeq extends PBase {
  kind: 'seq';
  items: PNode[];
}

export function kindName(n: PNode): string {
  if (n.kind === 'map') return 'a map';
  if (n.kind === 'seq') return 'a list';
  if (n.value === null) return 'empty';
  if (typeof n.value === 'number') return 'a number';
  if (typeof n.value === 'boolean') return 'a boolean';
  return 'a string';
}

/** Where a map entry is reported: its key. */
export function entryLoc(e: PEntry): SourceLocation {
  return e.src.loc(e.keyOffset);
}

export function nodeLoc(n: PNode): SourceLocation {
  return n.src.loc(n.offset);
}

/** The plain JSON value of a tree, for JSON Schema validation. */
export function toPlain(n: PNode): unknown {
  if (n.kind === 'scalar') return n.value;
  if (n.kind === 'seq') return n.items.map(toPlain);
  // Forbidden keys never reach a map (readYaml drops them), so a plain object is safe here.
  const o: Record<string, unknown> = {};
  for (const [k, e] of n.entries) o[k] = toPlain(e.node);
  return o;
}

export interface ReadLimits {
  /** Deepest nesting accepted; the format itself needs about six levels. */
  maxDepth: number;
  /**
   * yaml's guard against alias amplification (its `toJS` option): an
   * anchor's uses times the aliases inside it. yaml's default of 100 would
   * refuse 101 apps that each merge one `&base`; a nested "billion laughs"
   * is in the millions at its fourth level, far past 10,000.
   */
  maxAliasCount: number;
  /** Values that aliases and merge keys may expand to, in total. */
  maxAliasNodes: number;
  /** Aliases per file: yaml's own alias check costs time in their number squared. */
  maxAliases: number;
  /** YAML syntax errors reported per file before giving up. */
  maxSyntaxErrors: number;
  /**
   * Tokens the yaml library may be handed, and items in one flow collection
   * (`[…]`, `{…}`): its memory and time grow faster than the input on
   * those, and a 10 MB file of them would exhaust the heap.
   */
  maxTokens: number;
  maxFlowItems: number;
}

export const DEFAULT_LIMITS: ReadLimits = {
  maxDepth: 64,
  maxAliasCount: 10_000,
  maxAliasNodes: 200_000,
  maxAliases: 10_000,
  maxSyntaxErrors: 5,
  maxTokens: 3_000_000,
  maxFlowItems: 20_000,
};

const CORE_TAG_PREFIX = 'tag:yaml.org,2002:';
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => CORE_TAG_PREFIX + t));

function shortTag(tag: string): string {
  return tag.startsWith(CORE_TAG_PREFIX) ? '!!' + tag.slice(CORE_TAG_PREFIX.length) : tag;
}

/** yaml's messages end with " at line L, column C:" and a code excerpt: the position is reported separately. */
function yamlMessage(err: YAMLError): string {
  const first = err.message.split('\n')[0] ?? err.message;
  return first.replace(/ at line \d+, column \d+:?$/, '').replace(/[.:]$/, '');
}

function yamlErrorDiagnostic(src: Source, text: string, err: YAMLError, severity: 'error' | 'warning'): Diagnostic {
  const pos = err.linePos?.[0];
  const where = pos ? { file: src.file, line: pos.line, col: pos.col } : src.loc(err.pos[0]);
  const d = (code: string, message: string): Diagnostic => ({ severity, code, message, ...where });
  const quote = err.code === 'MISSING_CHAR' ? /closing (["'])quote/.exec(err.message)?.[1] : undefined;
  if (quote) {
    // yaml points at the end of the input; the opening quote is where the mistake is.
    const opened = text.lastIndexOf(quote, err.pos[0] - 1);
    if (opened >= 0) {
      return { severity, code: Code.yamlSyntax, message: `the quoted string that starts here has no closing ${quote}`, ...src.loc(opened) };
    }
  }
  switch (err.code) {
    case 'TAB_AS_INDENT':
      return d(Code.yamlTabIndent, 'a tab is used for indentation: YAML indents with spaces only');
    case 'MULTIPLE_DOCS':
      return d(Code.yamlMultipleDocuments, 'the file holds more than one YAML document (---): use one document per file');
    case 'RESOURCE_EXHAUSTION':
      return d(Code.yamlTooComplex, 'the YAML is nested too deeply to read');
    default:
      return d(severity === 'error' ? Code.yamlSyntax : Code.yamlWarning, `YAML ${severity === 'error' ? 'syntax error' : 'warning'}: ${yamlMessage(err)}`);
  }
}

class LimitExceeded extends Error {}

/**
 * Turns the yaml library's document into a PNode tree, applying the
 * safety rules: aliases and `<<` merges expand within a budget (a "billion
 * laughs" document is refused, not expanded), keys that could reach
 * `Object.prototype` are refused, tags other than YAML's core ones are
 * refused, and nesting is bounded.
 */
class Walker {
  private expanded = 0;
  private aliasDepth = 0;
  private readonly active = new Set<unknown>();

  constructor(
    private readonly src: Source,
    private readonly text: string,
    /** Each alias's anchored node, resolved once in document order (yaml's Alias.resolve rescans the document per alias). */
    private readonly targets: ReadonlyMap<unknown, YamlNode | undefined>,
    private readonly limits: ReadLimits,
    private readonly diagnostics: Diagnostic[],
  ) {}

  private error(code: string, message: string, offset: number): void {
    this.diagnostics.push({ severity: 'error', code, message, ...this.src.loc(offset) });
  }

  /** yaml's node range starts after its tag: the tag itself is the `!` before it on the same line. */
  private tagOffset(offset: number): number {
    let bang = this.text.lastIndexOf('!', offset);
    const lineStart = this.text.lastIndexOf('\n', offset - 1);
    if (bang <= lineStart) return offset;
    // Back to the start of the tag token (`!!binary`, `!e!tag`).
    while (bang > lineStart + 1 && !/[\s,[\]{}]/.test(this.text[bang - 1]!)) bang -= 1;
    return bang;
  }

  private count(offset: number): void {
    if (this.aliasDepth === 0) return;
    this.expanded += 1;
    if (this.expanded > this.limits.maxAliasNodes) {
      this.error(
        Code.yamlAliasLimit,
        `aliases expand to more than ${this.limits.maxAliasNodes} values (a "billion laughs" document?): refusing to expand them`,
        offset,
      );
      throw new LimitExceeded();
    }
  }

  walk(node: unknown, fallbackOffset: number, depth: number): PNode {
    if (depth > this.limits.maxDepth) {
      this.error(Code.yamlTooComplex, `the YAML is nested more than ${this.limits.maxDepth} levels deep`, fallbackOffset);
      throw new LimitExceeded();
    }
    if (node === null || node === undefined) {
      return { kind: 'scalar', value: null, raw: '', src: this.src, offset: fallbackOffset };
    }
    if (isAlias(node)) {
      const offset = node.range?.[0] ?? fallbackOffset;
      const target = this.targets.get(node);
      if (!target) {
        // The usual cause is text that starts with `*`, above all a wildcard hostname (`*.shop.test`).
        const text = `*${node.source}`;
        const meant = text.startsWith('*.') ? `a wildcard hostname ${text}` : `the text ${text}`;
        this.error(
          Code.yamlBadAlias,
          `${text} is read as a YAML alias, and no anchor &${node.source} comes before it: if you meant ${meant}, quote it ("${text}")`,
          offset,
        );
        throw new LimitExceeded();
      }
      if (this.active.has(target)) {
        this.error(Code.yamlBadAlias, `alias *${node.source} refers to a value that contains it`, offset);
        throw new LimitExceeded();
      }
      this.aliasDepth += 1;
      this.active.add(target);
      try {
        return this.walk(target, offset, depth + 1);
      } finally {
        this.active.delete(target);
        this.aliasDepth -= 1;
      }
    }
    const yn = node as YamlNode;
    const offset = yn.range?.[0] ?? fallbackOffset;
    this.count(offset);
    // An unknown tag is reported, then the value is read as if untagged so that the rest still gets checked.
    const foreignTag = yn.tag !== undefined && !CORE_TAGS.has(yn.tag);
    if (foreignTag) this.error(Code.yamlUnsupportedTag, `the YAML tag ${shortTag(yn.tag!)} is not supported: remove it`, this.tagOffset(offset));
    if (isScalar(yn)) {
      const v = yn.value;
      const plain = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null;
      const value = plain && !foreignTag ? v : typeof yn.source === 'string' ? yn.source : String(v);
      const raw = typeof yn.source === 'string' ? yn.source : String(value);
      return { kind: 'scalar', value, raw, src: this.src, offset };
    }
    if (isSeq(yn)) {
      this.active.add(yn);
      try {
        return { kind: 'seq', items: yn.items.map((item) => this.walk(item, offset, depth + 1)), src: this.src, offset };
      } finally {
        this.active.delete(yn);
      }
    }
    if (isMap(yn)) {
      this.active.add(yn);
      try {
        return this.walkMap(yn.items, offset, depth);
      } finally {
        this.active.delete(yn);
      }
    }
    this.error(Code.yamlSyntax, 'unexpected YAML node', offset);
    return { kind: 'scalar', value: null, raw: '', src: this.src, offset };
  }

  private walkMap(pairs: readonly { key: unknown; value: unknown }[], offset: number, depth: number): PMap {
    const entries = new Map<string, PEntry>();
    const merges: { node: unknown; offset: number }[] = [];
    for (const pair of pairs) {
      const keyNode = pair.key;
      const keyOffset = (keyNode as YamlNode | null)?.range?.[0] ?? offset;
      const key = this.keyOf(keyNode, keyOffset, depth);
      if (key === undefined) continue;
      if (key === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN') {
        if (merges.length > 0) {
          const at = this.src.loc(merges[0]!.offset);
          this.error(Code.yamlDuplicateKey, `the key "<<" is declared twice in the same map (first at line ${at.line}, column ${at.col}): list the maps in one, <<: [*a, *b]`, keyOffset);
          continue;
        }
        merges.push({ node: pair.value, offset: keyOffset });
        continue;
      }
      if (FORBIDDEN_KEYS.has(key)) {
        this.error(Code.forbiddenKey, `the key ${JSON.stringify(key)} is not allowed`, keyOffset);
        continue;
      }
      const first = entries.get(key);
      if (first) {
        const at = this.src.loc(first.keyOffset);
        this.error(
          Code.yamlDuplicateKey,
          `the key ${JSON.stringify(key)} is declared twice in the same map (first at line ${at.line}, column ${at.col})`,
          keyOffset,
        );
        continue;
      }
      const valueOffset = (pair.value as YamlNode | null)?.range?.[0] ?? keyOffset;
      entries.set(key, { key, src: this.src, keyOffset, node: this.walk(pair.value, valueOffset, depth + 1) });
    }
    for (const m of merges) this.merge(entries, m.node, m.offset, depth);
    return { kind: 'map', entries, src: this.src, offset };
  }

  /** YAML merge keys (`<<: *base` or `<<: [*a, *b]`): keys written in the map win, then earlier sources. */
  private merge(entries: Map<string, PEntry>, value: unknown, offset: number, depth: number): void {
    const merged = this.walk(value, offset, depth + 1);
    const sources = merged.kind === 'seq' ? merged.items : [merged];
    for (const s of sources) {
      if (s.kind !== 'map') {
        this.error(Code.yamlMergeKey, 'a "<<" merge key needs a map or an alias to one (e.g. <<: *defaults)', offset);
        return;
      }
      for (const [k, e] of s.entries) if (!entries.has(k)) entries.set(k, e);
    }
  }

  private keyOf(keyNode: unknown, offset: number, depth: number): string | undefined {
    const k = isAlias(keyNode) ? this.walk(keyNode, offset, depth + 1) : undefined;
    if (k && k.kind !== 'scalar') {
      this.error(Code.yamlComplexKey, 'map keys must be plain strings, not lists or maps', offset);
      return undefined;
    }
    if (k) return k.value === null ? this.emptyKey(offset) : String(k.value);
    if (keyNode === null || keyNode === undefined) return this.emptyKey(offset);
    if (!isScalar(keyNode)) {
      this.error(Code.yamlComplexKey, 'map keys must be plain strings, not lists or maps', offset);
      return undefined;
    }
    if (keyNode.tag !== undefined && !CORE_TAGS.has(keyNode.tag)) {
      this.error(Code.yamlUnsupportedTag, `the YAML tag ${shortTag(keyNode.tag)} is not supported: remove it`, this.tagOffset(offset));
      return undefined;
    }
    const v = keyNode.value;
    if (v === null || v === '') return this.emptyKey(offset);
    return String(v);
  }

  private emptyKey(offset: number): undefined {
    this.error(Code.yamlSyntax, 'a map key is empty', offset);
    return undefined;
  }
}

/**
 * Parses one file's text. Returns the tree, or undefined when the file
 * cannot be read as YAML (the reasons are in `diagnostics`). Never throws
 * for any input.
 */
export function readYaml(src: Source, text: string, diagnostics: Diagnostic[], limits: ReadLimits = DEFAULT_LIMITS): PNode | undefined {
  const refusal = preflight(src, text, limits);
  if (refusal) {
    diagnostics.push(refusal);
    return undefined;
  }
  let doc: Document;
  try {
    doc = parseDocument(text, {
      lineCounter: src.lineCounter,
      // The walker reports duplicate keys, with both places, in linear time: yaml's own check is
      // quadratic in the size of a map (a 200,000-key map would take minutes).
      uniqueKeys: false,
      prettyErrors: true,
      strict: true,
      merge: false,
      version: '1.2',
      schema: 'core',
    });
  } catch (err) {
    // yaml reports problems on the document; reaching here means the input exhausted it.
    diagnostics.push({
      severity: 'error',
      code: Code.yamlTooComplex,
      message: `the YAML could not be read (${err instanceof Error ? err.message : String(err)})`,
      file: src.file,
    });
    return undefined;
  }

  const hard = doc.errors;
  if (hard.length > 0) {
    // Running out of stack leaves a trail of follow-on errors: the first cause is the one to fix.
    const exhausted = hard.find((e) => e.code === 'RESOURCE_EXHAUSTION');
    const unique = new Map<string, Diagnostic>();
    for (const e of exhausted ? [exhausted] : hard) {
      const d = yamlErrorDiagnostic(src, text, e, 'error');
      unique.set(`${d.line}:${d.col}:${d.message}`, d);
    }
    const all = [...unique.values()];
    diagnostics.push(...all.slice(0, limits.maxSyntaxErrors));
    const rest = all.slice(limits.maxSyntaxErrors);
    if (rest.length > 0) {
      diagnostics.push({ ...rest[0]!, message: `${rest.length} more YAML syntax errors not shown` });
    }
    return undefined;
  }
  // An unknown tag is refused by the walker; other warnings pass through.
  for (const w of doc.warnings) if (w.code !== 'TAG_RESOLVE_FAILED') diagnostics.push(yamlErrorDiagnostic(src, text, w, 'warning'));

  if (doc.contents === null) {
    diagnostics.push({
      severity: 'error',
      code: Code.emptyFile,
      message: 'the file is empty: it needs at least "version: 1" and "apps:" or "defaults:"',
      ...src.loc(0),
    });
    return undefined;
  }

  const aliases = text.includes('*') ? resolveAliases(doc) : { targets: new Map<unknown, YamlNode | undefined>(), count: 0, first: 0 };
  if (aliases.count > limits.maxAliases) {
    diagnostics.push({
      severity: 'error',
      code: Code.yamlAliasLimit,
      message: `the file has more than ${limits.maxAliases} aliases: refusing to expand them`,
      ...src.loc(aliases.first),
    });
    return undefined;
  }
  if (aliases.count > 0) {
    try {
      doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (err) {
      // Other failures (an alias without anchor) are reported by the walker, at the alias.
      if (err instanceof Error && /alias count/i.test(err.message)) {
        diagnostics.push({
          severity: 'error',
          code: Code.yamlAliasLimit,
          message: 'aliases refer to aliases too many times (a "billion laughs" document?): refusing to expand them',
          ...src.loc(aliases.first),
        });
        return undefined;
      }
    }
  }

  const before = diagnostics.length;
  try {
    const root = new Walker(src, text, aliases.targets, limits, diagnostics).walk(doc.contents, 0, 0);
    return diagnostics.slice(before).some((d) => d.severity === 'error' && isStructural(d.code)) ? undefined : root;
  } catch (err) {
    if (err instanceof LimitExceeded) return undefined;
    if (err instanceof RangeError) {
      diagnostics.push({ severity: 'error', code: Code.yamlTooComplex, message: 'the YAML is nested too deeply to read', file: src.file });
      return undefined;
    }
    throw err;
  }
}

/** Lexer tokens that mark a place but take no characters of the source. */
const MARKERS = new Set([CST.DOCUMENT, CST.FLOW_END, CST.SCALAR]);

/**
 * A pass of yaml's lexer (about a quarter of its parse time) that refuses
 * what would make the parser itself run out of memory or time: flow
 * collections nested too deep or too long, and too many tokens in all.
 */
function preflight(src: Source, text: string, limits: ReadLimits): Diagnostic | undefined {
  const open: number[] = [];
  let tokens = 0;
  let offset = 0;
  const refuse = (message: string): Diagnostic => {
    // The line table is only filled by the parser: count lines here.
    const { line, col } = lineColOf(text, offset);
    return { severity: 'error', code: Code.yamlTooComplex, message, file: src.file, line, col };
  };
  for (const token of new Lexer().lex(text)) {
    tokens += 1;
    if (tokens > limits.maxTokens) return refuse(`the file has more than ${limits.maxTokens} YAML tokens: split it into several files`);
    if (token === '[' || token === '{') {
      open.push(0);
      if (open.length > limits.maxDepth) return refuse(`the YAML is nested more than ${limits.maxDepth} levels deep`);
    } else if (token === ']' || token === '}') {
      open.pop();
    } else if (token === ',' && open.length > 0) {
      const items = (open[open.length - 1] ?? 0) + 1;
      open[open.length - 1] = items;
      if (items > limits.maxFlowItems) {
        return refuse(`a flow collection ([…] or {…}) has more than ${limits.maxFlowItems} items: write it in block style`);
      }
    }
    if (!MARKERS.has(token)) offset += token.length;
  }
  return undefined;
}

/** Problems after which the tree is not the document the user meant: schema checks on it would only add noise. */
function isStructural(code: string): boolean {
  return code === Code.yamlBadAlias || code === Code.yamlMergeKey || code === Code.yamlComplexKey;
}

/**
 * Every alias's target in one pass, by yaml's rule: the last node with that
 * anchor before the alias in document order (an ancestor included, which
 * the walker then reports as a cycle).
 */
function resolveAliases(doc: Document): { targets: Map<unknown, YamlNode | undefined>; count: number; first: number } {
  const anchors = new Map<string, YamlNode>();
  const targets = new Map<unknown, YamlNode | undefined>();
  let first = -1;
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        targets.set(node, anchors.get(node.source));
        if (first < 0) first = node.range?.[0] ?? 0;
      } else if (node.anchor) {
        anchors.set(node.anchor, node);
      }
    },
  });
  return { targets, count: targets.size, first: Math.max(first, 0) };
}
