/**
 * The signature of a saved plan file: HMAC-SHA256 over the file's canonical
 * content, keyed with a sub-key derived (HKDF) from the fingerprint key.
 * The fingerprint key itself never keys anything but fingerprints, so a MAC
 * of one kind can never be passed off as the other.
 *
 * Format: `hmac-sha256:<key id>:<base64url mac>`. The key id names the
 * sub-key (a MAC of a constant), so a plan signed before a rotation is
 * checked with the previous key rather than read as forged.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { FingerprintKeys } from './fingerprint.js';

export const SIGNATURE_PREFIX = 'hmac-sha256:';

interface SigningKey {
  id: string;
  secret: Buffer;
}

function signingKey(fingerprintKey: string): SigningKey {
  const secret = Buffer.from(hkdfSync('sha256', Buffer.from(fingerprintKey, 'utf8'), 'dynoform', 'dynoform plan-file signature v1', 32));
  const id = createHmac('sha256', secret).update('dynoform plan signing key id').digest('hex').slice(0, 16);
  return { id, secret };
}

/**
 * JSON with object keys sorted at every level: the signed bytes do not
 * depend on how the file was pretty-printed or its keys reordered.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function macOf(key: SigningKey, content: string): string {
  return createHmac('sha256', key.secret).update(content, 'utf8').digest('base64url');
}

/** Signs with the current key. */
export function signContent(content: string, keys: FingerprintKeys): string {
  const key = signingKey(keys.current);
  return `${SIGNATURE_PREFIX}${key.id}:${macOf(key, content)}`;
}

export type SignatureCheck = 'valid' | 'invalid' | 'unknown-key';

/** Checks a signature with the current or a previous key; `unknown-key` when none of them made it. */
export function checkSignature(content: string, signature: string, keys: FingerprintKeys): SignatureCheck {
  if (!signature.startsWith(SIGNATURE_PREFIX)) return 'invalid';
  const parts = signature.slice(SIGNATURE_PREFIX.length).split(':');
  if (parts.length !== 2) return 'invalid';
  const [id, expected] = parts as [string, string];
  const key = [keys.current, ...(keys.previous ?? [])].map(signingKey).find((k) => k.id === id);
  if (!key) return 'unknown-key';
  const mine = Buffer.from(macOf(key, content));
  const theirs = Buffer.from(expected);
  return mine.length === theirs.length && timingSafeEqual(mine, theirs) ? 'valid' : 'invalid';
}
