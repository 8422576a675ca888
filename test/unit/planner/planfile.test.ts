import { describe, expect, it } from 'vitest';
import { parsePlan, serializePlan } from '../../../src/planner/index.js';
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
    expect(back.diagnostics).toEqual([]);
    expect(back.plan).toEqual(p);
    expect(serializePlan(back.plan!)).toBe(text);
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
