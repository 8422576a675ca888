import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// `npm run demo` is the README's promise: the example GitOps repository,
// end to end on the emulator. It runs the compiled CLI, so it needs
// `npm run build` first (npm test does that).
const root = resolve(import.meta.dirname, '../../..');
const built = existsSync(resolve(root, 'dist/cli/main.js')) && existsSync(resolve(root, 'dist/emulator/index.js'));

describe.runIf(built)('npm run demo', () => {
  it('runs the example end to end: every step exits as expected, and no demo secret is printed', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    for (const k of ['HEROKU_API_KEY', 'HEROKU_API_URL', 'DYNOFORM_STATE', 'GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY']) delete env[k];
    const { code, out } = await new Promise<{ code: number | null; out: string }>((done, fail) => {
      const child = spawn(process.execPath, ['scripts/demo.mjs'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      child.on('error', fail);
      child.on('close', (c) => done({ code: c, out }));
    });
    expect(code, out.slice(-3000)).toBe(0);
    expect(out).toContain('Demo complete.');
    for (const step of ['validate', 'plan', 'apply', 'drift']) expect(out).toContain(`$ dynoform ${step} -f examples/defaults.yaml -f examples/staging.yaml`);
    expect(out.match(/No changes\. Your apps match the configuration\./g)).toHaveLength(2);
    expect(out.match(/^No drift in \d+ apps?\.$/gm)).toHaveLength(2);
    expect(out).toMatch(/^::warning file=examples\/production\.yaml,line=\d+,col=\d+,title=Drift \(changed outside\)%3A app\.shop-production\/formation\.web::/m);
    for (const secret of ['demo-staging-secret-key-base', 'demo-production-secret-key-base', 'sk_test_demo', 'demo-drain-password']) {
      expect(out).not.toContain(secret);
    }
  }, 180_000);
});
