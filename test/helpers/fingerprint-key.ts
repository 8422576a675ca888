import { createFingerprinter, type Fingerprinter } from '../../src/util/fingerprint.js';

/** The fingerprint key the test worlds run with, as a CI job would have DYNOFORM_FINGERPRINT_KEY set. */
export const TEST_FINGERPRINT_KEY = 'test-fingerprint-key-0123456789abcdef';

/** A fingerprinter keyed like the test worlds' dynoform runs (legacy `scrypt:` comparisons with the given salt). */
export function testFingerprinter(legacySalt?: string): Fingerprinter {
  return createFingerprinter({ keys: { current: TEST_FINGERPRINT_KEY }, ...(legacySalt !== undefined ? { legacySalt } : {}) });
}
