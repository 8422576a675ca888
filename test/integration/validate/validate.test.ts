import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `dynoform validate` as users run it: the built binary in a child process
// (run `npm run build` first), its stdout, stderr and exit code.

const root = resolve(import.meta.dirname, '../../..');
const bin = join(root, 'bin', 'dynoform.js');
let dir: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string> = {}, cwd = dir): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, 'validate', ...args],
      // A clean environment: only what the test gives, so no stray variable satisfies ${env:…}.
      { cwd, env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 30_000, maxBuffer: 10 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

const EXAMPLE_ENV = {
  STAGING_SECRET_KEY_BASE: 'staging-5ecret-key-base-value',
  PRODUCTION_SECRET_KEY_BASE: 'pr0duction-5ecret-key-base-value',
  STRIPE_SECRET_KEY: 'sk_live_51HvTopSecretStripeKey',
  PRODUCTION_SYSLOG_DRAIN: 'syslog+tls://drain-user:dr41n-p4ssw0rd@logs2.example.com:6514',
};

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` before the integration tests');
  dir = await mkdtemp(join(tmpdir(), 'dynoform-validate-'));
  await writeFile(join(dir, 'dynoform.yaml'), 'version: 1\napps:\n  shop:\n    config:\n      RAILS_ENV: production\n');
  await writeFile(
    join(dir, 'bad.yaml'),
    [
      'version: 1',
      'apps:',
      '  shop-staging:',
      '    regoin: us',
      '    config:',
      '      PORT: 5000',
      '      DEBUG: true',
      '  other-app:',
      '    formation:',
      '      web: { quantity: 500, size: standard-1X }',
      '      worker: { quantity: 1, size: standard-3X }',
      '',
    ].join('\n'),
  );
  await writeFile(join(dir, 'syntax.yaml'), 'version: 1\napps: [\n');
  await writeFile(join(dir, 'huge.yaml'), '');
  await truncate(join(dir, 'huge.yaml'), 50 * 1024 * 1024);
  await writeFile(join(dir, 'binary.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
  const bomb = ['version: 1', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) bomb.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
  await writeFile(join(dir, 'bomb.yaml'), bomb.join('\n') + '\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('dynoform validate', () => {
  it('reads dynoform.yaml by default and says it is valid', async () => {
    const r = await run([]);
    expect(r).toEqual({ code: 0, stdout: '1 file, 1 app: valid\n', stderr: '' });
  });

  it('validates each environment of the examples (exit 0), with the secrets they read set; both at once is refused', async () => {
    const staging = await run(['-f', 'examples/defaults.yaml', '-f', 'examples/staging.yaml'], EXAMPLE_ENV, root);
    expect(staging).toEqual({ code: 0, stdout: '2 files, 1 app: valid\n', stderr: '' });
    const production = await run(['-f', 'examples/defaults.yaml', '-f', 'examples/production.yaml'], EXAMPLE_ENV, root);
    expect(production).toEqual({ code: 0, stdout: '2 files, 2 apps: valid\n', stderr: '' });
    const both = await run(['-f', 'examples/'], EXAMPLE_ENV, root);
    expect(both.code).toBe(1);
    expect(both.stdout).toMatch(/examples\/staging\.yaml:\d+:14: error: this file is for environment "staging", but examples\/production\.yaml:\d+:14 is for "production"/);
  });

  it('reports every problem at file:line:col, then the count, and exits 1', async () => {
    const r = await run(['-f', 'bad.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      'bad.yaml:4:5: error: unknown key "regoin" in app "shop-staging": did you mean "region"? [unknown-key]',
      'bad.yaml:6:7: error: config value for PORT must be a string: quote it ("5000") [config-value-not-string]',
      'bad.yaml:7:7: error: config value for DEBUG must be a string: quote it ("true") [config-value-not-string]',
      'bad.yaml:10:14: error: quantity of formation "web" must be from 0 to 100 (got 500) [invalid-formation-quantity]',
      'bad.yaml:11:30: error: dyno size "standard-3X" of formation "worker" is not known: did you mean "standard-1X"? [unknown-dyno-size]',
      '5 errors, 0 warnings',
      '',
    ]);
  });

  it('prints JSON with --format json', async () => {
    const r = await run(['-f', 'bad.yaml', '--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { valid: boolean; files: number; apps: number; diagnostics: { code: string; file: string; line: number; col: number }[] };
    expect(out.valid).toBe(false);
    expect(out.files).toBe(1);
    expect(out.apps).toBe(2);
    expect(out.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`)).toEqual([
      'bad.yaml:4:5 unknown-key',
      'bad.yaml:6:7 config-value-not-string',
      'bad.yaml:7:7 config-value-not-string',
      'bad.yaml:10:14 invalid-formation-quantity',
      'bad.yaml:11:30 unknown-dyno-size',
    ]);
    const ok = await run(['--format', 'json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ valid: true, files: 1, apps: 1, diagnostics: [] });
  });

  it('turns missing variables into warnings with --allow-missing-env (exit 0)', async () => {
    const files = ['-f', 'examples/defaults.yaml', '-f', 'examples/production.yaml'];
    const strict = await run(['-f', 'examples/defaults.yaml', '-f', 'examples/staging.yaml'], {}, root);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('examples/staging.yaml:18:7: error: config value for SECRET_KEY_BASE reads ${env:STAGING_SECRET_KEY_BASE}, which is not set [missing-env]');
    expect(strict.stdout.trim().split('\n').at(-1)).toBe('1 error, 0 warnings');
    const lenient = await run([...files, '--allow-missing-env'], {}, root);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout.trim().split('\n').at(-1)).toBe('2 files, 2 apps: valid (3 warnings)');
  });

  it('gives one clear line and exit 1 for hostile files: no stack trace, no hang', async () => {
    const cases: [string, string][] = [
      ['syntax.yaml', 'syntax.yaml:3:1: error: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ] [yaml-syntax]'],
      ['huge.yaml', 'huge.yaml: error: the file is 50 MB, over the 10 MB limit for one YAML file [file-too-large]'],
      ['binary.yaml', 'binary.yaml:1:1: error: the file is not valid UTF-8 (byte 0x89): save it as UTF-8 [file-not-utf8]'],
      ['bomb.yaml', 'bomb.yaml:3:10: error: aliases refer to aliases too many times (a "billion laughs" document?): refusing to expand them [yaml-alias-limit]'],
      ['missing.yaml', 'missing.yaml: error: no such file or folder [file-not-found]'],
      ['/dev/zero', '/dev/zero: error: not a regular file [file-not-regular]'],
    ];
    for (const [file, line] of cases) {
      const r = await run(['-f', file]);
      expect(r, file).toEqual({ code: 1, stdout: `${line}\n1 error, 0 warnings\n`, stderr: '' });
    }
  });

  it('refuses an unknown --format through the usual usage error', async () => {
    const r = await run(['--format', 'yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("argument 'yaml' is invalid");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('never prints a value that came from the environment', async () => {
    const secrets = {
      DB_PASSWORD: 'hunter2-db-password-value',
      DRAIN_URL: 'ftp://drain-user:drain-pass-value@logs.example.com',
      TOKEN: 'tok_9f8e7d6c5b4a',
    };
    await writeFile(
      join(dir, 'secrets.yaml'),
      [
        'version: 1',
        'apps:',
        '  shop:',
        '    config:',
        '      DB_PASSWORD: ${env:DB_PASSWORD}',
        '      MIXED: "prefix-${env:TOKEN}-${env:UNSET_ONE}"',
        '      BROKEN: "${TOKEN}"',
        '      PORT: 5000',
        '    drains:',
        '      - ${env:DRAIN_URL}',
        '      - ${env:DRAIN_URL}',
        '',
      ].join('\n'),
    );
    const outputs: Run[] = [];
    for (const args of [['-f', 'secrets.yaml'], ['-f', 'secrets.yaml', '--format', 'json'], ['-f', 'secrets.yaml', '--allow-missing-env']]) {
      outputs.push(await run(args, secrets));
    }
    for (const r of outputs) expect(r.code).toBe(1);
    // Something was reported about each secret-bearing line, by name only.
    expect(outputs[0]!.stdout).toContain('drain URL built from ${env:DRAIN_URL} is not a valid https://, syslog:// or syslog+tls:// URL');
    expect(outputs[0]!.stdout).toContain('reads ${env:UNSET_ONE}, which is not set');
    const all = outputs.map((r) => r.stdout + r.stderr).join('\n');
    for (const value of [...Object.values(secrets), 'drain-pass-value', 'drain-user', 'hunter2', 'tok_9f8e7d']) {
      expect(all).not.toContain(value);
    }
  });
});
