import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as pkg from '../../../src/index.js';
import * as operations from '../../../src/operations/index.js';

const root = resolve(import.meta.dirname, '../../..');

describe('the package entry point (src/index.ts)', () => {
  it('exports every value the operations layer exports', () => {
    const missing = Object.keys(operations).filter((name) => !(name in pkg));
    expect(missing).toEqual([]);
  });

  it('exports every type the operations layer exports', () => {
    // Types leave no trace at run time: every type name operations/index.ts exports must be named in src/index.ts.
    const entry = readFileSync(resolve(root, 'src/index.ts'), 'utf8');
    const ops = readFileSync(resolve(root, 'src/operations/index.ts'), 'utf8');
    const typeNames = [...ops.matchAll(/\btype\s+([A-Z]\w*)/g)].map((m) => m[1]!);
    const blockNames = [...ops.matchAll(/export type \{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim()).filter(Boolean));
    const names = [...new Set([...typeNames, ...blockNames])];
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((t) => !new RegExp(`\\b${t}\\b`).test(entry))).toEqual([]);
  });

  it('names what the docs promise: plan, apply, startEmulator', () => {
    expect(typeof pkg.plan).toBe('function');
    expect(typeof pkg.apply).toBe('function');
    expect(typeof pkg.startEmulator).toBe('function');
    expect(pkg.DEFAULTS.concurrency).toBe(10);
    expect(pkg.DEFAULTS.provisionTimeoutMs).toBe(15 * 60_000);
  });

  it('package.json points main, types and exports at what the build emits', () => {
    const json = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
      main: string;
      types: string;
      exports: { '.': { types: string; import: string } };
    };
    expect(json.main).toBe('./dist/index.js');
    expect(json.types).toBe('./dist/index.d.ts');
    expect(json.exports['.']).toMatchObject({ types: './dist/index.d.ts', import: './dist/index.js' });
  });
});
