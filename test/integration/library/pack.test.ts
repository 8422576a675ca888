import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The package as users get it: `npm pack`, installed into a scratch project
// (offline, from the npm cache), imported by its name, its types checked by tsc.
const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const tsc = join(root, 'node_modules', '.bin', 'tsc');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dynoform-pack-'));
  // dist/ is built by `npm test`; scripts are not run again here.
  const { stdout } = await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: root, env });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const files = packed!.files.map((f) => f.path);
  expect(files).toContain('dist/index.js');
  expect(files).toContain('dist/index.d.ts');
  expect(files).toContain('LICENSE');
  expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false);
  await writeFile(join(scratch, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(scratch, packed!.filename)], { cwd: scratch, env });
}, 240_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the packed package', () => {
  it("installs, and `import { plan, startEmulator } from 'dynoform'` plans a YAML against the emulator", async () => {
    expect(await readdir(join(scratch, 'node_modules', 'dynoform'))).toEqual(expect.arrayContaining(['LICENSE', 'bin', 'dist', 'package.json', 'schema']));
    await writeFile(join(scratch, 'dynoform.yaml'), 'version: 1\napps:\n  packed-app:\n    region: eu\n    config:\n      LOG_LEVEL: info\n');
    await writeFile(
      join(scratch, 'consumer.mjs'),
      [
        "import { plan, startEmulator, DynoformError } from 'dynoform';",
        'const emulator = await startEmulator();',
        'try {',
        "  const out = await plan({ cwd: process.cwd(), env: {}, apiUrl: emulator.url, token: 't' });",
        '  console.log(JSON.stringify({ hasChanges: out.hasChanges, summary: out.plan.summary, addresses: out.plan.changes.map((c) => c.address), requests: emulator.stats().requests }));',
        "  await plan({ cwd: process.cwd(), env: {}, apiUrl: emulator.url, token: 't', files: ['missing.yaml'] }).catch((e) => console.log(e instanceof DynoformError ? e.code : 'not a DynoformError'));",
        '} finally {',
        '  await emulator.close();',
        '}',
        '',
      ].join('\n'),
    );
    const { stdout } = await run(process.execPath, ['consumer.mjs'], { cwd: scratch });
    const [first, second] = stdout.trim().split('\n');
    const result = JSON.parse(first!) as { hasChanges: boolean; summary: { create: number }; addresses: string[]; requests: number };
    expect(result.hasChanges).toBe(true);
    expect(result.summary.create).toBe(2);
    expect(result.addresses).toEqual(['app.packed-app', 'app.packed-app/config']);
    expect(second).toBe('invalid-config');
  });

  it('its types resolve for a TypeScript consumer (tsc --noEmit, NodeNext)', async () => {
    await writeFile(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          // Our .d.ts files are still read to type the consumer; only their own internals are not re-checked.
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [join(root, 'node_modules', '@types')],
        },
        files: ['consumer.ts'],
      }),
    );
    await writeFile(
      join(scratch, 'consumer.ts'),
      [
        "import { apply, plan, startEmulator, type ApplyStreamEvent, type Plan, type PlanOutcome, type DynoformError } from 'dynoform';",
        'const emulator = await startEmulator();',
        "const out: PlanOutcome = await plan({ apiUrl: emulator.url, token: 't', targets: ['packed-app'] });",
        'const p: Plan = out.plan;',
        'const creates: number = p.summary.create;',
        'for await (const e of apply({ plan: p, concurrency: 2 })) {',
        "  const ev: ApplyStreamEvent = e;",
        "  if (ev.type === 'apply-done') console.log(ev.result.succeeded.length, creates);",
        '}',
        "const code: DynoformError['code'] = 'stale';",
        '// @ts-expect-error: concurrency is a number, so the types are real, not any',
        "await plan({ concurrency: 'many' });",
        'console.log(code);',
        'await emulator.close();',
        '',
      ].join('\n'),
    );
    const r = await run(tsc, ['-p', 'tsconfig.json'], { cwd: scratch }).catch((err: { stdout?: string; code?: number }) => ({ stdout: err.stdout ?? String(err), failed: true }));
    expect(r.stdout).toBe('');
    expect('failed' in r).toBe(false);
  }, 120_000);
});
