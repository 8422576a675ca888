import { createHash } from 'node:crypto';

/** A strong ETag: the hash of the exact bytes of the body. */
export function etagOf(body: string): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

function tags(header: string): string[] {
  return header
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/` is ignored. */
export function noneMatch(header: string, etag: string): boolean {
  const list = tags(header);
  if (list.includes('*')) return true;
  const bare = etag.replace(/^W\//, '');
  return list.some((t) => t.replace(/^W\//, '') === bare);
}

/** If-Match uses the strong comparison (RFC 9110 §13.1.1): a weak tag never matches. */
export function ifMatch(header: string, etag: string): boolean {
  const list = tags(header);
  if (list.includes('*')) return true;
  return list.some((t) => !t.startsWith('W/') && t === etag);
}
