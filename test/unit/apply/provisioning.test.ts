import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runApply } from '../../../src/apply/index.js';
import type { ApplyEvent } from '../../../src/model/apply.js';
import type { Inventory } from '../../../src/model/inventory.js';
import { HerokuClient } from '../../../src/providers/heroku/client.js';
import type { StateLock } from '../../../src/state/backend.js';
import { createFingerprinter } from '../../../src/util/fingerprint.js';
import { change, desired, desiredApp, inventory, invApp, plan } from './fixtures.js';

/**
 * The emulator's add-ons always provision. A provider that fails is played
 * here by a few lines of HTTP: the add-on comes back `provisioning`, then
 * `deprovisioned` with the provider's message.
 */
let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

async function failingProvider(): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const addon = (state: string, message: string) => ({
    id: '5a5a5a5a-0000-4000-8000-000000000001',
    name: 'postgresql-failing-1',
    app: { id: 'id-shop', name: 'shop' },
    addon_service: { id: 's', name: 'heroku-postgresql' },
    plan: { id: 'p', name: 'heroku-postgresql:essential-0' },
    state,
    config_vars: [],
    provision_message: message,
  });
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('RateLimit-Remaining', '4000');
    if (req.url === '/account/rate-limits') return res.end(JSON.stringify({ remaining: 4000 }));
    if (req.method === 'POST') {
      res.statusCode = 201;
      return res.end(JSON.stringify(addon('provisioning', 'being created in the background')));
    }
    res.end(JSON.stringify(addon('deprovisioned', 'the provider ran out of capacity in eu-west-1')));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, requests };
}

function memoryLock(initial: Inventory): StateLock & { writes: Inventory[] } {
  const writes: Inventory[] = [];
  return {
    writes,
    info: { id: 'l', who: 't', operation: 'apply', since: '' },
    get current() {
      return writes.at(-1) ?? initial;
    },
    write: async (inv) => {
      writes.push(inv);
    },
    replace: async () => undefined,
    release: async () => undefined,
  };
}

describe('add-on provisioning failure', () => {
  it('fails the change with the provider message, records nothing, and skips its dependents', async () => {
    const api = await failingProvider();
    const client = new HerokuClient({ apiUrl: api.url, token: 't', retryBaseMs: 1 });
    const create = change('shop', 'addon', 'create', { type: 'addon.create', plan: 'heroku-postgresql:essential-0', as: 'DATABASE' }, { key: 'db' });
    const config = change('shop', 'config', 'update', { type: 'config.patch', set: { A: { kind: 'literal', value: '1' } }, unset: [], own: {} }, { dependsOn: [create.id] });
    const inv = inventory([invApp('shop')]);
    const lock = memoryLock(inv);
    const events: ApplyEvent[] = [];
    const result = await runApply(
      plan([create, config]),
      {
        client,
        desired: desired([desiredApp('shop')]),
        inventory: inv,
        lock,
        fingerprint: createFingerprinter({ keys: { current: 'test-fingerprint-key-0123456789abcdef' } }),
        options: { allowDestroy: false, concurrency: 1, provisionTimeoutMs: 5000 },
      },
      (e) => events.push(e),
    );
    client.close();
    expect(result.failed).toEqual([expect.objectContaining({ address: 'app.shop/addon.db', outcome: 'failed' })]);
    expect(result.failed[0]!.message).toContain('the provider ran out of capacity in eu-west-1');
    expect(events.find((e) => e.type === 'change-failed')).toMatchObject({ code: 'provision-failed' });
    expect(result.skipped).toEqual([expect.objectContaining({ address: 'app.shop/config' })]);
    expect(lock.writes).toEqual([]);
    expect(api.requests).toEqual(['GET /account/rate-limits', 'POST /apps/id-shop/addons', 'GET /apps/id-shop/addons/5a5a5a5a-0000-4000-8000-000000000001']);
    expect(events.at(-1)!.type).toBe('apply-done');
  });
});
