import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shapeProblem } from '../../../../src/providers/heroku/shapes.js';

const root = resolve(import.meta.dirname, '../../../..');

describe('response schemas', () => {
  it('are what scripts/response-schemas.mjs derives from the official schema today', () => {
    expect(() => execFileSync('node', [join(root, 'scripts/response-schemas.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('are used by every read of a body in src/providers/heroku (a read without a shape trusts the server)', () => {
    const dir = join(root, 'src/providers/heroku');
    const unchecked: string[] = [];
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts') && n !== 'client.ts')) {
      const text = readFileSync(join(dir, name), 'utf8');
      for (const m of text.matchAll(/client\.(get|list|request)<[^(]*\(/g)) {
        // The call's own arguments only: what is nested deeper (a read-back's reads) does not count.
        let depth = 1;
        let own = '';
        for (let i = m.index + m[0].length; i < text.length && depth > 0; i++) {
          const ch = text[i]!;
          if (ch === '(' || ch === '{' || ch === '[') depth += 1;
          else if (ch === ')' || ch === '}' || ch === ']') depth -= 1;
          if (depth <= 2) own += ch;
        }
        if (/^'DELETE'/.test(own.trim())) continue;
        if (!/\bshape:/.test(own)) unchecked.push(`${name}: ${m[0]}${own.replace(/\s+/g, ' ').slice(0, 60)}`);
      }
    }
    expect(unchecked).toEqual([]);
  });

  it('name the field and what is wrong, never its value', () => {
    const drain = { id: 'd1', url: 'syslog+tls://user:s3cret@logs.example.com:6514', token: 'd.1', addon: null };
    expect(shapeProblem('drain', [drain], true)).toBeUndefined();
    expect(shapeProblem('drain', [{ ...drain, url: null }], true)).toEqual({ field: '[0].url', problem: 'must be string, got null' });
    expect(shapeProblem('drain', [drain, { ...drain, url: undefined }], true)).toEqual({ field: '[1].url', problem: 'is missing' });
    expect(shapeProblem('app', { id: 'a', name: '', region: { name: 'us' }, stack: { name: 'heroku-24' }, maintenance: false })).toEqual({ field: 'name', problem: 'must not be empty' });
    expect(shapeProblem('config-vars', { A: 'x', B: null })).toBeUndefined();
    for (const bad of [null, [], 'str', { A: 1 }]) expect(shapeProblem('config-vars', bad)).toBeDefined();
    expect(JSON.stringify(shapeProblem('drain', [{ ...drain, url: 42 }], true))).not.toContain('s3cret');
  });
});
