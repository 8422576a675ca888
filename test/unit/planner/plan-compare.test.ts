import { describe, expect, it } from 'vitest';
import { firstPlanDifference } from '../../../src/planner/index.js';
import type { Plan } from '../../../src/model/plan.js';
import { desiredApp, plan, secret } from './fixtures.js';

const make = (config: Record<string, string | ReturnType<typeof secret>>): Plan => plan({ desired: [desiredApp('shop', { config })] });

describe('firstPlanDifference (saved plan vs the plan re-derived at apply)', () => {
  it('finds none between two plans of the same inputs, though every secret fingerprint is salted afresh', () => {
    const a = make({ A: '1', S: secret('very-secret') });
    const b = make({ A: '1', S: secret('very-secret') });
    // As a keyed fingerprinter would: the same value under another salt.
    const set = (b.changes.find((c) => c.op.type === 'config.patch')!.op as { set: Record<string, { fingerprint?: string }> }).set;
    set.S!.fingerprint = 'hmac:k:another-salt:another-mac';
    expect(JSON.stringify(a.changes)).not.toBe(JSON.stringify(b.changes));
    expect(firstPlanDifference(a, b)).toBeUndefined();
    // A round trip through JSON (a saved file) drops nothing that matters.
    expect(firstPlanDifference(JSON.parse(JSON.stringify(a)) as Plan, b)).toBeUndefined();
  });

  it('names the first differing field of an op, with both sides', () => {
    const saved = make({ A: '1' });
    const op = saved.changes.find((c) => c.op.type === 'config.patch')!.op as { set: Record<string, unknown> };
    op.set.A = { kind: 'literal', value: 'attacker-value' };
    expect(firstPlanDifference(saved, make({ A: '1' }))).toEqual({ address: 'app.shop/config', field: 'op.set.A.value', saved: '"attacker-value"', now: '"1"' });
  });

  it('sees a secret turned into a literal, and a change missing on either side', () => {
    expect(firstPlanDifference(make({ S: secret('x') }), make({ S: 'x' }))?.field).toMatch(/^(op|after|items|patch)/);
    const saved = make({ A: '1' });
    const fewer = { ...saved, changes: saved.changes.filter((c) => c.kind !== 'config') };
    expect(firstPlanDifference(fewer, saved)).toEqual(expect.objectContaining({ address: 'app.shop/config', field: 'change', saved: 'no such change' }));
    expect(firstPlanDifference(saved, fewer)).toEqual(expect.objectContaining({ address: 'app.shop/config', field: 'change', now: 'no such change' }));
  });

  it('compares ETag guards but not no-ETag guard fingerprints (salted; re-checked before the write)', () => {
    const a = make({ A: '1' });
    const b = make({ A: '1' });
    const cfgA = a.changes.find((c) => c.kind === 'config')!;
    const cfgB = b.changes.find((c) => c.kind === 'config')!;
    cfgA.guard = { fingerprint: 'gk:1:2:3' };
    cfgB.guard = { fingerprint: 'gk:4:5:6' };
    expect(firstPlanDifference(a, b)).toBeUndefined();
    cfgA.guard = { etag: '"1"' };
    cfgB.guard = { etag: '"2"' };
    expect(firstPlanDifference(a, b)?.field).toBe('guard.etag');
  });
});
