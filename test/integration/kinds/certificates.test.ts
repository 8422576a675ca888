/**
 * Certificates (SNI endpoints), domains naming them, and ACM against the
 * emulator: create / no-op cost / drift / update (guarded, and a 412 that
 * leaves the outside edit) / adopt / delete, the private key never in any
 * output, and bad files refused at their YAML line.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyDrift } from '../../../src/drift/index.js';
import { loadDesiredState } from '../../../src/config/index.js';
import type { Change, Plan } from '../../../src/model/plan.js';
import { serializePlan } from '../../../src/planner/planfile.js';
import { readLiveState } from '../../../src/providers/heroku/live.js';
import { createFingerprinter, saltForLineage } from '../../../src/util/fingerprint.js';
import { makeCert, type TestCert } from '../../helpers/certs.js';
import { expectNoLeak } from '../../helpers/secret-scan.js';
import { World, expectNoChanges } from '../apply/world.js';

function change(plan: Plan, address: string): Change {
  const c = plan.changes.find((x) => x.address === address);
  if (!c) throw new Error(`no change at ${address}: ${plan.changes.map((x) => x.address).join(', ')}`);
  return c;
}

const yaml = (certs: string, domains: string, extra = '') => `version: 1
apps:
  cert-shop:
${extra}    certificates:
${certs}    domains:
${domains}`;

const WWW = `      www:
        certificate_chain: certs/www.pem
        private_key: \${env:WWW_KEY}
`;

describe('certificates against the emulator', () => {
  let w: World;
  let www: TestCert;
  let renewed: TestCert;
  let other: TestCert;
  const keys = () => [www.key, renewed.key, other.key].flatMap((k) => [k, ...k.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'))]);
  const outputs: Record<string, string> = {};
  const endpoints = () => w.api<Array<{ id: string; name: string; ssl_cert: { cert_domains: string[] }; domains: string[] }>>('GET', '/apps/cert-shop/sni-endpoints');
  const domain = (h: string) => w.api<{ sni_endpoint: { name: string } | null }>('GET', `/apps/cert-shop/domains/${h}`);
  const record = (label: string, plan: Plan) => (outputs[label] = serializePlan(plan));

  beforeAll(async () => {
    w = await World.start();
    www = makeCert(['www.cert.example.com'], { ca: true });
    renewed = makeCert(['www.cert.example.com']);
    other = makeCert(['other.cert.example.com']);
    await w.yaml('version: 1\napps: {}\n');
    await import('node:fs/promises').then((fs) => fs.mkdir(join(w.dir, 'certs')));
    await writeFile(join(w.dir, 'certs/www.pem'), www.chain);
    w.env = { WWW_KEY: www.key };
  });
  afterAll(async () => {
    expectNoLeak({ ...outputs, state: JSON.stringify(await w.inventory()) }, keys());
    await w?.close();
  });

  it('create: the certificate is uploaded before the domain that names it, which gets its endpoint; then the plan is empty', async () => {
    await w.yaml(yaml(WWW, '      - { hostname: www.cert.example.com, sni_endpoint: www }\n', '    acm: false\n'));
    const { first, run, second } = await w.converge();
    record('create plan', first.plan);
    const cert = change(first.plan, 'app.cert-shop/certificate.www');
    const dom = change(first.plan, 'app.cert-shop/domain.www.cert.example.com');
    expect(cert).toMatchObject({ action: 'create', requests: 1 });
    expect(dom.dependsOn).toContain(cert.id);
    expect(JSON.stringify(cert)).not.toContain('PRIVATE KEY');
    expect(run.result?.failed).toEqual([]);
    const [ep] = await endpoints();
    expect(ep!.ssl_cert.cert_domains).toEqual(['www.cert.example.com']);
    expect((await domain('www.cert.example.com')).sni_endpoint?.name).toBe(ep!.name);
    const inv = (await w.inventory()).apps['cert-shop']!;
    expect(inv.certificates?.www).toMatchObject({ id: ep!.id, name: ep!.name, fingerprint: expect.stringMatching(/^sha256:/), keyFingerprint: expect.stringMatching(/^hmac:/) });
    expect(inv.acm).toBe(false);
    expectNoChanges(second.plan);
  });

  it('no-op: one sni-endpoints read for the app; ACM costs nothing (the app list has it)', async () => {
    w.emulator.resetStats();
    const { plan } = await w.plan();
    expectNoChanges(plan);
    const stats = w.emulator.stats();
    expect(stats.byRoute['GET /apps/{app}/sni-endpoints'] ?? 0).toBe(1);
    expect(stats.requests).toBe(4 + 4 + 1);
  });

  it('drift: a certificate replaced by hand is changed-outside at its certificate_chain line; ACM switched by hand too', async () => {
    const [ep] = await endpoints();
    await w.api('PATCH', `/apps/cert-shop/sni-endpoints/${ep!.id}`, { certificate_chain: other.chain, private_key: other.key });
    await w.api('POST', '/apps/cert-shop/acm');
    const { desired, inventory } = await w.plan();
    const live = await readLiveState(w.client, desired, inventory);
    const report = classifyDrift({ desired, live, inventory, fingerprint: createFingerprinter(saltForLineage(inventory.lineage)) });
    outputs['drift'] = JSON.stringify(report);
    expect(report.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ class: 'changed-outside', address: 'app.cert-shop/certificate.www', loc: expect.objectContaining({ line: 7, col: 9 }) }),
        expect.objectContaining({ class: 'changed-outside', address: 'app.cert-shop/acm', before: false, after: true, loc: expect.objectContaining({ line: 4 }) }),
      ]),
    );
  });

  it('update: the plan uploads the declared chain again on the same endpoint, guarded; an edit after the plan writes nothing', async () => {
    const { plan } = await w.plan();
    record('update plan', plan);
    expect(change(plan, 'app.cert-shop/certificate.www')).toMatchObject({ action: 'update', requests: 2 });
    expect(change(plan, 'app.cert-shop/acm')).toMatchObject({ action: 'update', requests: 2 });
    const [ep] = await endpoints();
    await w.api('PATCH', `/apps/cert-shop/sni-endpoints/${ep!.id}`, { certificate_chain: renewed.chain, private_key: renewed.key });
    w.emulator.resetStats();
    // Apply re-derives the plan from the YAML and the live state first and refuses before any write (issue 13);
    // the engine's own guard, tested next, is for an edit landing between that read and the write.
    expect((await w.apply(plan)).diagnostics.map((d) => d.code)).toEqual(['plan-differs']);
    const run = await w.apply(plan, { skipPreflight: true });
    outputs['update events'] = JSON.stringify(run.events);
    expect(run.result?.conflicts).toBeGreaterThanOrEqual(1);
    expect(w.emulator.stats().byRoute['PATCH /apps/{app}/sni-endpoints/{endpoint}'] ?? 0).toBe(0);
    const { second } = await w.converge();
    expectNoChanges(second.plan);
    const [after] = await endpoints();
    expect(after!.id).toBe(ep!.id);
    expect(after!.ssl_cert.cert_domains).toEqual(['www.cert.example.com']);
    expect((await w.api<{ acm: boolean }>('GET', '/apps/cert-shop')).acm).toBe(false);
  });

  it('a 412 on the PATCH itself leaves the outside certificate in place', async () => {
    const [ep] = await endpoints();
    await w.api('PATCH', `/apps/cert-shop/sni-endpoints/${ep!.id}`, { certificate_chain: other.chain, private_key: other.key });
    const { plan } = await w.plan();
    const c = change(plan, 'app.cert-shop/certificate.www');
    const got = await w.other.get<unknown>(`/apps/cert-shop/sni-endpoints/${ep!.id}`);
    c.guard = { etag: got.etag! };
    c.requests = 1;
    await new Promise((r) => setTimeout(r, 1100));
    await w.api('PATCH', `/apps/cert-shop/sni-endpoints/${ep!.id}`, { certificate_chain: renewed.chain, private_key: renewed.key });
    const run = await w.apply(plan, { skipPreflight: true });
    expect(run.result?.conflicts).toBe(1);
    expect((await endpoints())[0]!.ssl_cert.cert_domains).toEqual(['www.cert.example.com']);
    expect(await w.api<{ certificate_chain: string }>('GET', `/apps/cert-shop/sni-endpoints/${ep!.id}`)).toMatchObject({ certificate_chain: renewed.chain });
    await w.converge();
  });

  it('a new chain in the YAML is one PATCH on the same endpoint (the domain keeps it)', async () => {
    await writeFile(join(w.dir, 'certs/www.pem'), renewed.chain);
    w.env = { WWW_KEY: renewed.key };
    const [before] = await endpoints();
    const { first, second } = await w.converge();
    expect(change(first.plan, 'app.cert-shop/certificate.www')).toMatchObject({ action: 'update' });
    expect(first.plan.changes.some((c) => c.kind === 'domain')).toBe(false);
    const [after] = await endpoints();
    expect(after).toMatchObject({ id: before!.id, name: before!.name });
    expect((await domain('www.cert.example.com')).sni_endpoint?.name).toBe(before!.name);
    expectNoChanges(second.plan);
  });

  it('adopt: an endpoint uploaded outside with the declared chain is owned without a request', async () => {
    const up = await w.api<{ id: string; name: string }>('POST', '/apps/cert-shop/sni-endpoints', { certificate_chain: other.chain, private_key: other.key });
    await writeFile(join(w.dir, 'certs/other.pem'), other.chain);
    await writeFile(join(w.dir, 'certs/other.key'), other.key);
    await w.yaml(yaml(WWW.replace('certs/www.pem', 'certs/www.pem') + '      other:\n        certificate_chain: certs/other.pem\n        private_key_file: certs/other.key\n', '      - { hostname: www.cert.example.com, sni_endpoint: www }\n'));
    const { first, second } = await w.converge();
    record('adopt plan', first.plan);
    expect(change(first.plan, 'app.cert-shop/certificate.other')).toMatchObject({ action: 'adopt', requests: 0 });
    expect((await w.inventory()).apps['cert-shop']!.certificates?.other?.id).toBe(up.id);
    expectNoChanges(second.plan);
  });

  it('delete: a certificate leaving the YAML is deleted after the domain moves off it', async () => {
    await w.yaml(yaml(WWW.replace('www:', 'www:'), '      - { hostname: www.cert.example.com, sni_endpoint: other }\n').replace(WWW, '      other:\n        certificate_chain: certs/other.pem\n        private_key_file: certs/other.key\n'));
    const { first, run, second } = await w.converge();
    record('delete plan', first.plan);
    const del = change(first.plan, 'app.cert-shop/certificate.www');
    const dom = change(first.plan, 'app.cert-shop/domain.www.cert.example.com');
    expect(del.action).toBe('delete');
    expect(del.dependsOn).toContain(dom.id);
    expect(run.result?.failed).toEqual([]);
    const eps = await endpoints();
    expect(eps.map((e) => e.ssl_cert.cert_domains[0])).toEqual(['other.cert.example.com']);
    expect((await domain('www.cert.example.com')).sni_endpoint?.name).toBe(eps[0]!.name);
    expectNoChanges(second.plan);
  });

  it('refuses bad files at their YAML line, never echoing key material', async () => {
    const load = async (text: string) => {
      await w.yaml(text);
      const r = await loadDesiredState([join(w.dir, 'dynoform.yaml')], { env: { ...w.env, WRONG: www.key }, cwd: w.dir });
      outputs[`diagnostics ${Object.keys(outputs).length}`] = JSON.stringify(r.diagnostics);
      return r.diagnostics.filter((d) => d.severity === 'error');
    };
    const mismatch = await load(yaml('      other:\n        certificate_chain: certs/other.pem\n        private_key: ${env:WRONG}\n', '      - www.cert.example.com\n'));
    expect(mismatch).toEqual([expect.objectContaining({ code: 'certificate-key-mismatch', line: 7, col: 9, message: expect.stringContaining('$WRONG is not the key of certs/other.pem') })]);
    const missing = await load(yaml('      other:\n        certificate_chain: certs/nope.pem\n        private_key_file: certs/other.key\n', '      - www.cert.example.com\n'));
    expect(missing).toEqual([expect.objectContaining({ code: 'certificate-file', line: 6, col: 9, message: expect.stringContaining('certs/nope.pem no such file') })]);
    const inline = await load(yaml(`      other:\n        certificate_chain: certs/other.pem\n        private_key: ${JSON.stringify(other.key)}\n`, '      - www.cert.example.com\n'));
    expect(inline).toEqual([expect.objectContaining({ line: 7, message: expect.stringContaining('a private key is never written in the YAML') })]);
    const notCert = await load(yaml('      other:\n        certificate_chain: certs/other.key\n        private_key_file: certs/other.key\n', '      - www.cert.example.com\n'));
    expect(notCert).toEqual([expect.objectContaining({ code: 'certificate-invalid', line: 6 })]);
  });
});
