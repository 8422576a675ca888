import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliWorld } from '../helpers/cli-world.js';
import { expectNoLeak } from '../helpers/secret-scan.js';

/**
 * #13 item 1: a live value is shown only when state records it as a literal
 * dynoform wrote and its fingerprint matches. Everything else — a value that
 * was a secret, a value set by hand — is hidden in every plan format, the
 * saved plan file and every drift format.
 */
const PLAN_FORMATS = ['text', 'json', 'markdown'] as const;
const DRIFT_FORMATS = ['text', 'json', 'markdown', 'github'] as const;

async function everyOutput(w: CliWorld, env: Record<string, string> = {}): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of PLAN_FORMATS) {
    const r = await w.run(['plan', '--format', f], env);
    expect(r.code, r.stderr).toBe(0);
    out[`plan ${f}`] = r.stdout + r.stderr;
  }
  const saved = await w.run(['plan', '-o', 'saved.plan'], env);
  out['plan -o'] = saved.stdout + saved.stderr;
  out['plan file'] = await readFile(w.path('saved.plan'), 'utf8');
  for (const f of DRIFT_FORMATS) {
    const r = await w.run(['drift', '--format', f], env);
    out[`drift ${f}`] = r.stdout + r.stderr;
  }
  out['state'] = await readFile(env.DYNOFORM_STATE ?? w.path('.dynoform/state.json'), 'utf8');
  return out;
}

describe('live values in plan and drift (#13.1)', () => {
  let w: CliWorld;
  beforeAll(async () => {
    w = await CliWorld.start();
  });
  afterAll(async () => {
    await w.close();
  });

  it('a secret that becomes a literal: the old secret is in no output, no plan file, no drift annotation', async () => {
    const SECRET = 'hi-secret-value-0123456789abcdefg';
    await w.write('dynoform.yaml', 'version: 1\napps:\n  sec-once:\n    config:\n      TOKEN: ${env:HI_SECRET}\n');
    expect((await w.run(['apply', '--auto-approve'], { HI_SECRET: SECRET })).code).toBe(0);
    await w.write('dynoform.yaml', 'version: 1\napps:\n  sec-once:\n    config:\n      TOKEN: now-a-literal\n');
    const out = await everyOutput(w);
    expectNoLeak(out, [SECRET]);
    // The change is still shown, and decided: hidden before, the literal after.
    expect(out['plan text']).toMatch(/TOKEN: +\(hidden\) → "now-a-literal"/);
    expect(JSON.parse(out['plan json']!.slice(0, out['plan json']!.lastIndexOf('}') + 1)).changes[0].items[0]).toMatchObject({ before: '(hidden)', after: 'now-a-literal' });
  });

  it('a value set by hand that a pull request now declares: hidden in the PR comment (markdown) and the drift annotations', async () => {
    const HAND = 'sk_live_HandSetOutsideDynoform9f8e7d';
    const env = { DYNOFORM_STATE: w.path('hand.json') };
    await w.write('dynoform.yaml', 'version: 1\napps:\n  hand-set:\n    config:\n      RAILS_ENV: production\n');
    expect((await w.run(['apply', '--auto-approve'], env)).code).toBe(0);
    await w.heroku.configSet('hand-set', { STRIPE_KEY: HAND });
    await w.write('dynoform.yaml', 'version: 1\napps:\n  hand-set:\n    config:\n      RAILS_ENV: production\n      STRIPE_KEY: "x"\n');
    const out = await everyOutput(w, env);
    expectNoLeak(out, [HAND]);
    expect(out['plan markdown']).toContain('STRIPE_KEY');
    expect(out['plan text']).toMatch(/STRIPE_KEY: +\(hidden\) → "x"/);
    // Once dynoform has written "x" itself, the value is ours and is shown when it changes again.
    expect((await w.run(['apply', '--auto-approve'], env)).code).toBe(0);
    await w.write('dynoform.yaml', 'version: 1\napps:\n  hand-set:\n    config:\n      RAILS_ENV: production\n      STRIPE_KEY: "y"\n');
    expect((await w.run(['plan'], env)).stdout).toMatch(/STRIPE_KEY: +"x" → "y"/);
  });

  it('a literal of ours edited by hand to a secret: drift says it changed, never what it is now', async () => {
    const EDIT = 'pasted-a-real-password-here-77a1';
    const env = { DYNOFORM_STATE: w.path('edit.json') };
    await w.write('dynoform.yaml', 'version: 1\napps:\n  hand-edit:\n    config:\n      DB_PASS: placeholder\n');
    expect((await w.run(['apply', '--auto-approve'], env)).code).toBe(0);
    await w.heroku.configSet('hand-edit', { DB_PASS: EDIT });
    const out = await everyOutput(w, env);
    expectNoLeak(out, [EDIT]);
    expect(out['drift text']).toMatch(/changed outside/);
  });
});
