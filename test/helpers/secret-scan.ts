import { expect } from 'vitest';

/**
 * The forms a secret may leak in: as is, in any letter case, percent-encoded,
 * JSON-escaped and base64. Every text is searched case-insensitively.
 */
export function secretForms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), Buffer.from(secret).toString('base64')])].map((f) => f.toLowerCase());
}

/** Names of the (label, secret) pairs found in any of the texts; empty when nothing leaked. */
export function leaks(texts: Record<string, string>, secrets: readonly string[]): string[] {
  const out: string[] = [];
  for (const [label, text] of Object.entries(texts)) {
    const lower = text.toLowerCase();
    for (const s of secrets) for (const f of secretForms(s)) if (lower.includes(f)) out.push(`${label} holds ${JSON.stringify(s.slice(0, 3) + '…')} (as ${f === s.toLowerCase() ? 'is' : 'an encoded form'})`);
  }
  return out;
}

export function expectNoLeak(texts: Record<string, string>, secrets: readonly string[]): void {
  expect(leaks(texts, secrets)).toEqual([]);
}
