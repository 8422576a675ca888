import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CliWorld, TOKEN } from '../helpers/cli-world.js';
import { HostileProxy } from '../helpers/hostile-proxy.js';
import { expectNoLeak } from '../helpers/secret-scan.js';

/**
 * #13 item 6: a tampered plan must not apply what nobody reviewed. The plan
 * file is signed (HMAC with a sub-key of the fingerprint key); independently
 * of that, apply re-derives the changes from the YAML and the live state and
 * refuses (exit 3) when they differ from the file's; a plan made with one
 * account is refused under another account's token. Every refusal comes
 * before any write, counted at a proxy in front of the emulator.
 */
const APP = 'tamper-shop';
const OTHER_TOKEN = 'account-b-token';
const SECRET = 'tamper-secret-Zq81vX';

/** The attacker's edit: the op's literal becomes 'attacker-value', and the checksum is recomputed so that it still holds. */
function tamper(text: string, edit: (plan: Record<string, unknown>) => void): string {
  const doc = JSON.parse(text) as { checksum: string; plan: Record<string, unknown> };
  edit(doc.plan);
  doc.checksum = 'sha256:' + createHash('sha256').update(JSON.stringify(doc.plan)).digest('hex');
  return JSON.stringify(doc, null, 2);
}

type Change = { address: string; op: { type: string; set?: Record<string, { kind: string; value?: string }> } };
const configChange = (plan: Record<string, unknown>): Change => (plan.changes as Change[]).find((c) => c.op.type === 'config.patch')!;

describe('a tampered or foreign plan file (#13.6)', () => {
  let w: CliWorld;
  let proxy: HostileProxy;
  const outputs: Record<string, string> = {};
  const via = (env: Record<string, string> = {}): Record<string, string> => ({ HEROKU_API_URL: proxy.url, TOK: SECRET, ...env });
  const record = (label: string, r: { stdout: string; stderr: string }): void => {
    outputs[`${label} stdout`] = r.stdout;
    outputs[`${label} stderr`] = r.stderr;
  };

  beforeAll(async () => {
    w = await CliWorld.start({ apiKeys: [TOKEN, OTHER_TOKEN] });
    proxy = await HostileProxy.start(w.emulator.url);
    await w.write('dynoform.yaml', `version: 1\napps:\n  ${APP}:\n    config:\n      LOG_LEVEL: info\n      AUTH: "Bearer \${env:TOK}"\n`);
    const first = await w.run(['apply', '--auto-approve'], via());
    expect(first.code, first.stdout + first.stderr).toBe(0);
  });
  afterAll(async () => {
    await proxy.close();
    await w.close();
    expectNoLeak(outputs, [SECRET, TOKEN, OTHER_TOKEN]);
  });
  beforeEach(async () => {
    proxy.reset();
    await w.write('dynoform.yaml', `version: 1\napps:\n  ${APP}:\n    config:\n      LOG_LEVEL: debug\n      AUTH: "Bearer \${env:TOK}"\n`);
  });

  it.each([
    ['with the fingerprint key (the signature catches it)', {}, /does not match its signature/],
    ['without a key (re-deriving the changes catches it)', { DYNOFORM_FINGERPRINT_KEY: '' }, /config: op\.set\.LOG_LEVEL\.value: the plan says "attacker-value", the YAML and the live state give "debug"/],
  ])('an op edited and the checksum recomputed, %s: exit 3, zero writes', async (label, env, message) => {
    const made = await w.run(['plan', '-o', 'p.plan'], via(env));
    expect(made.code, made.stdout + made.stderr).toBe(0);
    const text = await readFile(w.path('p.plan'), 'utf8');
    await writeFile(
      w.path('p.plan'),
      tamper(text, (plan) => {
        configChange(plan).op.set!.LOG_LEVEL = { kind: 'literal', value: 'attacker-value' };
      }),
    );
    proxy.reset();
    const r = await w.run(['apply', 'p.plan'], via(env));
    record(`tampered ${label}`, r);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/nothing was applied/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(proxy.writes()).toEqual([]);
    expect((await w.heroku.configVars(APP)).LOG_LEVEL).toBe('info');
  });

  it('without a key, an edit of the shown diff as well (before/after, patch, items) is still caught: the op and the view must both match', async () => {
    const noKey = { DYNOFORM_FINGERPRINT_KEY: '' };
    expect((await w.run(['plan', '-o', 'p.plan'], via(noKey))).code).toBe(0);
    const text = await readFile(w.path('p.plan'), 'utf8');
    const edited = text.replaceAll('"debug"', '"attacker-value"');
    expect(edited).not.toBe(text);
    await writeFile(w.path('p.plan'), tamper(edited, () => undefined));
    proxy.reset();
    const r = await w.run(['apply', 'p.plan'], via(noKey));
    record('tampered view', r);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(proxy.writes()).toEqual([]);
    expect((await w.heroku.configVars(APP)).LOG_LEVEL).toBe('info');
  });

  it('a change added to the plan (an app nobody declared) is refused: exit 3, zero writes', async () => {
    const noKey = { DYNOFORM_FINGERPRINT_KEY: '' };
    expect((await w.run(['plan', '-o', 'p.plan'], via(noKey))).code).toBe(0);
    const text = await readFile(w.path('p.plan'), 'utf8');
    await writeFile(
      w.path('p.plan'),
      tamper(text, (plan) => {
        const changes = plan.changes as Record<string, unknown>[];
        changes.push({ ...changes[0], id: 'app.evil', address: 'app.evil', app: 'evil', kind: 'app', action: 'create', op: { type: 'app.create', name: 'evil-app' }, dependsOn: [], guard: {}, patch: [], before: null, after: { name: 'evil-app' } });
      }),
    );
    proxy.reset();
    const r = await w.run(['apply', 'p.plan'], via(noKey));
    record('added change', r);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toMatch(/app\.evil: change: the plan says create \(app\.create\), the YAML and the live state give no such change/);
    expect(proxy.writes()).toEqual([]);
  });

  it('a signature stripped from a plan applied with the key is refused: exit 3, zero writes', async () => {
    expect((await w.run(['plan', '-o', 'p.plan'], via())).code).toBe(0);
    const doc = JSON.parse(await readFile(w.path('p.plan'), 'utf8')) as Record<string, unknown>;
    expect(doc.signature).toMatch(/^hmac-sha256:[0-9a-f]{16}:/);
    delete doc.signature;
    await writeFile(w.path('p.plan'), JSON.stringify(doc));
    proxy.reset();
    const r = await w.run(['apply', 'p.plan'], via());
    record('stripped', r);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/not signed/);
    expect(proxy.seen).toEqual([]);
  });

  it("a plan made with account A is refused under account B's token before any write: exit 3", async () => {
    expect((await w.run(['plan', '-o', 'p.plan'], via())).code).toBe(0);
    const doc = JSON.parse(await readFile(w.path('p.plan'), 'utf8')) as { plan: { account: { id: string; email: string } } };
    expect(doc.plan.account.id).toMatch(/\S/);
    proxy.reset();
    const r = await w.run(['apply', 'p.plan'], via({ HEROKU_API_KEY: OTHER_TOKEN }));
    record('account B', r);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toContain(`the plan was made with the Heroku account ${doc.plan.account.email}, but the token here belongs to`);
    expect(proxy.writes()).toEqual([]);
    // The account is read first (after the free rate-limit read): nothing of B's apps was looked at either.
    expect(proxy.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /account/rate-limits', 'GET /account']);
  });

  it('an untouched plan applies, signed or not, and writes exactly the reviewed change', async () => {
    for (const [label, env, level] of [
      ['signed', {}, 'debug'],
      ['unsigned', { DYNOFORM_FINGERPRINT_KEY: '' }, 'warn'],
    ] as const) {
      await w.write('dynoform.yaml', `version: 1\napps:\n  ${APP}:\n    config:\n      LOG_LEVEL: ${level}\n      AUTH: "Bearer \${env:TOK}"\n`);
      const made = await w.run(['plan', '-o', `${label}.plan`], via(env));
      record(`plan ${label}`, made);
      expect(made.code, made.stdout + made.stderr).toBe(0);
      outputs[`${label} plan file`] = await readFile(w.path(`${label}.plan`), 'utf8');
      proxy.reset();
      const r = await w.run(['apply', `${label}.plan`], via(env));
      record(`apply ${label}`, r);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/plan-stale|does not match/);
      if (label === 'unsigned') expect(r.stderr).toMatch(/the plan is not signed/);
      expect(proxy.writes().map((s) => `${s.method} ${s.path.replace(/^\/apps\/[^/]+\//, '/apps/{app}/')}`)).toEqual(['PATCH /apps/{app}/config-vars']);
      expect((await w.heroku.configVars(APP)).LOG_LEVEL).toBe(level);
      expect((await w.heroku.configVars(APP)).AUTH).toBe(`Bearer ${SECRET}`);
    }
  });
});
