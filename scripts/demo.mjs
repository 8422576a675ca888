#!/usr/bin/env node
// `npm run demo`: the example GitOps repository (examples/) end to end against
// the built-in emulator — what the workflows in examples/.github/workflows do
// on every pull request, on merge and every night, run locally and offline.
//
// It starts the emulator on a free loopback port, runs the real CLI
// (bin/dynoform.js) in child processes with demo secrets in their
// environment, deploys a release (as `git push heroku` would) so that the
// formation can be scaled, and checks every exit code. State lives in a
// temporary directory, so the demo can be run again and again.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../dist/emulator/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'dynoform.js');
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s) => (color ? `\u001b[1m${s}\u001b[22m` : s);
const dim = (s) => (color ? `\u001b[2m${s}\u001b[22m` : s);

/** The environments of the example, as the workflows' matrix has them. */
const ENVIRONMENTS = [
  { name: 'staging', files: ['examples/defaults.yaml', 'examples/staging.yaml'], apps: { 'shop-staging': { web: 'bundle exec puma -C config/puma.rb', worker: 'bundle exec sidekiq' } } },
  {
    name: 'production',
    files: ['examples/defaults.yaml', 'examples/production.yaml'],
    apps: {
      'shop-production': { web: 'bundle exec puma -C config/puma.rb', worker: 'bundle exec sidekiq' },
      'shop-admin': { web: 'bundle exec puma -C config/admin.rb' },
    },
  },
];

const TOKEN = 'demo-api-key';

async function run(args, env, expected) {
  process.stdout.write(`\n${bold(`$ dynoform ${args.join(' ')}`)}\n`);
  const code = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (c, signal) => resolve(signal ? 128 : (c ?? 1)));
  });
  const ok = Array.isArray(expected) ? expected.includes(code) : code === expected;
  process.stdout.write(dim(`(exit ${code})\n`));
  if (!ok) throw new Error(`dynoform ${args.join(' ')} exited ${code}, expected ${expected}`);
  return code;
}

/** A request with the Platform API's v3 Accept header, as any Heroku client sends it. */
async function api(url, method, path, body) {
  const res = await fetch(url + path, {
    method,
    headers: {
      accept: 'application/vnd.heroku+json; version=3',
      authorization: `Bearer ${TOKEN}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** What a build does after `git push`: a slug with the Procfile's process types, then a release of it. */
async function deploy(url, app, processTypes) {
  const slug = await api(url, 'POST', `/apps/${app}/slugs`, { process_types: processTypes });
  const release = await api(url, 'POST', `/apps/${app}/releases`, { slug: slug.id, description: 'Deploy demo' });
  process.stdout.write(`${dim(`deployed ${app}: release v${release.version} with process types ${Object.keys(processTypes).join(', ')}`)}\n`);
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'dynoform-demo-'));
  const emulator = await startEmulator({ port: 0, seed: 1 });
  process.stdout.write(`${bold('dynoform demo')}: emulator on ${emulator.url}; state in ${dir}\n`);
  const env = {
    ...process.env,
    HEROKU_API_URL: emulator.url,
    HEROKU_API_KEY: TOKEN,
    // Demo secrets, as CI would take them from its secret store. None of them may appear in any output.
    STAGING_SECRET_KEY_BASE: 'demo-staging-secret-key-base-2d1f0c',
    PRODUCTION_SECRET_KEY_BASE: 'demo-production-secret-key-base-8e7a41',
    STRIPE_SECRET_KEY: 'sk_test_demo_4eC39HqLyjWDarjtT1zdp7dc',
    PRODUCTION_SYSLOG_DRAIN: 'syslog+tls://demo:demo-drain-password@logs.example.net:6514',
    // Keys the secrets' fingerprints in state and plans (docs/security.md); a CI secret like the API key.
    DYNOFORM_FINGERPRINT_KEY: 'demo-fingerprint-key-not-for-real-use-5b9c2e',
    // Plain output from the child processes, even on a terminal that supports colour.
    ...(color ? {} : { NO_COLOR: '1' }),
  };
  delete env.DYNOFORM_STATE;
  try {
    for (const e of ENVIRONMENTS) {
      const f = e.files.flatMap((file) => ['-f', file]);
      const state = ['--state', join(dir, `${e.name}.json`)];
      process.stdout.write(`\n${bold(`=== ${e.name} ===`)}\n`);
      await run(['validate', ...f], env, 0);
      await run(['plan', ...f, ...state], env, 0);
      await run(['apply', ...f, ...state, '--auto-approve'], env, 0);
      // The process types come with the first deploy; the next apply scales them.
      for (const [app, types] of Object.entries(e.apps)) await deploy(emulator.url, app, types);
      await run(['apply', ...f, ...state, '--auto-approve'], env, 0);
      await run(['plan', ...f, ...state, '--detailed-exitcode'], env, 0);
      await run(['drift', ...f, ...state], env, 0);
    }

    // Someone scales production by hand at 3 a.m.: the nightly drift check catches it.
    const prod = ENVIRONMENTS[1];
    const f = prod.files.flatMap((file) => ['-f', file]);
    const state = ['--state', join(dir, 'production.json')];
    process.stdout.write(`\n${bold('=== a change by hand, then the nightly drift check ===')}\n`);
    process.stdout.write(`${dim('heroku ps:scale web=4 -a shop-production; heroku config:set ASSET_HOST=https://cdn2.example.com -a shop-production')}\n`);
    await api(emulator.url, 'PATCH', '/apps/shop-production/formation', { updates: [{ quantity: '4', type: 'web' }] });
    await api(emulator.url, 'PATCH', '/apps/shop-production/config-vars', { ASSET_HOST: 'https://cdn2.example.com' });
    await run(['drift', ...f, ...state], env, 2);
    await run(['drift', ...f, ...state, '--format', 'github'], { ...env, GITHUB_WORKSPACE: root }, 2);
    process.stdout.write(`\n${bold('Demo complete.')} Every command exited as expected; the emulator saw ${emulator.stats().requests} API requests.\n`);
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
