import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { invalidParams } from '../../http/errors.js';

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** What the API shows of a certificate (`ssl_cert`), computed from the chain as Heroku does. */
export interface CertSummary {
  certDomains: string[];
  startsAt: string;
  expiresAt: string;
  issuer: string;
  subject: string;
  selfSigned: boolean;
  caSigned: boolean;
  /** SHA-256 of the leaf's DER: the same certificate is the same whatever its PEM spelling. */
  fingerprint: string;
}

/** The certificates of a PEM chain, leaf first; a chain with none, or with one that does not parse, is refused. */
export function parseChain(pem: string): X509Certificate[] {
  const blocks = pem.match(PEM_CERT) ?? [];
  if (blocks.length === 0) throw invalidParams('Invalid params: certificate_chain has no PEM certificate (-----BEGIN CERTIFICATE-----).');
  return blocks.map((b, i) => {
    try {
      return new X509Certificate(b);
    } catch {
      throw invalidParams(`Invalid params: certificate ${i + 1} of certificate_chain is not a valid X.509 certificate.`);
    }
  });
}

export function parseKey(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw invalidParams('Invalid params: private_key is not a valid PEM private key.');
  }
}

/** `C=US\nO=Acme\nCN=x` (node's form) → `/C=US/O=Acme/CN=x` (the API's). */
const slashed = (dn: string): string => `/${dn.split('\n').filter(Boolean).join('/')}`;

const iso = (d: string): string => new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Heroku refuses a key that is not the certificate's and a certificate already expired. */
export function checkPair(chain: X509Certificate[], key: KeyObject, now: Date): void {
  const leaf = chain[0]!;
  if (!leaf.checkPrivateKey(key)) throw invalidParams("Key doesn't match the provided certificate.");
  if (new Date(leaf.validTo) <= now) throw invalidParams(`Certificate expired at ${iso(leaf.validTo)}.`);
}

export function summarize(chain: X509Certificate[]): CertSummary {
  const leaf = chain[0]!;
  const last = chain[chain.length - 1]!;
  const dns = (leaf.subjectAltName ?? '')
    .split(/,\s*/)
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4));
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(leaf.subject)?.[1];
  const selfSigned = leaf.subject === leaf.issuer && leaf.checkIssued(leaf) && leaf.verify(leaf.publicKey);
  // Trusted when the chain ends at (or is issued by) a root the Node runtime trusts.
  const caSigned = !selfSigned && rootCertificates.some((r) => {
    const root = new X509Certificate(r);
    return last.fingerprint256 === root.fingerprint256 || (last.checkIssued(root) && last.verify(root.publicKey));
  });
  return {
    certDomains: dns.length > 0 ? dns : cn ? [cn] : [],
    startsAt: iso(leaf.validFrom),
    expiresAt: iso(leaf.validTo),
    issuer: slashed(leaf.issuer),
    subject: slashed(leaf.subject),
    selfSigned,
    caSigned,
    fingerprint: createHash('sha256').update(leaf.raw).digest('hex'),
  };
}
