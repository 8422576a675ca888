import { describe, expect, it } from 'vitest';
import { tokenScrubber } from '../../../../src/providers/heroku/scrub.js';

const token = 'HRKU-0123abcd-4567-89ef-token';
const scrub = tokenScrubber(token);
const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('tokenScrubber', () => {
  it('removes the token raw, in any case, URL-encoded, base64 alone and as the password of Basic user:token', () => {
    const forms = [
      token,
      token.toUpperCase(),
      encodeURIComponent(token),
      b64(token),
      Buffer.from(token).toString('base64url'),
      b64(`:${token}`),
      b64(`someone@example.com:${token}`),
      b64(`x:${token}`),
    ];
    for (const form of forms) {
      const out = scrub(`warning: Authorization Basic ${form}, retry later`);
      expect(out, form).not.toContain(form);
      expect(out).toContain('***');
      expect(out.startsWith('warning: Authorization Basic ')).toBe(true);
    }
  });

  it('leaves text without the token alone', () => {
    const text = 'GET /apps/shop failed: 503 unavailable (Request-Id 6a1f0c2e-8b7d-4c3a-9e2f-1b0a9c8d7e6f) ' + b64('hello world, nothing here');
    expect(scrub(text)).toBe(text);
  });
});
