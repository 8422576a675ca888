import { createHash } from 'node:crypto';

const PEM_CERT = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/g;

/** The DER bytes of each certificate in a PEM chain, in order (none when it holds no certificate). */
export function chainDer(pem: string): Buffer[] {
  return [...pem.matchAll(PEM_CERT)].map((m) => Buffer.from(m[1]!.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
}

/**
 * One chain however it is spelled (line breaks, comments between blocks,
 * CRLF): `sha256:` over the DER of every certificate in order. Public data,
 * so a plain hash will do (nothing secret to guess).
 */
export function certificateFingerprint(pem: string): string {
  const h = createHash('sha256');
  for (const der of chainDer(pem)) h.update(createHash('sha256').update(der).digest());
  return `sha256:${h.digest('hex')}`;
}

/** The leaf's SHA-256 as `openssl x509 -fingerprint -sha256` shows it, for messages. */
export function leafDigest(pem: string): string | undefined {
  const leaf = chainDer(pem)[0];
  return leaf && createHash('sha256').update(leaf).digest('hex').slice(0, 16);
}

interface EndpointLike {
  id: string;
  name: string;
  fingerprint: string;
}

/**
 * The live endpoint a declared certificate is: the one state records for
 * its key (by id), else — to adopt — the one holding the same chain that no
 * other key owns. Undefined: it is to be created.
 */
export function matchEndpoint<T extends EndpointLike>(
  key: string,
  fingerprint: string | undefined,
  live: readonly T[],
  owned: Readonly<Record<string, { id: string }>>,
): T | undefined {
  const mine = owned[key];
  if (mine) return live.find((e) => e.id === mine.id);
  const ownedIds = new Set(Object.values(owned).map((o) => o.id));
  return fingerprint === undefined ? undefined : live.find((e) => e.fingerprint === fingerprint && !ownedIds.has(e.id));
}

/**
 * What a domain's `sni_endpoint` means: a key under the app's
 * `certificates:` (then the endpoint that certificate is, by name, or
 * undefined while it is still to be created), else the endpoint name or id
 * as written.
 */
export function domainEndpoint(
  ref: string,
  certificates: Readonly<Record<string, { chain?: string }>> | undefined,
  live: readonly EndpointLike[],
  owned: Readonly<Record<string, { id: string }>>,
): { certificate?: string; name?: string } {
  const cert = certificates?.[ref];
  if (!cert || !Object.hasOwn(certificates!, ref)) {
    // An id names the same endpoint as its name: compare names.
    return { name: live.find((e) => e.id === ref)?.name ?? ref };
  }
  const e = matchEndpoint(ref, cert.chain === undefined ? undefined : certificateFingerprint(cert.chain), live, owned);
  return e ? { certificate: ref, name: e.name } : { certificate: ref };
}
