import { describe, expect, it } from 'vitest';
import { parseDesiredState } from '../../../src/config/parse.js';

function load(body: string, env: Record<string, string> = {}) {
  return parseDesiredState([{ file: 'l.yaml', text: `version: 1\napps:\n  shop:\n${body}` }], { env });
}

describe("config: Heroku's documented per-app limits (offline)", () => {
  it('refuses more than 32 kB of config, at the largest value', () => {
    const big = 'x'.repeat(40 * 1024);
    const r = load(`    config:\n      SMALL: "a"\n      BIG: "${big}"\n`);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'config-too-large', file: 'l.yaml', line: 6, col: 7, address: 'app.shop/config.BIG' }),
    ]);
    expect(r.diagnostics[0]!.message).toMatch(/the config of shop is 40\.0 kB, over Heroku's limit of 32 kB .* the largest is BIG \(40\.0 kB\)/);
  });

  it('counts secrets too, without saying how long one is', () => {
    const r = load('    config:\n      CERT: ${env:CERT}\n', { CERT: 'y'.repeat(33 * 1024) });
    expect(r.diagnostics[0]).toMatchObject({ code: 'config-too-large' });
    expect(r.diagnostics[0]!.message).toContain('CERT (a secret from the environment)');
    expect(r.diagnostics[0]!.message).not.toContain('yyyy');
  });

  it('refuses a sixth log drain and a 1,001st domain, at the first one over', () => {
    const drains = Array.from({ length: 6 }, (_, i) => `      - https://logs${i}.example.com/x\n`).join('');
    const r = load(`    drains:\n${drains}`);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'too-many-drains', line: 10, message: 'shop declares 6 log drains; Heroku allows at most 5 per app' })]);
    const domains = Array.from({ length: 1001 }, (_, i) => `      - d${i}.example.com\n`).join('');
    const d = load(`    domains:\n${domains}`);
    expect(d.diagnostics).toEqual([expect.objectContaining({ code: 'too-many-domains', line: 1005 })]);
  });

  it('warns about keys in the HEROKU_ and __ namespaces', () => {
    const r = load('    config:\n      HEROKU_APP_NAME: "x"\n      __SECRET: "y"\n      OK: "z"\n');
    expect(r.desired).toBeDefined();
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ['warning', 'reserved-config-key', 5],
      ['warning', 'reserved-config-key', 6],
    ]);
  });
});
