import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plan, type OperationEvent } from '../../src/operations/index.js';
import { CliWorld, TOKEN } from '../helpers/cli-world.js';

// #14 §2 and §3: a wrong token, nothing listening, a server that resets every
// connection, and https:// to a plain-http server. One line, exit 1, quickly.

const YAML = 'version: 1\napps:\n  conn-shop:\n    config: { RAILS_ENV: production }\n';
const onlyErrorLine = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('Error: ') || l.startsWith('::error'));
const noStack = (text: string): void => {
  expect(text).not.toMatch(/\n\s+at .*:\d+:\d+/);
  expect(text).not.toMatch(/HerokuApiError|TypeError|internal error/);
};

describe('a wrong token', () => {
  let w: CliWorld;
  beforeAll(async () => {
    w = await CliWorld.start({ apiKeys: [TOKEN] });
    await w.write('dynoform.yaml', YAML);
    w.env.HEROKU_API_KEY = 'wrong-token-0123456789';
  });
  afterAll(() => w.close());

  const line = /^Error: 401 unauthorized: check HEROKU_API_KEY \(or the netrc entry for 127\.0\.0\.1:\d+\) — the API refused GET \/\S+ \(Request-Id \S+\)$/;

  for (const args of [['plan'], ['apply', '--auto-approve'], ['import', 'conn-shop'], ['drift'], ['drift', '--format', 'json']]) {
    it(`dynoform ${args.join(' ')}: one line, exit 1, no unhandled rejection`, async () => {
      const r = await w.run(args);
      expect(r.code).toBe(1);
      const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(line);
      noStack(r.stdout + r.stderr);
      expect(r.stdout + r.stderr).not.toContain('wrong-token-0123456789');
    });
  }

  it('dynoform drift --format github: an ::error:: annotation with the same line', async () => {
    const r = await w.run(['drift', '--format', 'github']);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/^::error[^:]*::401 unauthorized: check HEROKU_API_KEY/m);
    noStack(r.stdout + r.stderr);
  });
});

describe('an unreachable or wrong endpoint', () => {
  let w: CliWorld;
  let resetter: TcpServer;
  let resetUrl: string;
  beforeAll(async () => {
    w = await CliWorld.start();
    await w.write('dynoform.yaml', YAML);
    // Accepts every connection and drops it at once, before any answer.
    resetter = createTcpServer((socket) => socket.resetAndDestroy());
    await new Promise<void>((r) => resetter.listen(0, '127.0.0.1', r));
    resetUrl = `http://127.0.0.1:${(resetter.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => resetter.close(() => r()));
    await w.close();
  });

  it('nothing listening: "connection refused, retrying n/5", then one line, exit 1', async () => {
    const r = await w.run(['plan'], { HEROKU_API_URL: 'http://127.0.0.1:1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/GET \/\S+: connection refused, retrying 1\/5/);
    expect(onlyErrorLine(r.stderr)).toEqual([expect.stringMatching(/^Error: GET \/\S+: connection refused by 127\.0\.0\.1:1 \(ECONNREFUSED\) after 6 attempts: is the API \(or the emulator\) running there\?$/)]);
    noStack(r.stdout + r.stderr);
  });

  it('https:// to a plain-http server: "TLS handshake … is it plain http?" at once, no retry', async () => {
    const r = await w.run(['plan'], { HEROKU_API_URL: w.emulator.url.replace('http://', 'https://') });
    expect(r.code).toBe(1);
    expect(onlyErrorLine(r.stderr)).toEqual([expect.stringMatching(/^Error: GET \/\S+: TLS handshake with 127\.0\.0\.1:\d+ failed: is it plain http\?/)]);
    expect(r.stderr).not.toMatch(/retrying|ssl3_get_record|wrong version number/);
    noStack(r.stdout + r.stderr);
  });

  it('a server that resets every connection: the retries are reported, then one clear error', async () => {
    const events: OperationEvent[] = [];
    const err = await plan({ cwd: w.dir, env: { ...w.env, HEROKU_API_URL: resetUrl }, client: { retryBaseMs: 1 }, onEvent: (e) => events.push(e) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^GET \/\S+: (connection lost after the request was sent|could not connect) to 127\.0\.0\.1:\d+ \(ECONNRESET: .*\) after 9 attempts$/);
    const retries = events.filter((e) => e.type === 'wait' && e.reason === 'retry').map((e) => (e as { detail: string }).detail);
    expect(retries.filter((d) => d.startsWith('GET /apps:'))).toEqual(Array.from({ length: 8 }, (_, i) => `GET /apps: connection reset, retrying ${i + 1}/8`));
  });
});
