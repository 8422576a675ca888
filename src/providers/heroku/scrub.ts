/**
 * The API token must not come back out through a server that echoes it
 * (in a Warning-Message, an error message or id, a Request-Id): raw, in any
 * letter case, URL-encoded, or base64-encoded alone or as the password of
 * a Basic `user:token` pair (any user, so the encoded form is found by
 * decoding what looks like base64 rather than by encoding guesses).
 */
const MASK = '***';
const BASE64_RUN = /[A-Za-z0-9+/_-]{8,}={0,2}/g;

export function tokenScrubber(token: string): (text: string) => string {
  // A short token would match ordinary words; such tokens are not issued.
  if (token.length < 6) return (text) => text;
  const plain = [token, encodeURIComponent(token)].filter((v, i, a) => a.indexOf(v) === i);
  const lower = token.toLowerCase();
  const hides = (decoded: string): boolean => decoded.toLowerCase().includes(lower);
  return (text: string): string => {
    let out = text;
    for (const p of plain) out = replaceAllCaseless(out, p);
    if (out.length < 8) return out;
    return out.replace(BASE64_RUN, (run) => (encodesToken(run, hides) ? MASK : run));
  };
}

function replaceAllCaseless(text: string, needle: string): string {
  const hay = text.toLowerCase();
  const n = needle.toLowerCase();
  let i = hay.indexOf(n);
  if (i < 0) return text;
  let out = '';
  let from = 0;
  while (i >= 0) {
    out += text.slice(from, i) + MASK;
    from = i + n.length;
    i = hay.indexOf(n, from);
  }
  return out + text.slice(from);
}

/** Whether some alignment of `run`, read as base64 or base64url, decodes to text holding the token. */
function encodesToken(run: string, hides: (decoded: string) => boolean): boolean {
  const core = run.replace(/=+$/, '');
  for (let skip = 0; skip < 4 && skip < core.length; skip++) {
    const part = core.slice(skip);
    for (const enc of ['base64', 'base64url'] as const) {
      if (hides(Buffer.from(part, enc).toString('latin1'))) return true;
    }
  }
  return false;
}
