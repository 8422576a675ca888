/**
 * The API token of a request: `Authorization: Bearer <token>`, or Basic with
 * the token as the password (the user name, historically the e-mail, is
 * ignored; `:token` and `token:` both work). `undefined` is what the Heroku
 * CLI sends when it has no credentials, so it counts as no token.
 */
export function tokenOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space === -1) return undefined;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  let token: string | undefined;
  if (scheme === 'bearer') {
    token = value;
  } else if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) return undefined;
    const password = decoded.slice(colon + 1);
    token = password !== '' ? password : decoded.slice(0, colon);
  }
  if (token === undefined || token === '' || token === 'undefined' || token === 'null') return undefined;
  return token;
}
