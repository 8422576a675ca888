import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createFingerprinter,
  fingerprintLiteral,
  fingerprintSecret,
  keysFromEnv,
  saltForLineage,
  UNKEYED,
  SCRYPT_PARAMS,
} from '../../../src/util/fingerprint.js';

const salt = saltForLineage('1b4e28ba-2fa1-11d2-883f-0016d3cca427');

describe('fingerprintLiteral', () => {
  it('is sha256 hex, stable, and not the value', () => {
    const fp = fingerprintLiteral('staging');
    expect(fp).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(fp).toBe(fingerprintLiteral('staging'));
    expect(fp).not.toContain('staging');
    expect(fingerprintLiteral('staging ')).not.toBe(fp);
    // Known vector: sha256("") — guards against hashing something other than the UTF-8 value.
    expect(fingerprintLiteral('')).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('fingerprintSecret', () => {
  it('is scrypt base64url, stable for one salt, different for another, never the plaintext', async () => {
    const a = await fingerprintSecret('hunter2', salt);
    expect(a).toMatch(/^scrypt:[A-Za-z0-9_-]{43}$/);
    expect(a).toBe(await fingerprintSecret('hunter2', salt));
    expect(a).not.toContain('hunter2');
    expect(a).not.toBe(await fingerprintSecret('hunter2', saltForLineage('another-lineage')));
    expect(a).not.toBe(await fingerprintSecret('hunter3', salt));
    expect(a).not.toBe(fingerprintLiteral('hunter2'));
  });

  it('uses a memory-hard cost: 4 MiB per guess, which a smaller memory budget cannot compute', async () => {
    expect(SCRYPT_PARAMS).toEqual({ N: 4096, r: 8, p: 1 });
    expect(128 * SCRYPT_PARAMS.N * SCRYPT_PARAMS.r).toBe(4 * 1024 * 1024);
    expect(() => scryptSync('x', salt, 32, { ...SCRYPT_PARAMS, maxmem: 1024 * 1024 })).toThrow(/memory/i);
    // Figures only (tests never assert durations): the ratio is what an offline guesser pays extra.
    const n = 5;
    let t = performance.now();
    for (let i = 0; i < n; i++) await fingerprintSecret(`pw${i}`, salt);
    const scryptMs = (performance.now() - t) / n;
    t = performance.now();
    for (let i = 0; i < 1000; i++) fingerprintLiteral(`pw${i}`);
    const shaMs = (performance.now() - t) / 1000;
    console.log(`scrypt fingerprint: ${scryptMs.toFixed(2)} ms/call; sha256: ${(shaMs * 1000).toFixed(2)} µs/call; ratio ${(scryptMs / shaMs).toFixed(0)}×`);
  });
});

const KEY = 'k'.repeat(40);
const OTHER = 'o'.repeat(40);

describe('createFingerprinter', () => {
  it('keys secret fingerprints with a per-value salt: equal secrets look unrelated, none contains the value', () => {
    const fp = createFingerprinter({ keys: { current: KEY } });
    const a = fp.sync('hunter2', true);
    const b = fp.sync('hunter2', true);
    expect(a).toMatch(/^hmac:[0-9a-f]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('hunter2');
    expect(fp.matches('hunter2', true, a)).toBe(true);
    expect(fp.matches('hunter2', true, b)).toBe(true);
    expect(fp.matches('hunter3', true, a)).toBe(false);
    expect(fp.sync('literal', false)).toBe(fingerprintLiteral('literal'));
    expect(fp.keyed).toBe(true);
  });

  it('without the key a fingerprint cannot be checked, so a guess cannot be confirmed', () => {
    const recorded = createFingerprinter({ keys: { current: KEY } }).sync('hunter2', true);
    for (const fp of [createFingerprinter(), createFingerprinter({ keys: { current: OTHER } })]) {
      expect(fp.compare('hunter2', true, recorded)).toBe('unknown');
      expect(fp.compare('wrong', true, recorded)).toBe('unknown');
      expect(fp.canCompare(recorded)).toBe(false);
    }
  });

  it('without a key, secrets are recorded as unkeyed: nothing about the value', () => {
    const fp = createFingerprinter();
    expect(fp.keyed).toBe(false);
    expect(fp.sync('hunter2', true)).toBe(UNKEYED);
    expect(fp.compare('hunter2', true, UNKEYED)).toBe('unknown');
  });

  it('recognises fingerprints of a previous key during rotation, and says they are not current', () => {
    const old = createFingerprinter({ keys: { current: OTHER } }).sync('s', true);
    const fp = createFingerprinter({ keys: { current: KEY, previous: [OTHER] } });
    expect(fp.matches('s', true, old)).toBe(true);
    expect(fp.isCurrent(old)).toBe(false);
    expect(fp.isCurrent(fp.sync('s', true))).toBe(true);
    expect(fp.isCurrent(fingerprintLiteral('s'))).toBe(true);
  });

  it('still compares the scrypt fingerprints of older states (with the lineage salt), by the scheme of the stored fingerprint', async () => {
    const fp = createFingerprinter({ keys: { current: KEY }, legacySalt: salt });
    const old = await fingerprintSecret('was-secret', salt);
    await fp.prepare([{ value: 'was-secret', secret: true }]);
    expect(fp.matches('was-secret', true, old)).toBe(true);
    // Moved from secret to literal unchanged: still the same value.
    expect(fp.matches('was-secret', false, old)).toBe(true);
    expect(fp.isCurrent(old)).toBe(false);
    // Moved from literal to secret unchanged.
    expect(fp.matches('s3cret', true, fingerprintLiteral('s3cret'))).toBe(true);
    expect(fp.matches('x', false, 'md5:whatever')).toBe(false);
    expect(fp.matches('x', false, 'x')).toBe(false);
    expect(createFingerprinter({ keys: { current: KEY } }).compare('was-secret', true, old)).toBe('unknown');
  });

  it('guards: keyed digests of live values, checkable by the same key only', () => {
    const fp = createFingerprinter({ keys: { current: KEY } });
    const g = fp.guard({ A: 'x', B: undefined });
    expect(fp.checkGuard({ B: undefined, A: 'x' }, g)).toBe('same');
    expect(fp.checkGuard({ A: 'y', B: undefined }, g)).toBe('different');
    expect(fp.checkGuard({ A: 'x', B: '' }, g)).toBe('different');
    expect(createFingerprinter().checkGuard({ A: 'x', B: undefined }, g)).toBe('unknown');
    // Without a configured key, guards still work within one process.
    const eph = createFingerprinter();
    expect(eph.checkGuard({ A: 'x' }, eph.guard({ A: 'x' }))).toBe('same');
  });
});

describe('keysFromEnv', () => {
  it('reads the key and the keys being rotated out; refuses short keys without echoing them', () => {
    expect(keysFromEnv({})).toEqual({});
    expect(keysFromEnv({ DYNOFORM_FINGERPRINT_KEY: KEY, DYNOFORM_FINGERPRINT_KEY_PREVIOUS: `${OTHER}, ` })).toEqual({ keys: { current: KEY, previous: [OTHER] } });
    const short = keysFromEnv({ DYNOFORM_FINGERPRINT_KEY: 'tooshort' });
    expect(short.error).toMatch(/DYNOFORM_FINGERPRINT_KEY is too short/);
    expect(short.error).not.toContain('tooshort');
    expect(keysFromEnv({ DYNOFORM_FINGERPRINT_KEY_PREVIOUS: OTHER }).error).toMatch(/DYNOFORM_FINGERPRINT_KEY is not/);
  });
});
