import { maskUrlUserinfo } from '../util/mask.js';

/**
 * Pure: which values an import writes as `${env:…}` references rather than
 * as literals. A literal lands in Git and in every plan, so the rule leans
 * towards "secret": a false positive costs one environment variable, a
 * false negative leaks a credential. docs/import.md documents the rule.
 */

/** Key patterns (case-insensitive, `*` = any run of characters) that mark a value as secret. */
export const DEFAULT_SECRET_KEY_PATTERNS: readonly string[] = [
  '*_KEY',
  '*_KEYS',
  '*API_KEY*',
  '*ACCESS_KEY*',
  '*PRIVATE_KEY*',
  '*TOKEN*',
  '*SECRET*',
  '*PASSWORD*',
  '*PASSWD*',
  '*_PASS',
  '*_PWD',
  '*CREDENTIAL*',
  '*_DSN',
  '*_SALT',
  '*_AUTH',
];

export interface SecretRule {
  /** The patterns in force, defaults first, as the user would write them. */
  readonly keyPatterns: readonly string[];
  readonly compiled: readonly RegExp[];
}

export type SecretReason =
  | { kind: 'key'; pattern: string }
  | { kind: 'url-credentials' }
  | { kind: 'private-key' }
  | { kind: 'token-format' }
  | { kind: 'entropy' };

/** A key pattern as `--secret-keys` takes it: letters, digits, `_`, and `*` wildcards. */
const PATTERN = /^[A-Za-z0-9_*]+$/;

export interface SecretRuleResult {
  rule?: SecretRule;
  /** One message per bad pattern, naming it. */
  errors: string[];
}

/**
 * The default patterns plus the user's own (`--secret-keys`, repeatable and
 * comma-separated). A bad pattern is an error, not silently dropped: a typo
 * would otherwise write the very secret the user meant to protect.
 */
export function secretRule(extra: readonly string[] = []): SecretRuleResult {
  const added = extra.flatMap((e) => e.split(',')).map((p) => p.trim());
  const errors: string[] = [];
  for (const p of added) {
    if (p === '') errors.push('--secret-keys: an empty pattern (a stray comma?)');
    else if (!PATTERN.test(p)) errors.push(`--secret-keys: ${JSON.stringify(p)} is not a key pattern (letters, digits, _ and * wildcards, e.g. *_CERT or LICENSE*)`);
  }
  if (errors.length > 0) return { errors };
  const keyPatterns = [...new Set([...DEFAULT_SECRET_KEY_PATTERNS, ...added.map((p) => p.toUpperCase())])];
  return { rule: { keyPatterns, compiled: keyPatterns.map(globToRegExp) }, errors: [] };
}

/** The rule with only the default patterns. */
export const DEFAULT_SECRET_RULE: SecretRule = secretRule().rule!;

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map(escapeRegExp).join('.*')}$`, 'i');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Why this config value must not be written as a literal, or undefined when a literal is fine. */
export function secretReason(rule: SecretRule, key: string, value: string): SecretReason | undefined {
  const i = rule.compiled.findIndex((re) => re.test(key));
  if (i >= 0) return { kind: 'key', pattern: rule.keyPatterns[i]! };
  return valueSecretReason(value);
}

/** The value-only half of the rule: for values without a key (drain URLs). */
export function valueSecretReason(value: string): SecretReason | undefined {
  if (hasUrlCredentials(value)) return { kind: 'url-credentials' };
  if (/-----BEGIN [A-Z ]*(?:PRIVATE KEY|CERTIFICATE)-----/.test(value)) return { kind: 'private-key' };
  if (KNOWN_TOKEN.test(value.trim())) return { kind: 'token-format' };
  if (looksRandom(value)) return { kind: 'entropy' };
  return undefined;
}

/**
 * Formats of well-known credentials, recognisable even when short: GitHub,
 * Stripe, Slack, AWS access keys, Google API keys, GitLab, npm, JWTs.
 */
const KNOWN_TOKEN = /^(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|[sr]k_(?:live|test)_\w+|xox[abposr]-[\w-]+|AKIA[0-9A-Z]{16}|AIza[\w-]{30,}|glpat-[\w-]{20,}|npm_[A-Za-z0-9]{30,}|eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*)$/;

/** Any `scheme://` URL in the value with a userinfo part or a token-like query parameter. */
export function hasUrlCredentials(value: string): boolean {
  const urls = value.match(/[a-z][a-z0-9+.-]*:\/\/[^\s'"<>`,;]+/gi) ?? [];
  return urls.some((u) => maskUrlUserinfo(u) !== u);
}

/** Shannon entropy of the characters of s, in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * A token that looks generated rather than written: one word of at least
 * 20 characters from a key alphabet (hex, base64, base64url), mixing
 * letters and digits, whose characters are nearly as spread out as random
 * ones would be. Hex of 32+ digits (UUIDs, hashes, Heroku API keys)
 * always counts. Words, paths, versions and host names stay literals.
 */
export function looksRandom(value: string): boolean {
  const v = value.trim();
  const hex = v.replace(/-/g, '');
  if (/^[0-9a-f]{32,}$/i.test(hex) && /[0-9]/.test(hex) && /[a-f]/i.test(hex)) return true;
  if (v.length < 20 || !/^[A-Za-z0-9+/=_.-]+$/.test(v)) return false;
  if (!/[0-9]/.test(v) || !/[A-Za-z]/.test(v)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(v)).length;
  if (classes < 3 && !/^[0-9a-z]+$/i.test(v)) return false;
  // Random text of n characters drawn from an alphabet of 64 reaches at most log2(min(n, 64)) bits per character.
  const ceiling = Math.log2(Math.min(v.length, 64));
  const h = entropy(v);
  if (h < 0.75 * ceiling) return false;
  // Written text changes between lower case, upper case, digits and punctuation
  // once a word (ThisIsAName2); random text at almost every other character.
  return classChanges(v) >= 0.45 || h >= 0.9 * ceiling;
}

function classChanges(v: string): number {
  const cls = (c: string) => (/[a-z]/.test(c) ? 0 : /[A-Z]/.test(c) ? 1 : /[0-9]/.test(c) ? 2 : 3);
  let changes = 0;
  for (let i = 1; i < v.length; i++) if (cls(v[i]!) !== cls(v[i - 1]!)) changes += 1;
  return changes / (v.length - 1);
}

/** Words for the list of variables to set: why a value became a reference. */
export function describeSecretReason(r: SecretReason): string {
  switch (r.kind) {
    case 'key':
      return `key matches ${r.pattern}`;
    case 'url-credentials':
      return 'a URL with credentials';
    case 'private-key':
      return 'a PEM key or certificate';
    case 'token-format':
      return 'has the format of a known token';
    case 'entropy':
      return 'looks like a generated token';
  }
}

/**
 * The environment variable an app's value is read from: the app name upper-
 * cased (`-` → `_`), two underscores, then the key. The double underscore
 * keeps every name apart from shell, CI and tool variables: with one, an
 * app called `aws` would read its SECRET_ACCESS_KEY from the user's own
 * AWS_SECRET_ACCESS_KEY, and `github`'s TOKEN from GITHUB_TOKEN.
 */
export function envNameFor(appName: string, key: string): string {
  return `${envPrefix(appName)}__${key.toUpperCase().replace(/[^A-Z0-9_]+/g, '_')}`;
}

export function envPrefix(appName: string): string {
  return appName.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}
