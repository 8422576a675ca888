import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFingerprinter, fingerprintLiteral, fingerprintSecret, saltForLineage } from '../../src/util/fingerprint.js';
import { CliWorld } from '../helpers/cli-world.js';

/**
 * #13 item 5: a reader holding the state file and a plan file cannot
 * confirm a guess of a secret — fingerprints are keyed with
 * DYNOFORM_FINGERPRINT_KEY, which is in neither file — and equal secrets do
 * not share a fingerprint. With the key, plan, apply and drift behave as
 * before; without it they still run and say what they cannot compare.
 */
const APP = 'key-shop';
const PIN = 'hunter2';
const YAML = `version: 1\napps:\n  ${APP}:\n    config:\n      PIN: \${env:PIN}\n      SAME_AS_PIN: \${env:PIN2}\n`;

/** Every fingerprint-looking string in a JSON document. */
function fingerprintsIn(text: string): string[] {
  return [...text.matchAll(/"((?:sha256|scrypt|hmac|unkeyed|gk):[^"]*)"/g)].map((m) => m[1]!);
}

describe('fingerprints a reader of the files cannot test guesses against (#13.5)', () => {
  let w: CliWorld;
  beforeAll(async () => {
    w = await CliWorld.start();
    await w.write('dynoform.yaml', YAML);
    expect((await w.run(['apply', '--auto-approve'], { PIN, PIN2: PIN })).code).toBe(0);
  });
  afterAll(async () => {
    await w.close();
  });

  it('with the state and a plan file and no key, a guess of a short secret cannot be confirmed; equal secrets look unrelated', async () => {
    // A plan that sets the secret again (someone changed it by hand): its file carries the fingerprint too.
    await w.heroku.configSet(APP, { PIN: 'changed-by-hand' });
    expect((await w.run(['plan', '-o', 'pin.plan'], { PIN, PIN2: PIN })).code).toBe(0);
    const stateText = await readFile(w.path('.dynoform/state.json'), 'utf8');
    const planText = await readFile(w.path('pin.plan'), 'utf8');
    const state = JSON.parse(stateText);
    const found = [...fingerprintsIn(stateText), ...fingerprintsIn(planText)];
    const secretFps = found.filter((f) => f.startsWith('hmac:'));
    expect(secretFps.length).toBeGreaterThanOrEqual(3);
    const pinFp = state.apps[APP].config.PIN.fingerprint as string;
    expect(pinFp).not.toBe(state.apps[APP].config.SAME_AS_PIN.fingerprint);

    // The reader has the project's own code and the lineage; every guess, the right one included, stays unconfirmed.
    const reader = createFingerprinter({ legacySalt: saltForLineage(state.lineage) });
    const legacyGuess = await fingerprintSecret(PIN, saltForLineage(state.lineage));
    for (const guess of ['hunter1', PIN, 'hunter3', '123456']) {
      for (const fp of secretFps) expect(reader.compare(guess, true, fp)).toBe('unknown');
    }
    for (const fp of found) {
      expect(fp).not.toBe(legacyGuess);
      expect(fp).not.toBe(fingerprintLiteral(PIN));
    }
    // The key is in neither file.
    expect(stateText + planText).not.toContain(w.env.DYNOFORM_FINGERPRINT_KEY!);
  });

  it('with the key, plan, apply and drift behave as before: changes outside are seen, a converged app plans nothing', async () => {
    const drift = await w.run(['drift', '--format', 'json'], { PIN, PIN2: PIN });
    expect(drift.code).toBe(2);
    expect(JSON.parse(drift.stdout).items.map((i: { class: string; key: string }) => `${i.class} ${i.key}`)).toContain('changed-outside PIN');
    expect((await w.run(['apply', 'pin.plan'], { PIN, PIN2: PIN })).code).toBe(0);
    expect((await w.run(['plan', '--detailed-exitcode'], { PIN, PIN2: PIN })).code).toBe(0);
    expect((await w.run(['drift'], { PIN, PIN2: PIN })).code).toBe(0);
  });

  it('without the key, plan still works and says it cannot compare secrets; a plan file made without it holds nothing about them', async () => {
    const noKey = { PIN, PIN2: PIN, DYNOFORM_FINGERPRINT_KEY: '' };
    const plan = await w.run(['plan', '--detailed-exitcode', '-o', 'nokey.plan'], noKey);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout + plan.stderr).toMatch(/DYNOFORM_FINGERPRINT_KEY is not set, so secrets cannot be compared/);
    const drift = await w.run(['drift'], noKey);
    expect(drift.stdout + drift.stderr).toMatch(/cannot compare 2 secrets/);
    // A short key is refused with a message that does not echo it.
    const short = await w.run(['plan'], { ...noKey, DYNOFORM_FINGERPRINT_KEY: 'shortkey' });
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/DYNOFORM_FINGERPRINT_KEY is too short/);
    expect(short.stderr).not.toContain('shortkey');
  });

  it('a state written before keyed fingerprints (scrypt) keeps working without a key and is re-recorded under the key by the next apply', async () => {
    const path = w.path('.dynoform/state.json');
    const state = JSON.parse(await readFile(path, 'utf8'));
    const salt = saltForLineage(state.lineage);
    state.apps[APP].config.PIN.fingerprint = await fingerprintSecret(PIN, salt);
    state.apps[APP].config.SAME_AS_PIN.fingerprint = await fingerprintSecret(PIN, salt);
    await writeFile(path, JSON.stringify(state, null, 2));
    expect((await w.run(['plan', '--detailed-exitcode'], { PIN, PIN2: PIN, DYNOFORM_FINGERPRINT_KEY: '' })).code).toBe(0);
    const migrate = await w.run(['plan', '--detailed-exitcode'], { PIN, PIN2: PIN });
    expect(migrate.code).toBe(2);
    expect(migrate.stdout).toMatch(/fingerprint re-recorded under the fingerprint key/);
    expect((await w.run(['apply', '--auto-approve'], { PIN, PIN2: PIN })).code).toBe(0);
    const after = JSON.parse(await readFile(path, 'utf8'));
    expect(after.apps[APP].config.PIN.fingerprint).toMatch(/^hmac:/);
    expect((await w.run(['plan', '--detailed-exitcode'], { PIN, PIN2: PIN })).code).toBe(0);
  });
});
