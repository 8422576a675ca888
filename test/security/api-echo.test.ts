import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CliWorld, TOKEN } from '../helpers/cli-world.js';
import { HostileProxy } from '../helpers/hostile-proxy.js';

// #13 §4 and §7: a server that echoes the token, refuses it mid-apply, or asks
// for a long Retry-After. Real loopback HTTP: the CLI in-process → a hostile
// proxy → the emulator.

const b64 = (s: string): string => Buffer.from(s).toString('base64');
/** Every form of the token a server could send back. */
const FORMS = [TOKEN, TOKEN.toUpperCase(), b64(TOKEN), b64(`:${TOKEN}`), b64(`me@example.com:${TOKEN}`), Buffer.from(TOKEN).toString('base64url')];

function yaml(apps: number): string {
  const lines = ['version: 1', 'apps:'];
  for (let i = 0; i < apps; i++) lines.push(`  echo-${String(i).padStart(2, '0')}:`, '    config: { RAILS_ENV: production }');
  return lines.join('\n') + '\n';
}

describe('the API token never comes back out through a hostile server', () => {
  let world: CliWorld;
  let proxy: HostileProxy;

  beforeAll(async () => {
    world = await CliWorld.start();
    proxy = await HostileProxy.start(world.emulator.url);
    world.env.HEROKU_API_URL = proxy.url;
    await world.write('dynoform.yaml', yaml(1));
  });
  afterAll(async () => {
    await proxy.close();
    await world.close();
  });
  beforeEach(() => proxy.reset());

  const scan = (text: string): string[] => FORMS.filter((f) => text.includes(f));

  it('in Warning-Message headers and Request-Id, raw, base64 and Basic user:token', async () => {
    let i = 0;
    proxy.rule = () => ({
      type: 'rewrite',
      rewrite: (up) => {
        const form = FORMS[i++ % FORMS.length]!;
        return { ...up, headers: { ...up.headers, 'warning-message': `your key ${form} is deprecated; Basic ${form}`, 'request-id': form } };
      },
    });
    for (const format of ['text', 'json', 'markdown']) {
      const r = await world.run(['plan', '--format', format]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).toContain('is deprecated');
      expect(scan(r.stdout + r.stderr)).toEqual([]);
    }
    const drift = await world.run(['drift', '--format', 'github']);
    expect(scan(drift.stdout + drift.stderr)).toEqual([]);
    // The request log prints every response's Request-Id (found by the soak's echoing proxy).
    for (const command of ['plan', 'drift']) {
      const debug = await world.run([command], { DYNOFORM_DEBUG: '1' });
      expect(debug.stderr).toMatch(/debug: ← 200 GET \/apps .*Request-Id \*\*\*/);
      expect(scan(debug.stdout + debug.stderr)).toEqual([]);
    }
  });

  it('in an error id and message', async () => {
    let i = 0;
    proxy.rule = ({ path }) =>
      path === '/apps'
        ? { type: 'respond', status: 422, headers: { 'request-id': b64(TOKEN) }, body: JSON.stringify({ id: FORMS[i % FORMS.length], message: `bad token ${FORMS[i++ % FORMS.length]} (Basic ${b64('u:' + TOKEN)})` }) }
        : { type: 'pass' };
    for (let n = 0; n < FORMS.length; n++) {
      const r = await world.run(['plan']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/GET \/apps failed: 422/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(scan(r.stdout + r.stderr)).toEqual([]);
    }
  });
});

describe('a 401 mid-apply stops the run at once, and says once what to check', () => {
  let world: CliWorld;
  let proxy: HostileProxy;

  beforeAll(async () => {
    world = await CliWorld.start();
    proxy = await HostileProxy.start(world.emulator.url);
    world.env.HEROKU_API_URL = proxy.url;
    await world.write('dynoform.yaml', yaml(12));
  });
  afterAll(async () => {
    await proxy.close();
    await world.close();
  });

  it('12 apps, the token revoked after the third create: nothing more is sent', async () => {
    let creates = 0;
    let revoked = false;
    let firstRefusal = -1;
    proxy.rule = ({ method, path }) => {
      if (revoked) return { type: 'respond', status: 401, body: JSON.stringify({ id: 'unauthorized', message: 'Invalid credentials provided.' }) };
      if (method === 'POST' && path === '/apps' && ++creates > 3) {
        revoked = true;
        firstRefusal = proxy.seen.length;
        return { type: 'respond', status: 401, body: JSON.stringify({ id: 'unauthorized', message: 'Invalid credentials provided.' }) };
      }
      return { type: 'pass' };
    };
    const r = await world.run(['apply', '--auto-approve', '--concurrency', '1']);
    expect(r.code).toBe(1);
    // One at a time: the refused create is the last request sent.
    expect(proxy.seen.length - firstRefusal).toBe(1);
    expect(proxy.seen.at(-1)).toMatchObject({ method: 'POST', path: '/apps', status: 401 });
    const out = r.stdout + r.stderr;
    // One failed change says what to check (its line, and the summary's); every other change was not started.
    expect(out.match(/^✗ .*/gm)).toEqual([expect.stringMatching(/^✗ app\.echo-03: create failed: 401 unauthorized: check HEROKU_API_KEY \(or the netrc entry for 127\.0\.0\.1:\d+\)/)]);
    expect(out.match(/not started: the API refused the credentials/g)).toHaveLength(16);
    expect(out).not.toMatch(/\n\s+at /);
    expect(out).not.toContain(TOKEN);
  });

  it('at full concurrency, only requests already in flight follow the first 401', async () => {
    await world.run(['apply', '--auto-approve']).catch(() => undefined);
    proxy.reset();
    await world.write('dynoform.yaml', yaml(12).replace(/production/g, 'staging'));
    let revoked = false;
    let firstRefusal = -1;
    proxy.rule = ({ method }) => {
      if (!revoked && method === 'PATCH') {
        revoked = true;
        firstRefusal = proxy.seen.length;
      }
      return revoked ? { type: 'respond', status: 401, body: JSON.stringify({ id: 'unauthorized', message: 'Invalid credentials provided.' }) } : { type: 'pass' };
    };
    const r = await world.run(['apply', '--auto-approve']);
    expect(r.code).toBe(1);
    expect(firstRefusal).toBeGreaterThanOrEqual(0);
    // At most the other nine requests already on the wire (concurrency 10), not one request per remaining change.
    expect(proxy.seen.length - firstRefusal).toBeLessThanOrEqual(10);
    const out = r.stdout + r.stderr;
    expect(out.match(/^✗ .*401 unauthorized: check HEROKU_API_KEY/gm)).toHaveLength(1);
    expect(out).not.toMatch(/^✗ .*401 unauthorized.*\n(.*\n)*^✗ .*401 unauthorized/m);
  });
});

describe('Retry-After', () => {
  let world: CliWorld;
  let proxy: HostileProxy;

  beforeAll(async () => {
    world = await CliWorld.start();
    proxy = await HostileProxy.start(world.emulator.url);
    world.env.HEROKU_API_URL = proxy.url;
    await world.write('dynoform.yaml', yaml(1));
  });
  afterAll(async () => {
    await proxy.close();
    await world.close();
  });
  beforeEach(() => proxy.reset());

  it('a 429 with Retry-After: 1 is waited out (at least the second) and the wait is shown', async () => {
    let refused = 0;
    const times: number[] = [];
    proxy.rule = ({ path }) => {
      if (path !== '/apps') return { type: 'pass' };
      times.push(Date.now());
      return refused++ === 0 ? { type: 'respond', status: 429, headers: { 'retry-after': '1' }, body: JSON.stringify({ id: 'rate_limit', message: 'Your account reached the API rate limit' }) } : { type: 'pass' };
    };
    const r = await world.run(['plan', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(times).toHaveLength(2);
    // Not a timing assertion on our speed: the server's own minimum was respected.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(990);
    expect(r.stderr).toMatch(/retrying request for 1\.0s \(GET \/apps: 429 rate_limit, Retry-After 1s\)|for 1(\.0)?s .*GET \/apps: 429 rate_limit, Retry-After 1s/);

  });

  it('a Retry-After past the deadline is not waited for: one clear error at once', async () => {
    proxy.rule = ({ path }) =>
      path === '/apps' ? { type: 'respond', status: 429, headers: { 'retry-after': '3600' }, body: JSON.stringify({ id: 'rate_limit', message: 'Your account reached the API rate limit' }) } : { type: 'pass' };
    const r = await world.run(['plan']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/GET \/apps: the Heroku API rate limit needs a wait of 3600s, past the client deadline/);
    expect(proxy.seen.filter((s) => s.path === '/apps')).toHaveLength(1);
  });
});
