/**
 * Fingerprints of config values and drain URLs, as stored in state and in
 * saved plans instead of the values themselves.
 *
 * - Literal (non-secret) values: `sha256:<hex>`. Cheap; the value is shown in
 *   plans anyway, the fingerprint only detects change.
 * - Secret values (from `${env:…}`): `scrypt:<base64url>`, a memory-hard,
 *   deliberately slow KDF salted with the state lineage. A leaked plan or
 *   state file then does not give away a low-entropy secret by offline
 *   guessing: each guess costs one scrypt call (~10 ms and 4 MiB on our CI
 *   machines) instead of one SHA-256 (nanoseconds on a GPU), and the salt
 *   defeats precomputed tables across states.
 *
 * Parameters: N = 2^12, r = 8, p = 1, 32-byte key. Measured on the 2-core CI
 * machine (Node 20): N=2^12 → 10.6 ms, 2^13 → 20.8 ms, 2^14 → 40.8 ms per
 * call; 2^12 is the largest that stays inside the 5–15 ms budget, which keeps
 * a plan with hundreds of secrets quick (scrypt runs on the libuv pool, so
 * `prepare` uses all cores). Changing them would change every secret
 * fingerprint: use a new prefix (`scrypt2:`) then, never new numbers under
 * the old one.
 */
import * as crypto from 'node:crypto';
import { createHash, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const LITERAL_PREFIX = 'sha256:';
export const SECRET_PREFIX = 'scrypt:';

const SCRYPT_KEYLEN = 32;
export const SCRYPT_PARAMS: Readonly<Required<Pick<ScryptOptions, 'N' | 'r' | 'p'>>> = { N: 2 ** 12, r: 8, p: 1 };
// 128 * N * r bytes are needed; leave headroom over Node's 32 MiB default check.
const SCRYPT_MAXMEM = 64 * 1024 * 1024;

/** The salt for secret fingerprints of a state: ties them to its lineage. */
export function saltForLineage(lineage: string): string {
  return `dynoform:${lineage}`;
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

/** `scrypt:` + base64url key, salted (use `saltForLineage(lineage)`). About 10 ms of CPU, off the main thread. */
export function fingerprintSecret(value: string, salt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    scrypt(value, salt, SCRYPT_KEYLEN, { ...SCRYPT_PARAMS, maxmem: SCRYPT_MAXMEM }, (err, key) => {
      if (err) reject(err);
      else resolve(SECRET_PREFIX + key.toString('base64url'));
    });
  });
}

export interface FingerprintInput {
  value: string;
  secret: boolean;
}

/**
 * Precomputes slow fingerprints so that pure code (the planner, inventory
 * updates) can ask for them synchronously. The CLI calls `prepare` with every
 * secret value it loaded, then hands `sync` around.
 */
export interface Fingerprinter {
  readonly salt: string;
  /** Computes the fingerprints of all secret values concurrently (libuv pool); literals are cheap and need no preparing. */
  prepare(values: readonly FingerprintInput[]): Promise<void>;
  /** The fingerprint of a value; throws an internal error for a secret that was not prepared. */
  sync(value: string, secret: boolean): string;
  /**
   * True when `fingerprint` is the fingerprint of `value`. The scheme is taken
   * from the fingerprint, so a value that moved from literal to secret (or
   * back) unchanged still matches and causes no needless release.
   */
  matches(value: string, secret: boolean, fingerprint: string): boolean;
}

/** Thrown when pure code asks for a secret fingerprint nobody prepared: a bug in the caller, not a user mistake. */
export class FingerprintNotPreparedError extends Error {
  constructor() {
    super('internal error: the fingerprint of a secret value was requested before Fingerprinter.prepare() computed it');
    this.name = 'FingerprintNotPreparedError';
  }
}

export function createFingerprinter(salt: string): Fingerprinter {
  // Keyed by value: the values are in memory anyway (they come from the environment).
  const secrets = new Map<string, string>();
  const pending = new Map<string, Promise<string>>();
  const literals = new Map<string, string>();

  const literal = (value: string): string => {
    let fp = literals.get(value);
    if (fp === undefined) {
      fp = fingerprintLiteral(value);
      literals.set(value, fp);
    }
    return fp;
  };

  const secret = (value: string): string => {
    const fp = secrets.get(value);
    if (fp === undefined) throw new FingerprintNotPreparedError();
    return fp;
  };

  return {
    salt,
    async prepare(values) {
      const jobs: Promise<string>[] = [];
      for (const { value, secret: isSecret } of values) {
        if (!isSecret) continue;
        if (secrets.has(value)) continue;
        let job = pending.get(value);
        if (!job) {
          job = fingerprintSecret(value, salt).then((fp) => {
            secrets.set(value, fp);
            pending.delete(value);
            return fp;
          });
          pending.set(value, job);
        }
        jobs.push(job);
      }
      await Promise.all(jobs);
    },
    sync(value, isSecret) {
      return isSecret ? secret(value) : literal(value);
    },
    matches(value, isSecret, fingerprint) {
      let mine: string;
      if (fingerprint.startsWith(LITERAL_PREFIX)) mine = literal(value);
      else if (fingerprint.startsWith(SECRET_PREFIX)) {
        if (!isSecret && !secrets.has(value)) {
          // A value that was secret and is now a literal: nobody prepares
          // literals, and this transition is rare, so pay ~10 ms here once.
          secrets.set(value, SECRET_PREFIX + scryptSync(value, salt, SCRYPT_KEYLEN, { ...SCRYPT_PARAMS, maxmem: SCRYPT_MAXMEM }).toString('base64url'));
        }
        mine = secret(value);
      } else return false;
      const a = Buffer.from(mine);
      const b = Buffer.from(fingerprint);
      // Constant time: cheap, and fingerprints of secrets deserve it.
      return a.length === b.length && timingSafeEqual(a, b);
    },
  };
}
