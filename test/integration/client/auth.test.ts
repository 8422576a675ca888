import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listApps } from '../../../src/providers/heroku/apps.js';
import { resolveApiUrl, resolveCredentials } from '../../../src/providers/heroku/auth.js';
import { HerokuClient } from '../../../src/providers/heroku/client.js';
import { ConfigurationError, HerokuApiError } from '../../../src/providers/heroku/errors.js';
import { Bench, TOKEN } from './helpers.js';

/** What `dynoform` does at start-up: URL, credentials, client — then one real call. */
async function connect(flag: string | undefined, env: Record<string, string>) {
  const apiUrl = resolveApiUrl(flag, env);
  const creds = await resolveCredentials({ apiUrl, env });
  const client = new HerokuClient({ apiUrl, token: creds.token });
  try {
    const apps = await listApps(client);
    return { creds, apps };
  } finally {
    client.close();
  }
}

describe('auth against the emulator', () => {
  let bench: Bench;
  let home: string;

  beforeAll(async () => {
    bench = await Bench.start();
    home = await mkdtemp(join(tmpdir(), 'dynoform-home-'));
  });
  afterAll(() => bench.close());

  it('HEROKU_API_KEY with HEROKU_API_URL', async () => {
    const r = await connect(undefined, { HEROKU_API_URL: bench.emu.url, HEROKU_API_KEY: TOKEN, HOME: home });
    expect(r.creds.source).toBe('HEROKU_API_KEY');
    expect(r.apps).toEqual([]);
  });

  it('a netrc entry for host:port, with a warning when the file is readable by others', async () => {
    const file = join(home, 'netrc-port');
    const host = new URL(bench.emu.url).host;
    await writeFile(file, `machine ${new URL(bench.emu.url).hostname} login u password wrong-one\nmachine ${host}\n  login me@example.com\n  password ${TOKEN}\n`);
    await chmod(file, 0o600);
    const tight = await connect(bench.emu.url, { NETRC: file, HOME: home });
    expect(tight.creds).toMatchObject({ source: 'netrc', warnings: [] });

    await chmod(file, 0o640);
    const loose = await connect(bench.emu.url, { NETRC: file, HOME: home });
    expect(loose.creds.warnings).toHaveLength(1);
    expect(loose.creds.warnings[0]).toMatch(/readable by other users \(mode 640\).*chmod 600/);
    expect(loose.creds.warnings[0]).not.toContain(TOKEN);
  });

  it('no credentials: one error naming both ways', async () => {
    const err = await connect(bench.emu.url, { HOME: home }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigurationError);
    const host = new URL(bench.emu.url).host;
    expect((err as Error).message).toContain('set HEROKU_API_KEY');
    expect((err as Error).message).toContain(`machine ${host}`);
    expect((err as Error).message).toContain('NETRC');
  });

  it('plain http to a non-loopback host is refused before anything is sent', () => {
    expect(() => resolveApiUrl('http://api.example.com:5000', {})).toThrow(/plain http:\/\/ to a non-loopback host/);
    expect(() => resolveApiUrl(undefined, { HEROKU_API_URL: 'http://192.168.1.10' })).toThrow(ConfigurationError);
  });

  it('a rejected token never appears in the error, its stack, events or debug lines', async () => {
    const bad = 'bad-token-0a1b2c3d4e5f';
    const lines: string[] = [];
    const events: unknown[] = [];
    const client = new HerokuClient({ apiUrl: bench.emu.url, token: bad, onDebug: (l) => lines.push(l), onEvent: (e) => events.push(e) });
    try {
      const err = await listApps(client).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HerokuApiError);
      expect((err as HerokuApiError).status).toBe(401);
      expect((err as Error).message).toMatch(/^401 unauthorized: check HEROKU_API_KEY \(or the netrc entry for 127\.0\.0\.1:\d+\) — the API refused GET /);
      const everything = [(err as Error).message, (err as Error).stack, JSON.stringify(err), ...lines, JSON.stringify(events)].join('\n');
      expect(lines.length).toBeGreaterThan(0);
      expect(everything).not.toContain(bad);
    } finally {
      client.close();
    }
  });
});

describe('Warning-Message from the API', () => {
  let bench: Bench;
  let proxy: http.Server;
  let proxyUrl: string;

  // The emulator sends no warnings, so a loopback proxy adds one to every answer from it.
  beforeAll(async () => {
    bench = await Bench.start();
    const target = new URL(bench.emu.url);
    proxy = http.createServer((req, res) => {
      const up = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, { ...upRes.headers, 'warning-message': 'The heroku-22 stack is deprecated.' });
        upRes.pipe(res);
      });
      req.pipe(up);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => proxy.close(() => r()));
    proxy.closeAllConnections();
    await bench.close();
  });

  it('surfaces as a warning event, once per distinct message', async () => {
    const client = bench.client({ apiUrl: proxyUrl });
    await listApps(client);
    await listApps(client);
    const warnings = bench.events.filter((e) => e.type === 'warning');
    expect(warnings).toEqual([{ type: 'warning', message: 'The heroku-22 stack is deprecated.' }]);
  });
});
