/**
 * Real certificates for tests, made with the openssl command line (Node can
 * parse X.509 but not issue it): a self-signed certificate, or a chain from a
 * test CA. EC P-256 keys, which openssl makes in milliseconds.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  /** The PEM chain: the leaf, then the CA when there is one. */
  chain: string;
  /** The leaf's private key (PKCS#8 PEM). */
  key: string;
  leaf: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function ecKey(dir: string, file: string): void {
  openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
}

/** A certificate for `domains` (the first is the CN), self-signed or signed by a fresh test CA; valid `days` days from now. */
export function makeCert(domains: string[], opts: { ca?: boolean; days?: number } = {}): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'dynoform-cert-'));
  try {
    const days = String(opts.days ?? 90);
    const san = `subjectAltName=${domains.map((d) => `DNS:${d}`).join(',')}`;
    ecKey(dir, 'leaf.key');
    if (!opts.ca) {
      openssl(dir, ['req', '-x509', '-new', '-key', 'leaf.key', '-subj', `/CN=${domains[0]}`, '-addext', san, '-days', days, '-out', 'leaf.pem']);
      const leaf = readFileSync(join(dir, 'leaf.pem'), 'utf8');
      return { chain: leaf, key: readFileSync(join(dir, 'leaf.key'), 'utf8'), leaf };
    }
    ecKey(dir, 'ca.key');
    openssl(dir, ['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/O=dynoform tests/CN=dynoform test CA', '-days', '365', '-out', 'ca.pem']);
    openssl(dir, ['req', '-new', '-key', 'leaf.key', '-subj', `/CN=${domains[0]}`, '-out', 'leaf.csr']);
    writeFileSync(join(dir, 'ext.cnf'), `${san}\n`);
    openssl(dir, ['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', days, '-extfile', 'ext.cnf', '-out', 'leaf.pem']);
    const leaf = readFileSync(join(dir, 'leaf.pem'), 'utf8');
    return { chain: leaf + readFileSync(join(dir, 'ca.pem'), 'utf8'), key: readFileSync(join(dir, 'leaf.key'), 'utf8'), leaf };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
