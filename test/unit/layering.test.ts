import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// DESIGN.md §1: who may import whom. Enforced by scanning the sources.
const root = resolve(import.meta.dirname, '../..');
const src = join(root, 'src');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

interface SourceFile {
  rel: string;
  text: string;
  imports: string[];
}

const files: SourceFile[] = walk(src).map((p) => {
  const text = readFileSync(p, 'utf8');
  const imports = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/g)]
    .map((m) => m[1]!)
    .concat([...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!))
    .map((spec) => (spec.startsWith('.') ? relative(src, resolve(dirname(p), spec)).replace(/\\/g, '/') : spec));
  return { rel: relative(src, p).replace(/\\/g, '/'), text, imports };
});

function inArea(f: SourceFile, area: string): boolean {
  return f.rel.startsWith(area + '/');
}

const NETWORK = ['node:http', 'node:https', 'node:net', 'node:tls', 'http', 'https', 'net', 'undici', 'pg'];
const DISK = ['node:fs', 'node:fs/promises', 'fs', 'fs/promises'];

describe('module layering (DESIGN.md §1)', () => {
  it('found the sources', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it('src/model imports nothing outside src/model', () => {
    const bad = files
      .filter((f) => inArea(f, 'model'))
      .flatMap((f) => f.imports.filter((i) => !i.startsWith('model/')).map((i) => `${f.rel} → ${i}`));
    expect(bad).toEqual([]);
  });

  it('planner and render touch neither the network nor the disk', () => {
    const bad = files
      .filter((f) => inArea(f, 'planner') || inArea(f, 'render'))
      .flatMap((f) =>
        f.imports
          .filter((i) => NETWORK.includes(i) || DISK.includes(i) || i.startsWith('providers/') || i.startsWith('state/') || i.startsWith('cli/'))
          .map((i) => `${f.rel} → ${i}`),
      );
    expect(bad).toEqual([]);
  });

  it('only src/providers/heroku speaks HTTP to the Platform API (the emulator plays the remote side; state/postgres uses pg)', () => {
    const bad = files
      .filter((f) => !inArea(f, 'providers/heroku') && !inArea(f, 'emulator'))
      .flatMap((f) =>
        f.imports
          .filter((i) => ['node:http', 'node:https', 'http', 'https', 'undici'].includes(i))
          .map((i) => `${f.rel} → ${i}`),
      )
      .concat(
        files
          .filter((f) => !inArea(f, 'providers/heroku') && !inArea(f, 'emulator') && /\bfetch\(/.test(f.text))
          .map((f) => `${f.rel} uses fetch()`),
      );
    expect(bad).toEqual([]);
  });

  it('src/cli imports only operations, render, model, the emulator and its own files (flags → operation → view → exit code)', () => {
    const allowed = /^(cli|operations|render|model|emulator)\//;
    const bad = files
      .filter((f) => inArea(f, 'cli'))
      .flatMap((f) => f.imports.filter((i) => /\.js$/.test(i) && !i.startsWith('node:') && !allowed.test(i)).map((i) => `${f.rel} → ${i}`));
    expect(bad).toEqual([]);
  });

  it('src/cli/commands hold no pipeline logic: they reach the lower layers only through src/operations', () => {
    const bad = files
      .filter((f) => inArea(f, 'cli/commands'))
      .flatMap((f) =>
        f.imports
          .filter((i) => /^(config|state|planner|apply|drift|import|providers|util)\//.test(i) || ['pg', 'undici'].includes(i))
          .map((i) => `${f.rel} → ${i}`),
      );
    expect(bad).toEqual([]);
  });

  it('nothing below src/operations imports it (only src/cli and the package entry point src/index.ts do)', () => {
    const bad = files
      .filter((f) => !inArea(f, 'operations') && !inArea(f, 'cli') && f.rel !== 'index.ts')
      .flatMap((f) => f.imports.filter((i) => i.startsWith('operations/')).map((i) => `${f.rel} → ${i}`));
    expect(bad).toEqual([]);
  });

  it('nothing imports src/cli (except src/cli itself)', () => {
    const bad = files
      .filter((f) => !inArea(f, 'cli'))
      .flatMap((f) => f.imports.filter((i) => i.startsWith('cli/')).map((i) => `${f.rel} → ${i}`));
    expect(bad).toEqual([]);
  });

  it('apply uses only the planner\'s public entry point, never its internals', () => {
    const bad = files
      .filter((f) => inArea(f, 'apply'))
      .flatMap((f) => f.imports.filter((i) => i.startsWith('planner/') && i !== 'planner/index.js').map((i) => `${f.rel} → ${i}`));
    expect(bad).toEqual([]);
  });

  it('only src/cli reads process.env or process.argv or calls process.exit (the emulator process is its own program; operations/options.ts takes process.env as the default of `env`)', () => {
    const bad = files
      .filter((f) => !inArea(f, 'cli') && !inArea(f, 'emulator') && f.rel !== 'operations/options.ts')
      .filter((f) => /process\.(env|argv|exit)\b/.test(f.text.replace(/\/\/.*$/gm, '')))
      .map((f) => f.rel);
    expect(bad).toEqual([]);
  });

  it('the emulator stands alone: it imports nothing of dynoform outside src/emulator', () => {
    const bad = files
      .filter((f) => inArea(f, 'emulator'))
      .flatMap((f) =>
        f.imports
          .filter((i) => /^(model|config|providers|state|planner|apply|render|cli|util|drift|import|operations)\//.test(i))
          .map((i) => `${f.rel} → ${i}`),
      );
    expect(bad).toEqual([]);
  });
});
