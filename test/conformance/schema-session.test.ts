/**
 * A scripted session that touches every endpoint the emulator serves; every
 * response body is validated against the official schema (targetSchema of
 * the matching link) and checked for completeness, and every error body for
 * the `{id, message}` shape. The last test fails if a route was left out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { ROUTES } from '../../src/emulator/resources/index.js';
import { checkError, checkResponse, fixture } from './support.js';
import { makeCert } from '../helpers/certs.js';

const V3 = 'application/vnd.heroku+json; version=3';
let emu: EmulatorHandle;
const covered = new Map<string, number[]>();
const problems: string[] = [];

async function hit(method: string, pattern: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
  const res = await fetch(emu.url + path, {
    method,
    headers: { Accept: V3, Authorization: 'Bearer conformance', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = text === '' ? undefined : JSON.parse(text);
  const key = `${method} ${pattern}`;
  covered.set(key, [...(covered.get(key) ?? []), res.status]);
  if (!/^application\/json/.test(res.headers.get('content-type') ?? '')) problems.push(`${key}: content-type ${res.headers.get('content-type')}`);
  if (res.status >= 400) {
    problems.push(...checkError(parsed).map((p) => `${key} → ${res.status}: ${p}`));
  } else if (pattern === '/schema') {
    if (JSON.stringify(parsed) !== JSON.stringify(fixture)) problems.push('GET /schema does not serve the official schema');
  } else if (pattern === '/pipelines/{pipeline}/repo') {
    // Not in the official schema: the repositories-api variant; the Heroku CLI reads `full_name`.
    if (typeof parsed?.full_name !== 'string' || typeof parsed?.id !== 'number') problems.push(`${key}: no full_name and id`);
  } else {
    problems.push(...checkResponse(method, pattern, parsed).map((p) => `${key}: ${p}`));
  }
  return parsed;
}

const waitProvisioned = async (addon: string) => {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${emu.url}/addons/${addon}`, { headers: { Accept: V3, Authorization: 'Bearer conformance' } });
    if ((await res.json()).state === 'provisioned') return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${addon} never provisioned`);
};

beforeAll(async () => {
  emu = await startEmulator({ provisionDelayMs: 30, rateLimit: 100_000, seed: 2026 });
});
afterAll(() => emu.close());

describe('every response of a full session matches the official schema', () => {
  it('runs the session', async () => {
    // Account and catalogue.
    await hit('GET', '/account', '/account');
    await hit('PATCH', '/account', '/account', { name: 'Conformance Tester', allow_tracking: false });
    await hit('GET', '/users/{user}', '/users/~');
    await hit('PATCH', '/users/{user}', '/users/~', { beta: true });
    await hit('GET', '/account/rate-limits', '/account/rate-limits');
    await hit('GET', '/account/features', '/account/features');
    await hit('PATCH', '/account/features/{feature}', '/account/features/dashboard-metrics-preview', { enabled: true });
    await hit('GET', '/account/features/{feature}', '/account/features/dashboard-metrics-preview');
    await hit('GET', '/regions', '/regions');
    await hit('GET', '/regions/{region}', '/regions/eu');
    await hit('GET', '/stacks', '/stacks');
    await hit('GET', '/stacks/{stack}', '/stacks/heroku-24');
    await hit('GET', '/dyno-sizes', '/dyno-sizes');
    await hit('GET', '/dyno-sizes/{size}', '/dyno-sizes/standard-1X');
    await hit('GET', '/addon-services', '/addon-services');
    await hit('GET', '/addon-services/{service}', '/addon-services/heroku-postgresql');
    await hit('GET', '/addon-services/{service}/plans', '/addon-services/heroku-redis/plans');
    await hit('GET', '/addon-services/{service}/plans/{plan}', '/addon-services/heroku-postgresql/plans/essential-0');
    await hit('GET', '/plans/{plan}', '/plans/papertrail:choklad');
    await hit('GET', '/schema', '/schema');

    // Apps.
    const shop = await hit('POST', '/apps', '/apps', { name: 'conf-shop', region: 'us', stack: 'heroku-24' });
    const other = await hit('POST', '/apps', '/apps', {});
    await hit('GET', '/apps', '/apps');
    await hit('GET', '/users/{user}/apps', '/users/~/apps', undefined, { Range: 'name ..; max=10' });
    await hit('GET', '/apps/{app}', `/apps/${shop.id}`);
    await hit('PATCH', '/apps/{app}', '/apps/conf-shop', { maintenance: true, build_stack: 'heroku-22' });
    await hit('GET', '/apps/{app}/available-stacks', '/apps/conf-shop/available-stacks');
    await hit('GET', '/apps/{app}/available-dyno-sizes', '/apps/conf-shop/available-dyno-sizes');
    await hit('GET', '/apps/{app}/buildpack-installations', '/apps/conf-shop/buildpack-installations');
    await hit('PUT', '/apps/{app}/buildpack-installations', '/apps/conf-shop/buildpack-installations', {
      updates: [{ buildpack: 'heroku/ruby' }, { buildpack: 'https://github.com/heroku/heroku-buildpack-static' }],
    });
    await hit('GET', '/apps/{app}/buildpack-installations', '/apps/conf-shop/buildpack-installations');

    // Config vars and releases.
    await hit('PATCH', '/apps/{app}/config-vars', '/apps/conf-shop/config-vars', { RAILS_ENV: 'production', SECRET: 's3cret' });
    await hit('PATCH', '/apps/{app}/config-vars', '/apps/conf-shop/config-vars', { SECRET: null });
    await hit('GET', '/apps/{app}/config-vars', '/apps/conf-shop/config-vars');
    await hit('GET', '/apps/{app}/releases/{release}/config-vars', '/apps/conf-shop/releases/2/config-vars');
    const slug = await hit('POST', '/apps/{app}/slugs', '/apps/conf-shop/slugs', {
      process_types: { web: 'bundle exec puma', worker: 'bundle exec sidekiq' },
      commit: '60883d9e8947a57e04dc9124f25df004866a2051',
      stack: 'heroku-24',
    });
    await hit('GET', '/apps/{app}/slugs/{slug}', `/apps/conf-shop/slugs/${slug.id}`);
    const deployed = await hit('POST', '/apps/{app}/releases', '/apps/conf-shop/releases', { slug: slug.id, description: 'Deploy 60883d9' });
    await hit('GET', '/apps/{app}/releases', '/apps/conf-shop/releases', undefined, { Range: 'version ..; order=desc,max=1' });
    await hit('GET', '/apps/{app}/releases/{release}', `/apps/conf-shop/releases/${deployed.version}`);
    await hit('POST', '/apps/{app}/releases', '/apps/conf-shop/releases', { release: deployed.id });

    // Formation and dynos.
    await hit('GET', '/apps/{app}/formation', '/apps/conf-shop/formation');
    await hit('PATCH', '/apps/{app}/formation', '/apps/conf-shop/formation', {
      updates: [
        { type: 'web', quantity: 2, dyno_size: { name: 'standard-1X' } },
        { type: 'worker', quantity: '1', size: 'Standard-2X' },
      ],
    });
    await hit('PATCH', '/apps/{app}/formation/{formation}', '/apps/conf-shop/formation/worker', { quantity: 2 });
    await hit('GET', '/apps/{app}/formation/{formation}', '/apps/conf-shop/formation/web');
    await hit('GET', '/apps/{app}/dynos', '/apps/conf-shop/dynos');
    await hit('GET', '/apps/{app}/dynos/{dyno}', '/apps/conf-shop/dynos/web.1');
    await hit('DELETE', '/apps/{app}/dynos/{dyno}', '/apps/conf-shop/dynos/web.1');
    await hit('POST', '/apps/{app}/dynos/{dyno}/actions/stop', '/apps/conf-shop/dynos/worker.1/actions/stop');
    await hit('DELETE', '/apps/{app}/formations/{type}', '/apps/conf-shop/formations/web');
    await hit('POST', '/apps/{app}/formations/{type}/actions/stop', '/apps/conf-shop/formations/worker/actions/stop');
    await hit('DELETE', '/apps/{app}/dynos', '/apps/conf-shop/dynos');
    await hit('GET', '/apps/{app}/collaborators', '/apps/conf-shop/collaborators');
    await hit('POST', '/apps/{app}/collaborators', '/apps/conf-shop/collaborators', { user: 'pat@example.com' });
    await hit('GET', '/apps/{app}/collaborators/{collaborator}', '/apps/conf-shop/collaborators/pat@example.com');
    await hit('DELETE', '/apps/{app}/collaborators/{collaborator}', '/apps/conf-shop/collaborators/pat@example.com');

    // Teams, team apps and their collaborators.
    await hit('POST', '/teams', '/teams', { name: 'conf-team' });
    await hit('GET', '/teams', '/teams');
    await hit('GET', '/teams/{team}', '/teams/conf-team');
    await hit('GET', '/teams/{team}/members', '/teams/conf-team/members');
    await hit('PUT', '/teams/{team}/members', '/teams/conf-team/members', { email: 'member@example.com', role: 'member' });
    await hit('POST', '/teams/{team}/members', '/teams/conf-team/members', { email: 'second@example.com', role: 'member' });
    await hit('PATCH', '/teams/{team}/members', '/teams/conf-team/members', { email: 'member@example.com', role: 'admin' });
    await hit('DELETE', '/teams/{team}/members/{member}', '/teams/conf-team/members/second%40example.com');
    await hit('GET', '/teams/{team}/features', '/teams/conf-team/features');
    await hit('GET', '/teams/{team}/features/{feature}', '/teams/conf-team/features/org-access-controls');
    await hit('GET', '/teams/permissions', '/teams/permissions');
    await hit('POST', '/teams/apps', '/teams/apps', { name: 'conf-team-app', team: 'conf-team', region: 'us' });
    await hit('GET', '/teams/apps/{app}', '/teams/apps/conf-team-app');
    await hit('PATCH', '/teams/apps/{app}', '/teams/apps/conf-team-app', { locked: true });
    await hit('GET', '/teams/{team}/apps', '/teams/conf-team/apps');
    await hit('POST', '/teams/apps/{app}/collaborators', '/teams/apps/conf-team-app/collaborators', { user: 'pat@example.com', permissions: ['view', 'deploy'] });
    await hit('GET', '/teams/apps/{app}/collaborators', '/teams/apps/conf-team-app/collaborators');
    await hit('GET', '/teams/apps/{app}/collaborators/{collaborator}', '/teams/apps/conf-team-app/collaborators/pat@example.com');
    await hit('PATCH', '/teams/apps/{app}/collaborators/{collaborator}', '/teams/apps/conf-team-app/collaborators/pat@example.com', { permissions: ['view', 'operate'] });
    await hit('DELETE', '/teams/apps/{app}/collaborators/{collaborator}', '/teams/apps/conf-team-app/collaborators/pat@example.com');

    // Add-ons and attachments.
    const db = await hit('POST', '/apps/{app}/addons', '/apps/conf-shop/addons', {
      plan: 'heroku-postgresql:essential-0',
      attachment: { name: 'DATABASE' },
      config: { version: '16' },
    });
    const redis = await hit('POST', '/apps/{app}/addons', '/apps/conf-shop/addons', { plan: { name: 'heroku-redis:mini' }, name: 'conf-cache' });
    const papertrail = await hit('POST', '/apps/{app}/addons', '/apps/conf-shop/addons', { plan: 'papertrail:choklad' });
    await waitProvisioned(db.id);
    await waitProvisioned(redis.id);
    await hit('GET', '/apps/{app}/addons', '/apps/conf-shop/addons');
    await hit('GET', '/apps/{app}/addons/{addon}', `/apps/conf-shop/addons/${db.name}`);
    await hit('PATCH', '/apps/{app}/addons/{addon}', `/apps/conf-shop/addons/${db.id}`, { plan: 'heroku-postgresql:essential-1' });
    await hit('GET', '/addons', '/addons');
    await hit('GET', '/addons/{addon}', `/addons/${redis.name}`);
    // A provider rotating its credential: the add-on's own names (URL), not the attachment's.
    await hit('GET', '/addons/{addon}/config', `/addons/${db.id}/config`);
    await hit('PATCH', '/addons/{addon}/config', `/addons/${db.id}/config`, { config: [{ name: 'URL', value: 'postgres://rotated:pw@db.example.com:5432/d1' }] });
    await hit('GET', '/users/{user}/addons', '/users/~/addons');
    await hit('POST', '/actions/addons/resolve', '/actions/addons/resolve', { addon: 'DATABASE', app: 'conf-shop' });
    const shared = await hit('POST', '/addon-attachments', '/addon-attachments', { addon: db.name, app: other.name, name: 'SHOP_DB' });
    await hit('GET', '/addon-attachments', '/addon-attachments');
    await hit('GET', '/addon-attachments/{attachment}', `/addon-attachments/${shared.id}`);
    await hit('GET', '/addons/{addon}/addon-attachments', `/addons/${db.id}/addon-attachments`);
    await hit('GET', '/apps/{app}/addon-attachments', '/apps/conf-shop/addon-attachments');
    await hit('GET', '/apps/{app}/addon-attachments/{attachment}', '/apps/conf-shop/addon-attachments/DATABASE');
    await hit('POST', '/actions/addon-attachments/resolve', '/actions/addon-attachments/resolve', { addon_attachment: 'SHOP_DB', app: other.name });
    // Accept-Inclusion adds fields outside the schema (as the real API does): test/conformance/fidelity.test.ts.
    await hit('POST', '/actions/addon-attachments/resolve', '/actions/addon-attachments/resolve', { addon_attachment: 'SHOP_DB', app: null });
    await hit('DELETE', '/addon-attachments/{attachment}', `/addon-attachments/${shared.id}`);

    // Domains, SNI endpoints, drains, pipeline couplings.
    await hit('GET', '/apps/{app}/sni-endpoints', '/apps/conf-shop/sni-endpoints');
    const cert = makeCert(['www.conf-shop.example']);
    const renewed = makeCert(['www.conf-shop.example']);
    const sni = await hit('POST', '/apps/{app}/sni-endpoints', '/apps/conf-shop/sni-endpoints', { certificate_chain: cert.chain, private_key: cert.key });
    await hit('GET', '/apps/{app}/sni-endpoints/{endpoint}', `/apps/conf-shop/sni-endpoints/${sni.name}`);
    await hit('PATCH', '/apps/{app}/sni-endpoints/{endpoint}', `/apps/conf-shop/sni-endpoints/${sni.id}`, { certificate_chain: renewed.chain, private_key: renewed.key });
    const domain = await hit('POST', '/apps/{app}/domains', '/apps/conf-shop/domains', { hostname: 'www.conf-shop.example', sni_endpoint: null });
    await hit('POST', '/apps/{app}/acm', '/apps/conf-shop/acm');
    await hit('PATCH', '/apps/{app}/acm', '/apps/conf-shop/acm');
    await hit('GET', '/apps/{app}/domains/{domain}', `/apps/conf-shop/domains/${domain.id}`);
    await hit('DELETE', '/apps/{app}/acm', '/apps/conf-shop/acm');
    await hit('GET', '/apps/{app}/domains', '/apps/conf-shop/domains', undefined, { Range: 'id ..; max=1000;' });
    await hit('GET', '/apps/{app}/domains/{domain}', `/apps/conf-shop/domains/${domain.id}`);
    await hit('PATCH', '/apps/{app}/domains/{domain}', '/apps/conf-shop/domains/www.conf-shop.example', { sni_endpoint: sni.name });
    await hit('GET', '/apps/{app}/sni-endpoints', '/apps/conf-shop/sni-endpoints');
    await hit('PATCH', '/apps/{app}/domains/{domain}', '/apps/conf-shop/domains/www.conf-shop.example', { sni_endpoint: null });
    const drain = await hit('POST', '/apps/{app}/log-drains', '/apps/conf-shop/log-drains', { url: 'https://logs.example.com/ingest' });
    await hit('GET', '/apps/{app}/log-drains', '/apps/conf-shop/log-drains');
    // App webhooks: the CLI's Accept variant (3.webhooks) is version 3; the secret is never in a body.
    const hook = await hit('POST', '/apps/{app}/webhooks', '/apps/conf-shop/webhooks', { url: 'https://hooks.example.com/h', include: ['api:release'], level: 'notify', secret: 'conf-secret' }, { Accept: 'application/vnd.heroku+json; version=3.webhooks' });
    await hit('GET', '/apps/{app}/webhooks', '/apps/conf-shop/webhooks');
    await hit('PATCH', '/apps/{app}/webhooks/{webhook}', `/apps/conf-shop/webhooks/${hook.id}`, { level: 'sync', authorization: 'Bearer conf' });
    const seen = await hit('GET', '/apps/{app}/webhooks/{webhook}', `/apps/conf-shop/webhooks/${hook.id}`);
    if (JSON.stringify(seen).includes('conf-secret') || JSON.stringify(seen).includes('Bearer conf')) problems.push('a webhook body shows its secret or authorization');
    await hit('DELETE', '/apps/{app}/webhooks/{webhook}', `/apps/conf-shop/webhooks/${hook.id}`);
    await hit('GET', '/apps/{app}/features', '/apps/conf-shop/features');
    await hit('PATCH', '/apps/{app}/features/{feature}', '/apps/conf-shop/features/preboot', { enabled: true });
    await hit('GET', '/apps/{app}/features/{feature}', '/apps/conf-shop/features/preboot');
    await hit('GET', '/apps/{app}/log-drains/{drain}', `/apps/conf-shop/log-drains/${drain.token}`);
    await hit('GET', '/addons/{addon}/log-drains', `/addons/${papertrail.id}/log-drains`);
    await hit('GET', '/apps/{app}/pipeline-couplings', '/apps/conf-shop/pipeline-couplings');
    const pipeline = await hit('POST', '/pipelines', '/pipelines', { name: 'conf-pipe', generation: { name: 'cedar' } });
    await hit('GET', '/pipelines', '/pipelines');
    await hit('GET', '/pipelines/{pipeline}', '/pipelines/conf-pipe');
    await hit('PATCH', '/pipelines/{pipeline}', `/pipelines/${pipeline.id}`, { name: 'conf-pipeline' });
    const coupling = await hit('POST', '/pipeline-couplings', '/pipeline-couplings', { app: 'conf-shop', pipeline: pipeline.id, stage: 'staging' });
    await hit('GET', '/pipeline-couplings', '/pipeline-couplings');
    await hit('GET', '/users/~/pipeline-couplings', '/users/~/pipeline-couplings');
    await hit('GET', '/pipelines/{pipeline}/pipeline-couplings', `/pipelines/${pipeline.id}/pipeline-couplings`);
    await hit('GET', '/pipeline-couplings/{coupling}', `/pipeline-couplings/${coupling.id}`);
    await hit('PATCH', '/pipeline-couplings/{coupling}', `/pipeline-couplings/${coupling.id}`, { stage: 'production' });
    await hit('GET', '/apps/{app}/pipeline-couplings', '/apps/conf-shop/pipeline-couplings');
    await hit('POST', '/filters/apps', '/filters/apps', { in: { id: [coupling.app.id] } });
    await hit('DELETE', '/pipeline-couplings/{coupling}', `/pipeline-couplings/${coupling.id}`);
    await hit('POST', '/pipeline-couplings', '/pipeline-couplings', { app: 'conf-shop', pipeline: pipeline.id, stage: 'review' });
    // Stage config vars and review apps (issue 18), with the Heroku CLI's extra `pipeline` field.
    await hit('PATCH', '/pipelines/{pipeline}/stage/{stage}/config-vars', `/pipelines/${pipeline.id}/stage/review/config-vars`, { RAILS_ENV: 'review', TOKEN: 's3cret' });
    await hit('PATCH', '/pipelines/{pipeline}/stage/{stage}/config-vars', `/pipelines/${pipeline.id}/stage/review/config-vars`, { TOKEN: null });
    await hit('GET', '/pipelines/{pipeline}/stage/{stage}/config-vars', `/pipelines/${pipeline.id}/stage/test/config-vars`);
    await hit('POST', '/pipelines/{pipeline}/review-app-config', `/pipelines/${pipeline.id}/review-app-config`, { repo: 'acme/conf', pipeline: pipeline.id, automatic_review_apps: true });
    await hit('PATCH', '/pipelines/{pipeline}/review-app-config', `/pipelines/${pipeline.id}/review-app-config`, {
      stale_days: 7,
      destroy_stale_apps: true,
      base_name: 'conf',
      deploy_target: { id: 'eu', type: 'region' },
    });
    await hit('GET', '/pipelines/{pipeline}/review-app-config', `/pipelines/${pipeline.id}/review-app-config`);
    await hit('GET', '/pipelines/{pipeline}/repo', `/pipelines/${pipeline.id}/repo`, undefined, { Accept: 'application/vnd.heroku+json; version=3.repositories-api' });
    await hit('DELETE', '/pipelines/{pipeline}/review-app-config', `/pipelines/${pipeline.id}/review-app-config`);
    await hit('GET', '/pipelines/{pipeline}/review-app-config', `/pipelines/${pipeline.id}/review-app-config`);
    await hit('DELETE', '/pipelines/{pipeline}', `/pipelines/${pipeline.id}`);

    // Teardown, each answering the deleted object.
    await hit('DELETE', '/apps/{app}/log-drains/{drain}', `/apps/conf-shop/log-drains/${drain.id}`);
    await hit('DELETE', '/apps/{app}/domains/{domain}', `/apps/conf-shop/domains/${domain.id}`);
    await hit('DELETE', '/apps/{app}/sni-endpoints/{endpoint}', `/apps/conf-shop/sni-endpoints/${sni.id}`);
    await hit('DELETE', '/apps/{app}/addons/{addon}', `/apps/conf-shop/addons/${redis.id}`);
    await hit('DELETE', '/apps/{app}', '/apps/conf-shop');

    // A few errors, to check their shape too.
    await hit('GET', '/apps/{app}', '/apps/conf-shop');
    await hit('POST', '/apps', '/apps', { name: 'Not Valid' });
    await hit('GET', '/apps', '/apps', undefined, { Range: 'bogus ..' });
  });

  it('found no schema violation, missing field or malformed error', () => {
    expect(problems).toEqual([]);
  });

  it('touched every endpoint the emulator serves, with success where success is possible', () => {
    const alwaysErrors = new Set<string>();
    const missing = ROUTES.map((r) => `${r.method} ${r.pattern}`).filter((k) => !covered.has(k));
    expect(missing).toEqual([]);
    const neverOk = [...covered].filter(([k, statuses]) => !alwaysErrors.has(k) && !statuses.some((s) => s < 300)).map(([k]) => k);
    expect(neverOk).toEqual([]);
    for (const k of alwaysErrors) expect(covered.get(k)).toEqual([404]);
  });
});

describe('the checker itself', () => {
  it('catches a missing field, an invented field, a wrong type and a bad error body', async () => {
    const e = await startEmulator();
    try {
      const res = await fetch(`${e.url}/apps`, { method: 'POST', headers: { Accept: V3, Authorization: 'Bearer x' } });
      const app = await res.json();
      expect(checkResponse('GET', '/apps/{app}', app)).toEqual([]);
      const { repo_size: _gone, ...missing } = app;
      expect(checkResponse('GET', '/apps/{app}', missing)).toContain('$.repo_size is missing');
      expect(checkResponse('GET', '/apps/{app}', { ...app, extra: 1 })).toContain('$.extra is not in the schema');
      expect(checkResponse('GET', '/apps/{app}', { ...app, maintenance: 'no' }).length).toBeGreaterThan(0);
      expect(checkResponse('GET', '/apps/{app}', { ...app, owner: { id: app.owner.id } })).toContain('$.owner.email is missing');
      expect(checkResponse('GET', '/apps', [missing]).length).toBeGreaterThan(0);
      expect(checkError({ id: 'not_found' })).toEqual(['error message missing']);
    } finally {
      await e.close();
    }
  });

  it('accepts bare hostnames as `uri` only because the schema itself does', () => {
    const hostname = (fixture.definitions.domain.definitions.hostname as { example: string; format: string });
    expect(hostname.format).toBe('uri');
    expect(hostname.example).toBe('subdomain.example.com');
  });
});
