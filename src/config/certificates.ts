import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DesiredState } from '../model/desired.js';
import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';
import { formatAddress } from '../util/address.js';
import { chainDer } from '../util/certificates.js';
import { Code } from './codes.js';

/** A chain or key file is a few kilobytes; anything this large is not one. */
const MAX_PEM_BYTES = 1024 * 1024;

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return 'cannot be read';
}

async function readPem(cwd: string, path: string): Promise<{ text: string } | { problem: string }> {
  try {
    const abs = resolve(cwd, path);
    const st = await stat(abs);
    if (!st.isFile()) return { problem: 'is not a regular file' };
    if (st.size > MAX_PEM_BYTES) return { problem: `is larger than ${MAX_PEM_BYTES} bytes: not a PEM file` };
    return { text: await readFile(abs, 'utf8') };
  } catch (err) {
    return { problem: reason(err) };
  }
}

/**
 * Reads each declared certificate's chain and key file and checks them as
 * Heroku would, so that a wrong file is an error at its YAML line at plan
 * time, not a 422 halfway through an apply: a chain of real certificates,
 * the key the leaf's, the leaf not expired. Messages name files and
 * certificates, never key material. `now` is passed in for the expiry check.
 */
export async function loadCertificates(desired: DesiredState, cwd: string, now: Date, diagnostics: Diagnostic[]): Promise<void> {
  for (const app of Object.values(desired.apps)) {
    for (const cert of Object.values(app.certificates ?? {})) {
      const address = formatAddress(app.key, 'certificate', cert.key);
      const err = (code: string, message: string, loc: SourceLocation | undefined) =>
        diagnostics.push({ severity: 'error', code, message, address, ...(loc ? { file: loc.file, line: loc.line, col: loc.col } : {}) });
      const chainLoc = cert.fieldLocs?.certificate_chain ?? cert.loc;
      const chain = await readPem(cwd, cert.chainPath);
      if ('problem' in chain) {
        err(Code.certificateFile, `certificate_chain of certificate "${cert.key}": ${cert.chainFile} ${chain.problem}`, chainLoc);
        continue;
      }
      const ders = chainDer(chain.text);
      let parsed: X509Certificate[];
      try {
        parsed = ders.map((d) => new X509Certificate(d));
      } catch {
        parsed = [];
      }
      if (ders.length === 0 || parsed.length !== ders.length) {
        err(Code.certificateInvalid, `certificate_chain of certificate "${cert.key}": ${cert.chainFile} holds no valid PEM certificate (-----BEGIN CERTIFICATE-----)`, chainLoc);
        continue;
      }
      if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(chain.text)) {
        err(Code.certificateInvalid, `certificate_chain of certificate "${cert.key}": ${cert.chainFile} also holds a private key; keep the key in its own file (private_key_file) or the environment`, chainLoc);
        continue;
      }
      cert.chain = chain.text;
      const leaf = parsed[0]!;
      const dns = (leaf.subjectAltName ?? '').split(/,\s*/).filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
      const cn = /(?:^|\n)CN=([^\n]+)/.exec(leaf.subject)?.[1];
      cert.certDomains = dns.length > 0 ? dns : cn ? [cn] : [];
      cert.expiresAt = new Date(leaf.validTo).toISOString();
      if (new Date(leaf.validTo) <= now) {
        err(Code.certificateExpired, `certificate "${cert.key}" (${cert.chainFile}) expired on ${new Date(leaf.validTo).toISOString().slice(0, 10)}: Heroku refuses it`, chainLoc);
      }
      const pk = cert.privateKey;
      if (!pk) continue;
      if (pk.path !== undefined) {
        const key = await readPem(cwd, pk.path);
        if ('problem' in key) {
          err(Code.certificateFile, `private_key_file of certificate "${cert.key}": ${pk.file} ${key.problem}`, pk.loc);
          continue;
        }
        pk.value = key.text;
        pk.secretParts = [key.text];
      }
      // Each line of the key is redacted on its own too: a message quoting one line must not leak it.
      const lines = pk.value.split(/\r?\n/).filter((l) => l.length >= 16 && !l.startsWith('-----'));
      pk.secretParts = [...new Set([...(pk.secretParts ?? []), ...lines])];
      if (pk.missingEnvRefs || pk.value === '') continue;
      const what = pk.file !== undefined ? `private_key_file ${pk.file}` : `the private key in ${(pk.envRefs ?? []).map((r) => `$${r}`).join(', ')}`;
      let matches: boolean;
      try {
        matches = leaf.checkPrivateKey(createPrivateKey(pk.value));
      } catch {
        err(Code.certificateInvalid, `certificate "${cert.key}": ${what} is not a PEM private key`, pk.loc);
        continue;
      }
      if (!matches) err(Code.certificateKeyMismatch, `certificate "${cert.key}": ${what} is not the key of ${cert.chainFile} (its first certificate)`, pk.loc);
    }
  }
}
