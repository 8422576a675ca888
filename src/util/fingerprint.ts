/**
 * Fingerprints of config values and drain URLs, as stored in state and in
 * saved plans instead of the values themselves.
 *
 * - Literal values (written in the YAML, shown in every plan): `sha256:<hex>`.
 *   Cheap; the value is public anyway, the fingerprint only detects change.
 * - Secret values (from `${env:…}`, or anything that may be one):
 *   `hmac:<key id>:<salt>:<mac>`, an HMAC-SHA256 keyed with the fingerprint
 *   key (DYNOFORM_FINGERPRINT_KEY) over a random per-value salt and the value.
 *   The key is never in the state, the plan or the repository, so a reader of
 *   those files cannot confirm a single guess offline, however short the
 *   secret; the per-value salt makes equal secrets look unrelated. The key id
 *   (a MAC of a constant, not the key) says which key made a fingerprint, so a
 *   rotated-out key is recognised rather than read as "changed".
 * - Without a key a secret is recorded as `unkeyed:`: nothing about the value
 *   at all. It cannot be compared later, and plan and drift say so.
 * - `scrypt:<base64url>`: what states written before keyed fingerprints hold
 *   (scrypt salted with the state lineage; a reader with the file can still
 *   test guesses against them, slowly). They are compared as before, and a
 *   plan made with a key re-records each one under the key (docs/security.md).
 *
 * Guards for writes the API gave no ETag for (`guard()`) are keyed the same
 * way; without a configured key they use a key that lives only in this
 * process, so an in-process plan + apply is guarded and a saved plan applied
 * elsewhere is refused rather than written blind.
 */
import * as crypto from 'node:crypto';
import { createHash, createHmac, randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const LITERAL_PREFIX = 'sha256:';
/** Secret fingerprints of states written before keyed fingerprints. */
export const LEGACY_SECRET_PREFIX = 'scrypt:';
export const KEYED_PREFIX = 'hmac:';
/** A secret recorded without a fingerprint key: carries nothing, compares with nothing. */
export const UNKEYED = 'unkeyed:';
/** A guard over live values (no ETag): `gk:<key id>:<salt>:<mac>`. */
export const GUARD_PREFIX = 'gk:';

const SCRYPT_KEYLEN = 32;
export const SCRYPT_PARAMS: Readonly<Required<Pick<ScryptOptions, 'N' | 'r' | 'p'>>> = { N: 2 ** 12, r: 8, p: 1 };
// 128 * N * r bytes are needed; leave headroom over Node's 32 MiB default check.
const SCRYPT_MAXMEM = 64 * 1024 * 1024;

/** Environment variables that provide the key, and the key being rotated out. */
export const KEY_ENV = 'DYNOFORM_FINGERPRINT_KEY';
export const PREVIOUS_KEY_ENV = 'DYNOFORM_FINGERPRINT_KEY_PREVIOUS';
/** 32 characters: `openssl rand -base64 32` gives 44. Shorter keys are refused, not padded. */
export const MIN_KEY_LENGTH = 32;

export interface FingerprintKeys {
  /** Fingerprints new values and guards. */
  current: string;
  /** Keys whose fingerprints are still recognised (rotation); never used for new ones. */
  previous?: string[];
}

/** The legacy salt of a state: ties its `scrypt:` fingerprints to its lineage. */
export function saltForLineage(lineage: string): string {
  return `dynoform:${lineage}`;
}

/** True when an inventory-like value holds `scrypt:` fingerprints (so comparing them needs the slow KDF). */
export function hasLegacyFingerprints(fingerprints: Iterable<string>): boolean {
  for (const f of fingerprints) if (f.startsWith(LEGACY_SECRET_PREFIX)) return true;
  return false;
}

/** The keys from the environment, or why they are unusable (one message, naming the variable; never the key). */
export function keysFromEnv(env: Readonly<Record<string, string | undefined>>): { keys?: FingerprintKeys; error?: string } {
  const current = env[KEY_ENV];
  const previous = (env[PREVIOUS_KEY_ENV] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (current === undefined || current === '') {
    if (previous.length > 0) return { error: `${PREVIOUS_KEY_ENV} is set but ${KEY_ENV} is not: set the new key in ${KEY_ENV} too` };
    return {};
  }
  for (const [name, k] of [[KEY_ENV, current], ...previous.map((p) => [PREVIOUS_KEY_ENV, p] as const)] as const) {
    if (k.length < MIN_KEY_LENGTH) {
      return { error: `${name} is too short (${k.length} characters; at least ${MIN_KEY_LENGTH}): make one with \`openssl rand -base64 32\`` };
    }
  }
  return { keys: { current, ...(previous.length > 0 ? { previous } : {}) } };
}

/** `sha256:` + hex digest. For values that are not secret. */
export function fingerprintLiteral(value: string): string {
  return LITERAL_PREFIX + sha256Hex(value);
}

// crypto.hash (Node >= 20.12) is about 2.5x faster than createHash for short
// values; planning 200,000 config values spends most of its time here.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const sha256Hex: (value: string) => string = oneShot
  ? (value) => oneShot('sha256', value, 'hex')
  : (value) => createHash('sha256').update(value, 'utf8').digest('hex');

/** The legacy `scrypt:` fingerprint (states written before keyed fingerprints). About 10 ms of CPU, off the main thread. */
export function fingerprintSecret(value: string, salt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    scrypt(value, salt, SCRYPT_KEYLEN, { ...SCRYPT_PARAMS, maxmem: SCRYPT_MAXMEM }, (err, key) => {
      if (err) reject(err);
      else resolve(LEGACY_SECRET_PREFIX + key.toString('base64url'));
    });
  });
}

export interface FingerprintInput {
  value: string;
  secret: boolean;
}

/** `same` / `different`, or `unknown` when the fingerprint cannot be checked here (no key, another key, no legacy salt). */
export type Comparison = 'same' | 'different' | 'unknown';

/**
 * Fingerprints values and compares values with recorded fingerprints. Pure
 * code (planner, drift, inventory updates) is handed one; it holds the key,
 * which never leaves it.
 */
export interface Fingerprinter {
  /** True when a fingerprint key is configured: secrets get comparable fingerprints. */
  readonly keyed: boolean;
  /** Precomputes legacy `scrypt:` fingerprints (libuv pool) when the state still holds some; otherwise nothing to do. */
  prepare(values: readonly FingerprintInput[]): Promise<void>;
  /** A fresh fingerprint: literal → `sha256:`, secret → `hmac:` with a new salt (or `unkeyed:` without a key). */
  sync(value: string, secret: boolean): string;
  compare(value: string, secret: boolean, fingerprint: string): Comparison;
  /** compare() === 'same'. The scheme is taken from the fingerprint, so a value that moved between literal and secret unchanged still matches. */
  matches(value: string, secret: boolean, fingerprint: string): boolean;
  /** False when compare() can only say `unknown` for this fingerprint (recorded without a key, under an unknown key, or legacy without the lineage salt). */
  canCompare(fingerprint: string): boolean;
  /** True when the fingerprint is in today's form under today's key (a literal, or `hmac:` with the current key): nothing to re-record. */
  isCurrent(fingerprint: string): boolean;
  /** A keyed, salted digest of live values (absent ones included), for writes the API gave no ETag for. */
  guard(fields: Readonly<Record<string, string | undefined>>): string;
  checkGuard(fields: Readonly<Record<string, string | undefined>>, guard: string): Comparison;
}

interface Key {
  id: string;
  secret: Buffer;
}

function makeKey(secret: string | Buffer): Key {
  const buf = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  // The id is a MAC of a constant: it names the key without giving anything about it away.
  const id = createHmac('sha256', buf).update('dynoform fingerprint key id').digest('hex').slice(0, 16);
  return { id, secret: buf };
}

function mac(key: Key, salt: string, text: string): string {
  return createHmac('sha256', key.secret).update(salt).update('\0').update(text, 'utf8').digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // Constant time: cheap, and fingerprints of secrets deserve it.
  return x.length === y.length && timingSafeEqual(x, y);
}

function canonical(fields: Readonly<Record<string, string | undefined>>): string {
  return JSON.stringify(Object.keys(fields).sort().map((k) => [k, fields[k] ?? null]));
}

export interface FingerprinterOptions {
  keys?: FingerprintKeys;
  /** `saltForLineage(lineage)`, needed only while the state holds legacy `scrypt:` fingerprints. */
  legacySalt?: string;
}

export function createFingerprinter(options: FingerprinterOptions = {}): Fingerprinter {
  const current = options.keys ? makeKey(options.keys.current) : undefined;
  const known = new Map<string, Key>();
  if (current) known.set(current.id, current);
  for (const p of options.keys?.previous ?? []) {
    const k = makeKey(p);
    if (!known.has(k.id)) known.set(k.id, k);
  }
  // Guards need a key even when none is configured: one that dies with this process.
  const guardKey = current ?? makeKey(randomBytes(32));
  const legacySalt = options.legacySalt;
  const legacy = new Map<string, string>();
  const literals = new Map<string, string>();

  const literal = (value: string): string => {
    let fp = literals.get(value);
    if (fp === undefined) {
      fp = fingerprintLiteral(value);
      literals.set(value, fp);
    }
    return fp;
  };

  const keyed = (key: Key, value: string): string => {
    const salt = randomBytes(16).toString('base64url');
    return `${KEYED_PREFIX}${key.id}:${salt}:${mac(key, salt, value)}`;
  };

  /** `hmac:`/`gk:` fingerprints: prefix, key id, salt, mac. */
  const checkKeyed = (prefix: string, fingerprint: string, text: string): Comparison => {
    const parts = fingerprint.slice(prefix.length).split(':');
    if (parts.length !== 3) return 'different';
    const [id, salt, expected] = parts as [string, string, string];
    const key = known.get(id) ?? (id === guardKey.id ? guardKey : undefined);
    if (!key) return 'unknown';
    return sameText(mac(key, salt, text), expected) ? 'same' : 'different';
  };

  const legacyOf = (value: string): string | undefined => {
    if (legacySalt === undefined) return undefined;
    let fp = legacy.get(value);
    if (fp === undefined) {
      // Rare (a state not yet re-keyed, a value nobody prepared): pay ~10 ms here once.
      fp = LEGACY_SECRET_PREFIX + scryptSync(value, legacySalt, SCRYPT_KEYLEN, { ...SCRYPT_PARAMS, maxmem: SCRYPT_MAXMEM }).toString('base64url');
      legacy.set(value, fp);
    }
    return fp;
  };

  const compare = (value: string, _secret: boolean, fingerprint: string): Comparison => {
    if (fingerprint.startsWith(LITERAL_PREFIX)) return sameText(literal(value), fingerprint) ? 'same' : 'different';
    if (fingerprint.startsWith(KEYED_PREFIX)) return checkKeyed(KEYED_PREFIX, fingerprint, value);
    if (fingerprint.startsWith(UNKEYED)) return 'unknown';
    if (fingerprint.startsWith(LEGACY_SECRET_PREFIX)) {
      const mine = legacyOf(value);
      return mine === undefined ? 'unknown' : sameText(mine, fingerprint) ? 'same' : 'different';
    }
    return 'different';
  };

  return {
    keyed: current !== undefined,
    async prepare(values) {
      if (legacySalt === undefined) return;
      const jobs: Promise<void>[] = [];
      const seen = new Set<string>();
      for (const { value, secret } of values) {
        if (!secret || legacy.has(value) || seen.has(value)) continue;
        seen.add(value);
        jobs.push(fingerprintSecret(value, legacySalt).then((fp) => void legacy.set(value, fp)));
      }
      await Promise.all(jobs);
    },
    sync(value, secret) {
      if (!secret) return literal(value);
      return current ? keyed(current, value) : UNKEYED;
    },
    compare,
    matches: (value, secret, fingerprint) => compare(value, secret, fingerprint) === 'same',
    canCompare: (fingerprint) => compare('', false, fingerprint) !== 'unknown',
    isCurrent(fingerprint) {
      if (fingerprint.startsWith(LITERAL_PREFIX)) return true;
      return current !== undefined && fingerprint.startsWith(`${KEYED_PREFIX}${current.id}:`);
    },
    guard(fields) {
      const salt = randomBytes(16).toString('base64url');
      return `${GUARD_PREFIX}${guardKey.id}:${salt}:${mac(guardKey, salt, canonical(fields))}`;
    },
    checkGuard(fields, guard) {
      if (!guard.startsWith(GUARD_PREFIX)) return 'different';
      return checkKeyed(GUARD_PREFIX, guard, canonical(fields));
    },
  };
}
