import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createFingerprinter,
  fingerprintLiteral,
  fingerprintSecret,
  FingerprintNotPreparedError,
  saltForLineage,
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

describe('createFingerprinter', () => {
  it('prepares secrets concurrently, then answers synchronously with the same fingerprints', async () => {
    const fp = createFingerprinter(salt);
    const values = ['a-secret', 'b-secret', 'a-secret', 'c-secret'].map((value) => ({ value, secret: true }));
    await fp.prepare([...values, { value: 'literal', secret: false }]);
    expect(fp.sync('a-secret', true)).toBe(await fingerprintSecret('a-secret', salt));
    expect(fp.sync('c-secret', true)).toBe(await fingerprintSecret('c-secret', salt));
    expect(fp.sync('literal', false)).toBe(fingerprintLiteral('literal'));
    // Literals need no preparing.
    expect(fp.sync('never-prepared-literal', false)).toBe(fingerprintLiteral('never-prepared-literal'));
    expect(fp.salt).toBe(salt);
  });

  it('throws a clear internal error for a secret that was not prepared', async () => {
    const fp = createFingerprinter(salt);
    await fp.prepare([{ value: 'known', secret: true }]);
    expect(() => fp.sync('unknown', true)).toThrow(FingerprintNotPreparedError);
    expect(() => fp.sync('unknown', true)).toThrow(/before Fingerprinter\.prepare\(\)/);
    let message = '';
    try {
      fp.sync('unknown', true);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toContain('unknown');
  });

  it('matches by the scheme of the stored fingerprint', async () => {
    const fp = createFingerprinter(salt);
    await fp.prepare([{ value: 's3cret', secret: true }]);
    const secretFp = fp.sync('s3cret', true);
    expect(fp.matches('s3cret', true, secretFp)).toBe(true);
    expect(fp.matches('other', false, secretFp)).toBe(false);
    // Moved from literal to secret unchanged: still the same value.
    expect(fp.matches('s3cret', true, fingerprintLiteral('s3cret'))).toBe(true);
    // Moved from secret to literal unchanged (computed on demand, once).
    expect(fp.matches('was-secret', false, await fingerprintSecret('was-secret', salt))).toBe(true);
    expect(fp.matches('x', false, 'md5:whatever')).toBe(false);
    expect(fp.matches('x', false, 'x')).toBe(false);
    // A secret nobody prepared is a bug, not a mismatch.
    expect(() => fp.matches('unprepared', true, secretFp)).toThrow(FingerprintNotPreparedError);
  });

  it('concurrent prepares of overlapping values agree', async () => {
    const fp = createFingerprinter(salt);
    const many = Array.from({ length: 8 }, (_, i) => ({ value: `v${i % 2}`, secret: true }));
    await Promise.all([fp.prepare(many), fp.prepare(many.slice(0, 1))]);
    expect(fp.sync('v0', true)).toBe(await fingerprintSecret('v0', salt));
    expect(fp.sync('v1', true)).toBe(await fingerprintSecret('v1', salt));
  });
});
