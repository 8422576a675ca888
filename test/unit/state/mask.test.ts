import { describe, expect, it } from 'vitest';
import { maskUrlUserinfo, maskUrlsInText, redact } from '../../../src/util/mask.js';

describe('maskUrlUserinfo', () => {
  it.each([
    ['https://user:pass@logs.example.com/ingest', 'https://***@logs.example.com/ingest'],
    ['https://token@logs.example.com', 'https://***@logs.example.com'],
    ['syslog+tls://logs.example.com:6514', 'syslog+tls://logs.example.com:6514'],
    ['https://u:p@ss@host/x', 'https://***@host/x'],
    ['https://host/x?token=abc&a=1', 'https://host/x?token=***&a=1'],
    ['https://host/x?API_KEY=abc&password=p&client_secret=s&Authorization=z&sig=q', 'https://host/x?API_KEY=***&password=***&client_secret=***&Authorization=***&sig=***'],
    ['postgres://me:pw@db:5432/x?sslmode=require&state=prod', 'postgres://***@db:5432/x?sslmode=require&state=prod'],
    ['https://host/x?a=1#frag', 'https://host/x?a=1#frag'],
    ['https://host/path@notuserinfo', 'https://host/path@notuserinfo'],
    ['not a url', 'not a url'],
  ])('%s → %s', (input, expected) => {
    expect(maskUrlUserinfo(input)).toBe(expected);
    // Idempotent: a masked URL is used inside addresses.
    expect(maskUrlUserinfo(expected)).toBe(expected);
  });
});

describe('maskUrlsInText and redact', () => {
  it('masks URLs inside messages', () => {
    expect(maskUrlsInText('failed to reach postgres://a:b@h/db: refused')).toBe('failed to reach postgres://***@h/db: refused');
  });

  it('removes secrets in raw, decoded and encoded forms', () => {
    const pw = 'p@ss w%rd';
    const enc = encodeURIComponent(pw);
    const out = redact(`bad ${pw} and ${enc} here`, [enc]);
    expect(out).not.toContain(pw);
    expect(out).not.toContain(enc);
    expect(out).toContain('***');
  });
});
