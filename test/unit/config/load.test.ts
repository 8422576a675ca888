import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../../src/config/index.js';

let dir: string;
const good = (app: string) => `version: 1\napps:\n  ${app}: {}\n`;
const load = (paths: string[], extra: { maxFileBytes?: number; cwd?: string } = {}) =>
  loadDesiredState(paths, { env: {}, cwd: extra.cwd ?? dir, ...(extra.maxFileBytes ? { maxFileBytes: extra.maxFileBytes } : {}) });
const summary = (r: Awaited<ReturnType<typeof load>>) => r.diagnostics.map((d) => [d.file, d.line, d.col, d.code, d.message]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dynoform-config-'));
  await mkdir(join(dir, 'envs', 'nested'), { recursive: true });
  await writeFile(join(dir, 'envs', 'b.yml'), good('shop-b'));
  await writeFile(join(dir, 'envs', 'a.yaml'), good('shop-a'));
  await writeFile(join(dir, 'envs', 'README.md'), '# not yaml');
  await writeFile(join(dir, 'envs', 'nested', 'c.yaml'), good('shop-c'));
  await mkdir(join(dir, 'empty'));
  await mkdir(join(dir, 'default'));
  await writeFile(join(dir, 'default', 'dynoform.yaml'), good('shop-default'));
  await mkdir(join(dir, 'short'));
  await writeFile(join(dir, 'short', 'dynoform.yml'), good('shop-short'));
  await writeFile(join(dir, 'latin1.yaml'), Buffer.concat([Buffer.from('version: 1\napps:\n  shop:\n    config: { NAME: "Ren'), Buffer.from([0xe9]), Buffer.from('e" }\n')]));
  await writeFile(join(dir, 'utf16.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good('shop'), 'utf16le')]));
  await writeFile(join(dir, 'bom.yaml'), '\uFEFF' + good('shop-bom'));
  await writeFile(join(dir, 'image.yaml'), Buffer.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x0a, 0x00, 0x01]));
  // 50 MB without writing 50 MB: a sparse file.
  await writeFile(join(dir, 'huge.yaml'), '');
  await truncate(join(dir, 'huge.yaml'), 50 * 1024 * 1024);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadDesiredState: paths', () => {
  it('reads a folder: its .yaml and .yml files, sorted, not recursive', async () => {
    const r = await load(['envs']);
    expect(r.diagnostics).toEqual([]);
    expect(r.files).toEqual(['envs/a.yaml', 'envs/b.yml']);
    expect(Object.keys(r.desired!.apps)).toEqual(['shop-a', 'shop-b']);
    expect(r.desired!.apps['shop-a']!.loc).toEqual({ file: 'envs/a.yaml', line: 3, col: 3 });
  });

  it('reads dynoform.yaml from the working directory by default, else dynoform.yml', async () => {
    expect(Object.keys((await load([], { cwd: join(dir, 'default') })).desired!.apps)).toEqual(['shop-default']);
    expect(Object.keys((await load([], { cwd: join(dir, 'short') })).desired!.apps)).toEqual(['shop-short']);
    const none = await load([], { cwd: join(dir, 'empty') });
    expect(none.desired).toBeUndefined();
    expect(none.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['file-not-found', `no dynoform.yaml in ${join(dir, 'empty')}: name the files or folders to read (-f PATH)`],
    ]);
  });

  it('reads a file named twice once', async () => {
    const r = await load(['envs/a.yaml', join(dir, 'envs', 'a.yaml'), 'envs']);
    expect(r.diagnostics).toEqual([]);
    expect(r.files).toEqual(['envs/a.yaml', 'envs/b.yml']);
  });

  it('reports missing files, empty folders and devices, and still reads the rest', async () => {
    const r = await load(['nope.yaml', 'empty', '/dev/zero', 'envs/a.yaml']);
    expect(summary(r)).toEqual([
      ['nope.yaml', undefined, undefined, 'file-not-found', 'no such file or folder'],
      ['empty', undefined, undefined, 'folder-empty', 'the folder has no .yaml or .yml files'],
      ['/dev/zero', undefined, undefined, 'file-not-regular', 'not a regular file'],
    ]);
    expect(r.files).toEqual(['envs/a.yaml']);
    expect(r.apps).toEqual(['shop-a']);
    expect(r.desired).toBeUndefined();
  });

  it('shows files outside the working directory by their absolute path', async () => {
    const r = await load([join(dir, 'envs', 'a.yaml')], { cwd: join(dir, 'default') });
    expect(r.files).toEqual([join(dir, 'envs', 'a.yaml')]);
  });
});

describe('loadDesiredState: bytes', () => {
  it('refuses a 50 MB file without reading it', async () => {
    const r = await load(['huge.yaml']);
    expect(summary(r)).toEqual([['huge.yaml', undefined, undefined, 'file-too-large', 'the file is 50 MB, over the 10 MB limit for one YAML file']]);
  });

  it('honours a smaller limit', async () => {
    const r = await load(['envs/a.yaml'], { maxFileBytes: 10 });
    expect(summary(r)).toEqual([['envs/a.yaml', undefined, undefined, 'file-too-large', 'the file is 30 bytes, over the 10 bytes limit for one YAML file']]);
  });

  it('names the first byte that is not UTF-8, at its line and column', async () => {
    const r = await load(['latin1.yaml']);
    expect(summary(r)).toEqual([['latin1.yaml', 4, 25, 'file-not-utf8', 'the file is not valid UTF-8 (byte 0xE9): save it as UTF-8']]);
  });

  it('recognises UTF-16', async () => {
    const r = await load(['utf16.yaml']);
    expect(summary(r)).toEqual([['utf16.yaml', undefined, undefined, 'file-not-utf8', 'the file is UTF-16 encoded: save it as UTF-8']]);
  });

  it('refuses binary data', async () => {
    const r = await load(['image.yaml']);
    expect(summary(r)).toEqual([['image.yaml', 2, 1, 'file-binary', 'the file holds binary data (a NUL byte), not YAML text']]);
  });

  it('accepts a UTF-8 byte-order mark, with columns as the editor shows them', async () => {
    const r = await load(['bom.yaml']);
    expect(r.diagnostics).toEqual([]);
    expect(r.desired!.apps['shop-bom']!.loc).toEqual({ file: 'bom.yaml', line: 3, col: 3 });
  });
});
