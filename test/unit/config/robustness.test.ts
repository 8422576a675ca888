import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDesiredState } from '../../../src/config/index.js';
import { DEFAULT_LIMITS, readYaml, Source } from '../../../src/config/tree.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';

/**
 * Whatever the bytes, parsing returns diagnostics: it never throws, and
 * every diagnostic names a place inside the file. Mutations of the examples
 * with a fixed seed, so that a failure reproduces.
 */
const root = resolve(import.meta.dirname, '../../..');
const seeds = ['defaults.yaml', 'staging.yaml', 'production.yaml'].map((f) => readFileSync(join(root, 'examples', f), 'utf8'));

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [':', ' ', '-', '[', ']', '{', '}', '&a', '*a', '!', '!!binary', '\t', '"', "'", '\n', '${', '${env:', '$${', '<<: ', '? ', '#', ',', '|', '>', '%YAML 1.1\n', '---\n', '__proto__', '0x1F', 'true', '~', '\u00e9', '\uFFFD', '\u0000'];

describe('robustness', () => {
  it('survives 400 random mutations of the examples', () => {
    const rand = prng(20261126);
    for (let i = 0; i < 400; i++) {
      let text = seeds[Math.floor(rand() * seeds.length)]!;
      const edits = 1 + Math.floor(rand() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * text.length);
        if (rand() < 0.4) text = text.slice(0, at) + text.slice(at + Math.floor(rand() * 20));
        else text = text.slice(0, at) + PIECES[Math.floor(rand() * PIECES.length)]! + text.slice(at);
      }
      const lines = text.split('\n').length;
      let result;
      try {
        result = parseDesiredState([{ file: 'm.yaml', text }], { env: {}, allowMissingEnv: true });
      } catch (err) {
        throw new Error(`mutation ${i} threw: ${String(err)}\n---\n${text}`);
      }
      for (const d of result.diagnostics) {
        expect(d.file, `mutation ${i}`).toBe('m.yaml');
        expect(d.code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(d.message.length).toBeGreaterThan(0);
        if (d.line !== undefined) expect(d.line, `mutation ${i}: ${d.message}`).toBeLessThanOrEqual(lines);
      }
      if (result.diagnostics.some((d) => d.severity === 'error')) expect(result.desired).toBeUndefined();
    }
  });
});

describe('limits before the yaml library', () => {
  it('refuses a file with more tokens than the yaml parser is given', () => {
    const text = 'version: 1\napps:\n  shop: &a\n    config: { A: x, B: y, C: z }\n';
    const diagnostics: Diagnostic[] = [];
    expect(readYaml(new Source('t.yaml'), text, diagnostics, { ...DEFAULT_LIMITS, maxTokens: 20 })).toBeUndefined();
    expect(diagnostics.map((d) => [d.line, d.code, d.message])).toEqual([
      [4, 'yaml-too-complex', 'the file has more than 20 YAML tokens: split it into several files'],
    ]);
    expect(readYaml(new Source('t.yaml'), text, [], DEFAULT_LIMITS)).toBeDefined();
  });
});
