import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliWorld } from '../helpers/cli-world.js';
import { HostileProxy, editJson } from '../helpers/hostile-proxy.js';
import { expectNoLeak } from '../helpers/secret-scan.js';

/**
 * #13 item 3: every resolved `${env:…}` value is redacted as a substring,
 * case-insensitively, on every output path — an API error that echoes only
 * the secret part of a composed value, an upper-cased echo, a warning header,
 * debug lines, json progress events.
 */
const TOK = 'tok-Secret-Part-6c1f';
const PW = 'pw-Other-Part-93ab';
const APP = 'redact-shop';
const YAML = `version: 1\napps:\n  ${APP}:\n    config:\n      AUTH: "Bearer \${env:TOK}"\n      URL: "amqp://u:\${env:PW}@h"\n`;

describe('redaction of composed secrets (#13.3)', () => {
  let w: CliWorld;
  let proxy: HostileProxy;
  const env = (): Record<string, string> => ({ HEROKU_API_URL: proxy.url, TOK, PW, DYNOFORM_DEBUG: '1' });

  beforeAll(async () => {
    w = await CliWorld.start();
    proxy = await HostileProxy.start(w.emulator.url);
    await w.write('dynoform.yaml', YAML);
  });
  afterAll(async () => {
    await proxy.close();
    await w.close();
  });

  it('a 422 echoing just the secret parts, one of them upper-cased, prints neither (text and json progress, debug on)', async () => {
    proxy.rule = ({ method, path }) =>
      method === 'PATCH' && path.endsWith('/config-vars')
        ? {
            type: 'respond',
            status: 422,
            headers: { 'Request-Id': 'rid-422' },
            body: JSON.stringify({ id: 'invalid_params', message: `AUTH has a bad token ${TOK}; URL password ${PW.toUpperCase()} rejected; ${encodeURIComponent(TOK)}` }),
          }
        : { type: 'pass' };
    const outputs: Record<string, string> = {};
    for (const format of ['text', 'json']) {
      const r = await w.run(['apply', '--auto-approve', '--format', format], env());
      expect(r.code).toBe(1);
      outputs[`apply ${format}`] = r.stdout + r.stderr;
    }
    expectNoLeak(outputs, [TOK, PW]);
    // The failure is still reported, with the request it came from.
    expect(outputs['apply text']).toMatch(/422/);
    expect(outputs['apply text']).toContain('***');
  });

  it('a Warning-Message header or an echoed body that carries a secret part is redacted too', async () => {
    proxy.rule = ({ method, path }) =>
      method === 'GET' && path.endsWith('/config-vars')
        ? { type: 'rewrite', rewrite: (up) => ({ ...up, headers: { ...up.headers, 'warning-message': `your value ${TOK.toLowerCase()} looks weak` } }) }
        : method === 'PATCH'
          ? { type: 'rewrite', rewrite: editJson((b) => ({ ...(b as object), NOTE: `stored ${PW}` })) }
          : { type: 'pass' };
    const outputs: Record<string, string> = {};
    for (const cmd of [['plan'], ['plan', '--format', 'json'], ['drift', '--format', 'github'], ['apply', '--auto-approve', '--format', 'json'], ['apply', '--auto-approve']]) {
      const r = await w.run(cmd, env());
      outputs[cmd.join(' ')] = r.stdout + r.stderr;
    }
    expectNoLeak(outputs, [TOK, PW]);
  });
});
