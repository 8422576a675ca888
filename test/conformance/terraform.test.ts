/**
 * The real Terraform Heroku provider (v5.3.2, from ../shared/tools/terraform)
 * against `dynoform emulator`, with no shim: fleet.tf applied (first without
 * formation, then with it after a release gives the apps process types), a
 * plan with no changes, an update (config var, scale, buildpacks, ACM) and a
 * plan with no changes again, then destroy. The runner and fleet.tf are used
 * as they are; the scratch copy of fleet.tf only gets the provider's delays
 * set to 0 (it would wait 10 s after each app and 5 s after each domain).
 *
 * Skips, saying why, when `terraform` is not on PATH or the tools folder is
 * not found (DYNOFORM_TERRAFORM_TOOLS, or shared/tools/terraform in a parent
 * of the repository: ../shared in CI).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const V3 = 'application/vnd.heroku+json; version=3';

function findTools(): string | undefined {
  const fromEnv = process.env.DYNOFORM_TERRAFORM_TOOLS;
  if (fromEnv) return existsSync(join(fromEnv, 'run-against-emulator.sh')) ? fromEnv : undefined;
  for (let dir = root; ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'tools', 'terraform');
    if (existsSync(join(candidate, 'run-against-emulator.sh'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

const tools = findTools();
const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
const skipReason =
  terraform.error || terraform.status !== 0
    ? 'terraform is not on PATH'
    : tools === undefined
      ? 'no shared/tools/terraform (with run-against-emulator.sh) in a parent folder of the repository, and DYNOFORM_TERRAFORM_TOOLS is not set'
      : process.platform !== 'linux' || process.arch !== 'x64'
        ? 'the provider binary in shared/tools/terraform is Linux x86-64 only'
        : undefined;
if (skipReason) console.warn(`test/conformance/terraform.test.ts skipped: ${skipReason}`);

let scratch: string;
let emulator: ReturnType<typeof spawn> | undefined;
let url = '';

const api = async (method: string, path: string, body?: unknown): Promise<any> => {
  const res = await fetch(url + path, {
    method,
    headers: { Accept: V3, Authorization: 'Bearer emulator', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
};

/** run-against-emulator.sh URL DIR [ARGS]: resolves with its exit code and output. */
function runner(...args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(tools ?? '', 'run-against-emulator.sh'), [url, scratch, ...args], {
      cwd: scratch,
      env: { ...process.env, TF_IN_AUTOMATION: '1', NO_COLOR: '1', HEROKU_API_KEY: 'emulator' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (out += String(c)));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

const ok = async (...args: string[]): Promise<string> => {
  const r = await runner(...args);
  if (r.code !== 0) throw new Error(`run-against-emulator.sh ${args.join(' ') || '(apply, then plan -detailed-exitcode)'} exited ${r.code}:\n${r.out.slice(-4000)}`);
  return r.out;
};

describe.skipIf(skipReason !== undefined)(`Terraform Heroku provider against dynoform emulator${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    scratch = await mkdtemp(join(tmpdir(), 'emu-terraform-'));
    await copyFile(join(tools ?? '', 'fleet.tf'), join(scratch, 'fleet.tf'));
    const tf = await readFile(join(scratch, 'fleet.tf'), 'utf8');
    if (!tf.includes('provider "heroku" {}')) throw new Error('fleet.tf no longer has `provider "heroku" {}`; update this test');
    await writeFile(
      join(scratch, 'fleet.tf'),
      tf.replace('provider "heroku" {}', 'provider "heroku" {\n  delays {\n    post_app_create_delay    = 0\n    post_domain_create_delay = 0\n  }\n}'),
    );
    const child = spawn(process.execPath, [join(root, 'bin', 'dynoform.js'), 'emulator', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    emulator = child;
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (c) => {
        out += String(c);
        const m = /^dynoform emulator listening on (http:\/\/\S+)\n/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.on('exit', () => reject(new Error(`emulator exited early: ${out}`)));
    });
  });

  afterAll(async () => {
    if (emulator && emulator.exitCode === null) {
      const exited = new Promise((r) => emulator?.once('exit', r));
      emulator.kill('SIGTERM');
      await exited;
    }
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('applies fleet.tf, plans no changes, updates, plans no changes, destroys; every answer 2xx', { timeout: 240_000 }, async () => {
    // 1. Apps, config vars, add-ons, domains, drains; no formation yet.
    const first = await ok('apply', '-auto-approve', '-input=false', '-var', 'with_formation=false');
    expect(first).toMatch(/Apply complete! Resources: 18 added, 0 changed, 0 destroyed/);

    // 2. A release gives the apps their process types, as a deploy would.
    const apps = ['fleet-shop', 'fleet-api', 'fleet-jobs'];
    for (const app of apps) {
      const slug = await api('POST', `/apps/${app}/slugs`, { process_types: { web: 'bin/web', worker: 'bin/worker' } });
      await api('POST', `/apps/${app}/releases`, { slug: slug.id });
    }

    // 3. The formation too, then a plan that must find nothing (the runner's default).
    const second = await ok();
    expect(second).toMatch(/Apply complete! Resources: 6 added, 0 changed, 0 destroyed/);
    expect(second).toContain('No changes.');

    // 4. An update: a config var, a scale, buildpacks and ACM; then an empty plan again.
    const tf = await readFile(join(scratch, 'fleet.tf'), 'utf8');
    const updated = tf
      .replace('LOG_LEVEL = "info"', 'LOG_LEVEL = "debug"')
      .replace(/type     = "web"\n  quantity = 2/, 'type     = "web"\n  quantity = 3')
      .replace('  region   = "us"\n', '  region   = "us"\n  acm      = true\n  buildpacks = ["heroku/nodejs", "https://github.com/heroku/heroku-buildpack-static"]\n');
    expect(updated).not.toBe(tf);
    await writeFile(join(scratch, 'fleet.tf'), updated);
    const third = await ok();
    expect(third).toMatch(/Apply complete! Resources: 0 added, 6 changed, 0 destroyed/);
    expect(third).toContain('No changes.');
    for (const app of apps) {
      expect((await api('GET', `/apps/${app}/config-vars`)).LOG_LEVEL).toBe('debug');
      expect((await api('GET', `/apps/${app}/formation/web`)).quantity).toBe(3);
      expect((await api('GET', `/apps/${app}`)).acm).toBe(true);
      expect((await api('GET', `/apps/${app}/buildpack-installations`)).map((b: any) => b.buildpack.name)).toEqual([
        'heroku/nodejs',
        'https://github.com/heroku/heroku-buildpack-static',
      ]);
    }

    // 5. Destroy: nothing left.
    const last = await ok('destroy', '-auto-approve', '-input=false');
    expect(last).toMatch(/Destroy complete! Resources: 24 destroyed/);
    expect(await api('GET', '/apps')).toEqual([]);

    const stats = await (await fetch(`${url}/__emulator/stats`)).json();
    const failures = Object.keys(stats.byStatus).filter((s) => Number(s) >= 300);
    expect(failures).toEqual([]);
  });
});
