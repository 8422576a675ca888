/**
 * The Platform API answers only `application/vnd.heroku+json; version=3`
 * and its variants (`version=3.sdk`, `version=3.webhooks`, …, which the
 * Heroku CLI sends); anything else is 406.
 */
export function acceptsV3(header: string | undefined): boolean {
  if (!header) return false;
  for (const range of header.split(',')) {
    const [type, ...params] = range.split(';').map((p) => p.trim());
    if (type?.toLowerCase() !== 'application/vnd.heroku+json') continue;
    for (const p of params) {
      const eq = p.indexOf('=');
      if (eq === -1) continue;
      const key = p.slice(0, eq).trim().toLowerCase();
      const value = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (key === 'version' && (value === '3' || value.startsWith('3.'))) return true;
    }
  }
  return false;
}
