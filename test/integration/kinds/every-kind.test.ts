import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliWorld, lineOf } from '../../helpers/cli-world.js';
import { makeCert, type TestCert } from '../../helpers/certs.js';
import { expectNoLeak } from '../../helpers/secret-scan.js';

/**
 * #17's end-to-end check: apps built with the Heroku CLI's requests (the
 * shapes in test/helpers/cli-world.ts, one method per CLI command) using
 * every kind — team app, collaborators, features, buildpacks, a webhook, an
 * add-on shared from another app, an uploaded certificate with a domain
 * naming it, ACM — → `dynoform import` → the first plan is empty; then one
 * outside edit per kind → `drift` reports each at its YAML line.
 */
describe('every per-app kind: built by hand, imported, then drifted', () => {
  let w: CliWorld;
  let yamlText: string;
  let cert: TestCert;
  let other: TestCert;
  let endpoint: { id: string; name: string };
  let webhookId: string;
  const outputs: Record<string, string> = {};
  const keyEnv = () => ({ [`KINDS_SHOP__${endpoint.name.toUpperCase().replace(/-/g, '_')}_PRIVATE_KEY`]: cert.key });

  beforeAll(async () => {
    w = await CliWorld.start();
    cert = makeCert(['secure.kinds.example.com'], { ca: true });
    other = makeCert(['secure.kinds.example.com']);
    const h = w.heroku;
    await h.request('POST', '/teams', { name: 'kinds-team' });
    await h.appsCreateInTeam('kinds-shop', 'kinds-team');
    await h.accessAdd('kinds-shop', 'dev@example.com', ['deploy']);
    await h.accessAdd('kinds-shop', 'viewer@example.com');
    await h.labs('kinds-shop', 'preboot', true);
    await h.labs('kinds-shop', 'runtime-dyno-metadata', true);
    await h.buildpacksSet('kinds-shop', 'heroku/nodejs', 'https://github.com/heroku/heroku-buildpack-python');
    webhookId = ((await h.webhooksAdd('kinds-shop', { url: 'https://hooks.kinds.example.com/in', include: ['api:release'], level: 'notify' })) as { id: string }).id;
    await h.appsCreate('kinds-db');
    const db = (await h.addonsCreate('kinds-db', 'heroku-postgresql:essential-0')) as { name: string };
    await h.addonsAttach('kinds-shop', db.name, 'SHARED_DB');
    endpoint = await h.certsAdd('kinds-shop', cert.chain, cert.key);
    await h.domainsAddWithCert('kinds-shop', 'secure.kinds.example.com', endpoint.name);
    await h.certsAuto('kinds-shop', true);
  });

  afterAll(async () => {
    expectNoLeak(outputs, [cert.key, other.key]);
    await w?.close();
  });

  it('imports to an empty first plan', async () => {
    const r = await w.run(['import', 'kinds-shop', 'kinds-db', '-o', 'dynoform.yaml']);
    outputs['import'] = r.stdout + r.stderr;
    expect(r.code, r.stderr).toBe(0);
    yamlText = await readFile(w.path('dynoform.yaml'), 'utf8');
    outputs['yaml'] = yamlText;
    expect(yamlText).toContain('features:\n      preboot: true\n      runtime-dyno-metadata: true\n');
    expect(yamlText).toContain('    team: kinds-team\n    locked: false\n');
    expect(yamlText).toContain('collaborators:\n      - email: dev@example.com\n        permissions:\n          - deploy\n      - viewer@example.com\n');
    expect(yamlText).toContain('buildpacks:\n      - heroku/nodejs\n      - https://github.com/heroku/heroku-buildpack-python\n');
    expect(yamlText).toContain('    acm: true\n');
    expect(yamlText).toContain(`    certificates:\n      ${endpoint.name}:\n        certificate_chain: certs/kinds-shop-${endpoint.name}.pem\n        private_key: \${env:${Object.keys(keyEnv())[0]}}\n`);
    expect(yamlText).toContain(`hostname: secure.kinds.example.com\n        sni_endpoint: ${endpoint.name}\n`);
    expect(yamlText).toContain('SHARED_DB: kinds-db/');
    expect(yamlText).toContain('url: https://hooks.kinds.example.com/in');
    expect(await readFile(w.path(`certs/kinds-shop-${endpoint.name}.pem`), 'utf8')).toBe(cert.chain);
    const plan = await w.run(['plan', '--detailed-exitcode'], keyEnv());
    outputs['plan'] = plan.stdout + plan.stderr;
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes');
  });

  it('reports one outside edit per kind at its YAML line', async () => {
    const h = w.heroku;
    await h.labs('kinds-shop', 'preboot', false);
    await h.buildpacksSet('kinds-shop', 'heroku/nodejs');
    await h.accessUpdate('kinds-shop', 'dev@example.com', ['operate']);
    await h.request('PATCH', '/teams/apps/kinds-shop', { locked: true });
    await h.request('PATCH', `/apps/kinds-shop/webhooks/${webhookId}`, { include: ['api:release', 'dyno'] }, { accept: 'application/vnd.heroku+json; version=3.webhooks' });
    await h.addonsDetach('kinds-shop', 'SHARED_DB');
    await h.request('PATCH', `/apps/kinds-shop/sni-endpoints/${endpoint.id}`, { certificate_chain: other.chain, private_key: other.key });
    await h.certsAuto('kinds-shop', false);
    w.emulator.resetStats();
    const r = await w.run(['drift', '--format', 'json'], keyEnv());
    outputs['drift'] = r.stdout + r.stderr;
    expect(r.code, r.stderr).toBe(2);
    expect(w.writes()).toEqual({});
    const doc = JSON.parse(r.stdout) as { items: Array<{ class: string; address: string; loc?: { line: number } }> };
    const brief = doc.items.map((i) => `${i.class} ${i.address} @${i.loc?.line}`).sort();
    expect(brief).toEqual(
      [
        `changed-outside app.kinds-shop/buildpacks @${lineOf(yamlText, 'buildpacks:')}`,
        `changed-outside app.kinds-shop/feature.preboot @${lineOf(yamlText, 'preboot: true')}`,
        `changed-outside app.kinds-shop/team @${lineOf(yamlText, 'locked: false')}`,
        `changed-outside app.kinds-shop/collaborator.dev@example.com @${lineOf(yamlText, 'email: dev@example.com')}`,
        `changed-outside app.kinds-shop/webhook.https://hooks.kinds.example.com/in @${lineOf(yamlText, 'url: https://hooks.kinds.example.com/in')}`,
        `missing app.kinds-shop/attachment.SHARED_DB @${lineOf(yamlText, 'SHARED_DB: kinds-db/')}`,
        `changed-outside app.kinds-shop/certificate.${endpoint.name} @${lineOf(yamlText, 'certificate_chain: certs/')}`,
        `changed-outside app.kinds-shop/acm @${lineOf(yamlText, 'acm: true')}`,
      ].sort(),
    );
  });
});
