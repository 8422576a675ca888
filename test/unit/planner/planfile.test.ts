import { describe, expect, it } from 'vitest';
import { parsePlan, serializePlan } from '../../../src/planner/index.js';
import { TEST_FINGERPRINT_KEY } from '../../helpers/fingerprint-key.js';
import { desiredApp, plan, secret } from './fixtures.js';

const sample = () =>
  plan({
    desired: [
      desiredApp('shop', {
        config: { A: '1', S: secret('very-secret') },
        addons: { db: { key: 'db', plan: 'heroku-postgresql:essential-0', as: 'DATABASE' } },
        formation: { web: { type: 'web', quantity: 1 } },
      }),
    ],
    rateLimitRemaining: 1000,
  });

describe('plan file', () => {
  it('round-trips exactly', () => {
    const p = sample();
    const text = serializePlan(p);
    const back = parsePlan(text, 'plan.json');
    expect(back.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'plan-file-unsigned' })]);
    expect(back.plan).toEqual(p);
    expect(serializePlan(back.plan!)).toBe(text);
  });

  describe('signature (a sub-key of the fingerprint key)', () => {
    const keys = { current: TEST_FINGERPRINT_KEY };
    const other = { current: 'another-fingerprint-key-of-32-characters!' };

    it('signs, and a signed file round-trips with the key and no warning', () => {
      const text = serializePlan(sample(), { keys });
      const doc = JSON.parse(text) as { signature: string };
      expect(doc.signature).toMatch(/^hmac-sha256:[0-9a-f]{16}:[A-Za-z0-9_-]{43}$/);
      // Neither the key nor a MAC made with it raw is in the file.
      expect(text).not.toContain(TEST_FINGERPRINT_KEY);
      const back = parsePlan(text, 'p', { keys });
      expect(back.diagnostics).toEqual([]);
      expect(back.plan).toEqual(sample());
    });

    it('does not depend on key order or pretty-printing', () => {
      const doc = JSON.parse(serializePlan(sample(), { keys })) as Record<string, unknown>;
      const reordered = Object.fromEntries(Object.entries(doc).reverse());
      expect(parsePlan(JSON.stringify(reordered), 'p', { keys }).diagnostics).toEqual([]);
    });

    it('refuses any edit whose checksum was recomputed', async () => {
      const { createHash } = await import('node:crypto');
      const doc = JSON.parse(serializePlan(sample(), { keys })) as { checksum: string; plan: { changes: Array<{ requests: number }> } };
      doc.plan.changes[0]!.requests += 1;
      doc.checksum = 'sha256:' + createHash('sha256').update(JSON.stringify(doc.plan)).digest('hex');
      const r = parsePlan(JSON.stringify(doc), 'p', { keys });
      expect(r.plan).toBeUndefined();
      expect(r.diagnostics[0]?.code).toBe('plan-file-modified');
    });

    it('checks with a previous key (rotation), refuses an unknown key, a stripped signature, and a signed file without a key', () => {
      const text = serializePlan(sample(), { keys });
      expect(parsePlan(text, 'p', { keys: { current: other.current, previous: [TEST_FINGERPRINT_KEY] } }).diagnostics).toEqual([]);
      expect(parsePlan(text, 'p', { keys: other }).diagnostics[0]?.code).toBe('plan-file-other-key');
      expect(parsePlan(text, 'p').diagnostics[0]?.code).toBe('plan-file-unverifiable');
      expect(parsePlan(serializePlan(sample()), 'p', { keys }).diagnostics[0]?.code).toBe('plan-file-unsigned');
      expect(parsePlan(serializePlan(sample()), 'p', { keys }).plan).toBeUndefined();
    });

    it('refuses a signature that is not a string, and a malformed account', () => {
      const doc = JSON.parse(serializePlan(sample())) as Record<string, unknown>;
      expect(parsePlan(JSON.stringify({ ...doc, signature: 5 }), 'p').diagnostics[0]?.code).toBe('plan-file-malformed');
      const withAccount = serializePlan({ ...sample(), account: { id: 'x' } as never });
      expect(parsePlan(withAccount, 'p').diagnostics[0]?.message).toMatch(/account must be an object with an id and an email/);
    });
  });

  it('holds fingerprints, never secret values', () => {
    const text = serializePlan(sample());
    expect(text).not.toContain('very-secret');
    expect(text).toMatch(/"fingerprint": "hmac:/);
  });

  it('refuses text that is not JSON', () => {
    const r = parsePlan('{"format": "dynoform-plan", ', 'plan.json');
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'plan-file-malformed', file: 'plan.json' })]);
    expect(r.diagnostics[0]!.message).toMatch(/^not a dynoform plan file: it is not valid JSON/);
    expect(r.diagnostics[0]!.file).toBe('plan.json');
  });

  it('refuses JSON that is not a plan', () => {
    const r = parsePlan('{"hello": 1}', 'x.json');
    expect(r.diagnostics[0]?.code).toBe('plan-file-not-a-plan');
  });

  it('refuses a newer format version, naming both versions', () => {
    const doc = JSON.parse(serializePlan(sample()));
    doc.format_version = 2;
    doc.dynoform_version = '9.0.0';
    const r = parsePlan(JSON.stringify(doc), 'plan.json');
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics[0]?.code).toBe('plan-file-newer');
    expect(r.diagnostics[0]?.message).toMatch(/by dynoform 9\.0\.0 in plan format 2, but this dynoform reads plan format 1 at most/);
  });

  it('refuses an unknown format version', () => {
    const doc = JSON.parse(serializePlan(sample()));
    doc.format_version = 'one';
    expect(parsePlan(JSON.stringify(doc), 'p').diagnostics[0]?.code).toBe('plan-file-malformed');
  });

  it('refuses a plan edited after it was written', () => {
    const doc = JSON.parse(serializePlan(sample()));
    doc.plan.changes[0].op.name = 'someone-else';
    const r = parsePlan(JSON.stringify(doc), 'plan.json');
    expect(r.diagnostics[0]?.code).toBe('plan-file-modified');
  });

  it('refuses a truncated file', () => {
    const text = serializePlan(sample());
    expect(parsePlan(text.slice(0, text.length / 2), 'p').diagnostics[0]?.code).toBe('plan-file-malformed');
  });

  it('refuses a structurally invalid plan even with a matching checksum', async () => {
    const { createHash } = await import('node:crypto');
    const doc = JSON.parse(serializePlan(sample()));
    doc.plan.changes[1].action = 'explode';
    doc.checksum = 'sha256:' + createHash('sha256').update(JSON.stringify(doc.plan)).digest('hex');
    const r = parsePlan(JSON.stringify(doc), 'p');
    expect(r.diagnostics[0]?.code).toBe('plan-file-malformed');
    expect(r.diagnostics[0]?.message).toMatch(/changes\[1\]\.action "explode" is unknown/);
  });
});
