import { describe, expect, it } from 'vitest';
import { serializePlan } from '../../../src/planner/index.js';
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from '../../../src/render/index.js';
import { desiredApp, liveDrain, managed, ownedConfig, plan, secret } from './fixtures.js';

/**
 * No secret value may appear in any output. Distinctive values are planted
 * wherever a secret can enter the planner — declared secrets (new, changed,
 * already in place), a secret drain URL, live values of keys that are not
 * declared as literals (unmanaged, owned-then-removed, exclusive-mode
 * deletions, before-values of secret keys), credentials in drain URLs —
 * and every format is searched for them.
 */
const PLANTED = {
  newSecret: 'PLANTED-new-secret-1a2b',
  changedSecretAfter: 'PLANTED-changed-after-3c4d',
  changedSecretBefore: 'PLANTED-changed-before-5e6f',
  sameSecret: 'PLANTED-same-secret-7a8b',
  drainSecret: 'PLANTED-drain-token-9c0d',
  drainPassword: 'PLANTED-drain-pw-e1f2',
  liveUnmanaged: 'PLANTED-live-unmanaged-a3b4',
  liveOwnedRemoved: 'PLANTED-live-owned-removed-c5d6',
  liveExclusive: 'PLANTED-live-exclusive-e7f8',
  liveDrainPw: 'PLANTED-live-drain-pw-0a1b',
  liveDrainToken: 'PLANTED-live-drain-tok-2c3d',
  newAppSecret: 'PLANTED-new-app-secret-4e5f',
};

function secretPlan() {
  const merge = managed('merge', {
    desired: {
      config: {
        NEW: secret(PLANTED.newSecret, ['NEW_ENV']),
        CHANGED: secret(PLANTED.changedSecretAfter, ['CHANGED_ENV']),
        SAME: secret(PLANTED.sameSecret, ['SAME_ENV']),
        PLAIN: 'plain-literal',
      },
      drains: [
        { url: `https://logs.example.com/drain/${PLANTED.drainSecret}`, secret: true },
        { url: `https://user:${PLANTED.drainPassword}@logs2.example.com/in`, secret: true },
      ],
    },
    live: {
      vars: { CHANGED: PLANTED.changedSecretBefore, SAME: PLANTED.sameSecret, STRAY: PLANTED.liveUnmanaged, REMOVED: PLANTED.liveOwnedRemoved },
      drains: [liveDrain(`https://u:${PLANTED.liveDrainPw}@stray.example.com/x?token=${PLANTED.liveDrainToken}`)],
    },
    inv: { config: ownedConfig({ REMOVED: secret(PLANTED.liveOwnedRemoved) }) },
  });
  const exclusive = managed('excl', {
    desired: { configMode: 'exclusive', config: { A: 'literal' } },
    live: { vars: { A: 'literal', GONE: PLANTED.liveExclusive } },
  });
  const fresh = desiredApp('fresh', { config: { TOKEN: secret(PLANTED.newAppSecret, ['TOKEN']) } });
  return plan({
    desired: [merge.desired, exclusive.desired, fresh],
    live: { merge: merge.live, excl: exclusive.live },
    inventory: [merge.inv, exclusive.inv],
    rateLimitRemaining: 1000,
  });
}

describe('no secret value in any output', () => {
  const p = secretPlan();
  const outputs: Record<string, string> = {
    text: renderPlanText(p, { color: false }),
    'text (color, narrow)': renderPlanText(p, { color: true, width: 60 }),
    json: renderPlanJson(p),
    markdown: renderPlanMarkdown(p),
    'markdown (tiny)': renderPlanMarkdown(p, { maxChars: 1500 }),
    'plan file': serializePlan(p),
  };

  it('the scenario really exercises every planted value', () => {
    // Guard against a test that cannot fail: each value reached the planner and changed something.
    const text = outputs.text!;
    expect(text).toContain('NEW:');
    expect(text).toContain('CHANGED:');
    expect(text).toContain('SAME:');
    expect(text).toContain('REMOVED:');
    expect(text).toContain('GONE:');
    expect(text).toContain('app.merge/drain.https://logs.example.com/***');
    expect(text).toContain('app.merge/drain.https://***@logs2.example.com/***');
    expect(text).toContain('https://***@stray.example.com/x?token=***');
    expect(text).toContain('TOKEN:');
    expect(text).toContain('"plain-literal"'); // literals do show
  });

  for (const [name, out] of Object.entries(outputs)) {
    it(`${name} holds none of them`, () => {
      const found = Object.values(PLANTED).filter((v) => out.includes(v));
      expect(found).toEqual([]);
      // Not even a distinctive fragment.
      expect(out).not.toMatch(/PLANTED/);
    });
  }
});
