import type { DesiredState } from '../model/desired.js';

/**
 * Masking of credentials in URLs (drain URLs, state database URLs) before
 * they reach any output, address, plan or state. Works on the text rather
 * than through `new URL()` so that the rest of the URL stays exactly as
 * written: a masked URL is used inside addresses, which must be stable.
 */

export const MASK = '***';

/** Query parameter names whose values are credentials (matched case-insensitively, anywhere in the name). */
const SENSITIVE_PARAM = /token|key|pass|pwd|secret|auth|sig|credential/i;

/** `scheme://` then the authority up to the first `/`, `?` or `#`. */
const URL_HEAD = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i;

/**
 * Replaces the userinfo of a URL (`user:pass@`) and the values of query
 * parameters named like token/key/password/secret/auth with `***`.
 * Text that is not a URL comes back unchanged.
 *
 *   maskUrlUserinfo('https://u:p@logs.example.com/x?token=abc&a=1')
 *   // → 'https://***@logs.example.com/x?token=***&a=1'
 */
export function maskUrlUserinfo(url: string): string {
  let out = url;
  const head = URL_HEAD.exec(out);
  if (head) {
    const authority = head[2]!;
    // The last `@` ends the userinfo: a password may contain an unencoded `@`.
    const at = authority.lastIndexOf('@');
    if (at >= 0) out = head[1] + MASK + authority.slice(at) + out.slice(head[0].length);
  }
  return maskQuery(out);
}

/**
 * The URL as it may be shown. Credentials in userinfo and in token-like
 * query parameters are always masked; a URL built from `${env:…}` may hide
 * its secret anywhere (e.g. in the path), so its path and query go too.
 */
export function displayDrainUrl(url: string, secret: boolean): string {
  const masked = maskUrlUserinfo(url);
  if (!secret) return masked;
  const head = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(.*)$/i.exec(masked);
  if (!head) return MASK;
  const rest = head[2]!;
  return rest === '' || rest === '/' ? masked : `${head[1]}/${MASK}`;
}

function maskQuery(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const end = hash < 0 ? url.length : hash;
  const query = url.slice(q + 1, end);
  const masked = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = safeDecode(pair.slice(0, eq));
      return SENSITIVE_PARAM.test(name) ? `${pair.slice(0, eq)}=${MASK}` : pair;
    })
    .join('&');
  return url.slice(0, q + 1) + masked + url.slice(end);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Masks every `scheme://…` URL found inside free text (error messages from libraries may echo them). */
export function maskUrlsInText(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s'"<>`]+/gi, (u) => maskUrlUserinfo(u));
}

/**
 * The one redactor every output path goes through: removes each secret as a
 * substring, case-insensitively (a server may echo a value upper-cased), in
 * the forms it may take on the way (as written, percent-encoded and
 * -decoded, JSON-escaped, base64). Secrets are the
 * resolved `${env:…}` values and the values built from them, so
 * `Bearer ${env:TOK}` is safe when a server echoes only the token.
 * Even a very short secret is removed: a garbled message beats a leaked one.
 */
export interface Redactor {
  /** Adds secrets (empty strings are ignored). */
  add(secrets: Iterable<string>): void;
  redact(text: string): string;
}

export function createRedactor(secrets: Iterable<string> = []): Redactor {
  const forms = new Set<string>();
  let pattern: RegExp | undefined;
  const redactor: Redactor = {
    add(more) {
      let grew = false;
      for (const s of more) {
        if (!s) continue;
        for (const f of [s, safeDecode(s), encodeURIComponent(s), JSON.stringify(s).slice(1, -1), Buffer.from(s, 'utf8').toString('base64')]) {
          if (f && !forms.has(f)) {
            forms.add(f);
            grew = true;
          }
        }
      }
      // Longest first, so that a secret containing another one is removed whole.
      if (grew) pattern = new RegExp([...forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'gi');
    },
    redact(text) {
      return pattern ? text.replace(pattern, MASK) : text;
    },
  };
  redactor.add(secrets);
  return redactor;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every secret of a loaded configuration: values built from `${env:…}` and the variables' values themselves. */
export function desiredSecrets(desired: DesiredState): string[] {
  const out: string[] = [];
  for (const app of Object.values(desired.apps)) {
    const hooks = (app.webhooks ?? []).flatMap((w) => [w.secret, w.authorization].filter((x) => x !== undefined));
    for (const v of [...Object.values(app.config), ...hooks, ...app.drains.map((d) => ({ value: d.url, secret: d.secret, secretParts: d.secretParts }))]) {
      if (!v.secret) continue;
      out.push(v.value, ...(v.secretParts ?? []));
    }
    for (const c of Object.values(app.certificates ?? {})) if (c.privateKey) out.push(c.privateKey.value, ...(c.privateKey.secretParts ?? []));
  }
  for (const p of Object.values(desired.pipelines ?? {})) {
    for (const stage of Object.values(p.config ?? {})) {
      for (const v of Object.values(stage)) if (v.secret) out.push(v.value, ...(v.secretParts ?? []));
    }
  }
  return out;
}

/** For one error message that may echo a connection string: URL credentials masked, then the secrets removed. */
export function redact(text: string, secrets: readonly string[]): string {
  return createRedactor(secrets).redact(maskUrlsInText(text));
}

/** Shown instead of any value that came from `${env:…}` or was recorded as secret. */
export const SENSITIVE = '(sensitive)';
/** Shown instead of a live value that is not declared as a literal: it may be a secret someone set by hand. */
export const HIDDEN = '(hidden)';
