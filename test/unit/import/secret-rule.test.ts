import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SECRET_RULE,
  describeSecretReason,
  envNameFor,
  hasUrlCredentials,
  looksRandom,
  secretReason,
  secretRule,
  valueSecretReason,
} from '../../../src/import/secret-rule.js';

const why = (key: string, value: string) => {
  const r = secretReason(DEFAULT_SECRET_RULE, key, value);
  return r ? describeSecretReason(r) : 'literal';
};

describe('the import secret rule', () => {
  it('keeps ordinary settings literal (the RAILS_ENV case of #15)', () => {
    const plain: Record<string, string> = {
      RAILS_ENV: 'production',
      NODE_ENV: 'staging',
      LOG_LEVEL: 'info',
      WEB_CONCURRENCY: '2',
      QUEUE_NAMES: 'default,mailers',
      RAILS_LOG_TO_STDOUT: 'enabled',
      TZ: 'Europe/Amsterdam',
      APP_VERSION: 'v1.2.3-build-20240101',
      START_SCRIPT: '/app/bin/start-web-server.sh',
      RELEASE: 'release-2024-01-15-hotfix3',
      SITE_URL: 'https://www.example.com/path?page=2',
      BANNER: 'ThisIsAnOrdinarySentence2',
      EMPTY: '',
      KEYBOARD: 'us',
    };
    for (const [k, v] of Object.entries(plain)) expect(`${k}: ${why(k, v)}`).toBe(`${k}: literal`);
  });

  it('marks keys by the documented patterns, case-insensitively, whatever the value', () => {
    expect(why('STRIPE_SECRET_KEY', 'x')).toBe('key matches *_KEY');
    expect(why('SESSION_SECRET', 'x')).toBe('key matches *SECRET*');
    expect(why('ADMIN_PASSWORD', 'x')).toBe('key matches *PASSWORD*');
    expect(why('GITHUB_TOKEN_RO', 'x')).toBe('key matches *TOKEN*');
    expect(why('sentry_dsn', 'x')).toBe('key matches *_DSN');
    expect(why('SMTP_PASS', 'x')).toBe('key matches *_PASS');
    expect(why('GOOGLE_CREDENTIALS', '{}')).toBe('key matches *CREDENTIAL*');
    expect(why('BASIC_AUTH', 'a:b')).toBe('key matches *_AUTH');
  });

  it('marks values: URLs with credentials, PEM blocks, known token formats, random-looking tokens', () => {
    expect(why('UPSTREAM', 'postgres://user:pw@db.example.com:5432/x')).toBe('a URL with credentials');
    expect(why('HOOK', 'https://hooks.example.com/in?token=abc')).toBe('a URL with credentials');
    expect(why('UPSTREAMS', 'redis://a.example.com, redis://:pw@b.example.com')).toBe('a URL with credentials');
    expect(why('CERT_CHAIN', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----')).toBe('a PEM key or certificate');
    expect(why('GH', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a')).toBe('has the format of a known token');
    expect(why('STRIPE', 'sk_live_51H8ZxAbCdEf')).toBe('has the format of a known token');
    expect(why('AWS_ID', 'AKIAIOSFODNN7EXAMPLE')).toBe('has the format of a known token');
    expect(why('JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc123DEF')).toBe('has the format of a known token');
    expect(why('HEROKU_ID', '3f0c9a2e-1b7d-4c3e-9f00-123456789abc')).toBe('looks like a generated token');
    expect(why('SIGNING', 'q3Zk9PfT1xW0bLm8RvYs2A==')).toBe('looks like a generated token');
    expect(why('RANDOM', 'a8Kd93jfLq0Zp2mN7xYt')).toBe('looks like a generated token');
  });

  it('entropy needs length and mixed character classes: short or word-like text is not random', () => {
    expect(looksRandom('a8Kd93jfLq')).toBe(false); // too short
    expect(looksRandom('heroku-postgresql-essential-0')).toBe(false);
    expect(looksRandom('MyApp-Production-2024-Release')).toBe(false);
    expect(looksRandom('x7Gh2kLp9QwErTy5UiOp')).toBe(true);
    expect(hasUrlCredentials('https://logs.example.com/in')).toBe(false);
    expect(valueSecretReason('syslog+tls://logs.example.com:6514')).toBeUndefined();
  });

  it('--secret-keys adds patterns (repeatable, comma-separated) and refuses malformed ones by name', () => {
    const { rule, errors } = secretRule(['license*', 'X_CERT,*_SIG']);
    expect(errors).toEqual([]);
    expect(rule!.keyPatterns.slice(-3)).toEqual(['LICENSE*', 'X_CERT', '*_SIG']);
    expect(secretReason(rule!, 'LICENSE_NUMBER', '12')).toEqual({ kind: 'key', pattern: 'LICENSE*' });
    expect(secretReason(rule!, 'WEBHOOK_SIG', 'a')).toEqual({ kind: 'key', pattern: '*_SIG' });
    expect(secretReason(rule!, 'X_CERTS', 'a')).toBeUndefined();
    expect(secretRule(['A-B']).errors).toEqual(['--secret-keys: "A-B" is not a key pattern (letters, digits, _ and * wildcards, e.g. *_CERT or LICENSE*)']);
    expect(secretRule(['A,,B']).errors).toEqual(['--secret-keys: an empty pattern (a stray comma?)']);
    expect(secretRule(['(.*)']).rule).toBeUndefined();
  });

  it('env names carry the app as a prefix with a double underscore: no collision with shell or CI variables', () => {
    expect(envNameFor('acme-storefront', 'SESSION_SECRET')).toBe('ACME_STOREFRONT__SESSION_SECRET');
    expect(envNameFor('aws', 'SECRET_ACCESS_KEY')).toBe('AWS__SECRET_ACCESS_KEY');
    expect(envNameFor('github', 'TOKEN')).toBe('GITHUB__TOKEN');
    expect(envNameFor('shop', 'lower_key')).toBe('SHOP__LOWER_KEY');
  });
});
