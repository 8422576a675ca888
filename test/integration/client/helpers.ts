import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../../src/emulator/index.js';
import type { ClientEvent } from '../../../src/model/client.js';
import { createApp } from '../../../src/providers/heroku/apps.js';
import { HerokuClient, type HerokuClientOptions } from '../../../src/providers/heroku/client.js';

export const TOKEN = 'client-test-token-7d1c9a';

/** An emulator on loopback plus clients of it; `close()` ends all of them. */
export class Bench {
  readonly events: ClientEvent[] = [];
  private readonly clients: HerokuClient[] = [];

  private constructor(readonly emu: EmulatorHandle) {}

  static async start(opts: EmulatorOptions = {}): Promise<Bench> {
    return new Bench(await startEmulator({ rateLimit: 1_000_000, refillPerHour: 1_000_000, apiKeys: [TOKEN], ...opts }));
  }

  /** A client of this emulator; events go to `this.events`. Fast retries: tests never wait on time they do not assert. */
  client(opts: Partial<HerokuClientOptions> = {}): HerokuClient {
    const c = new HerokuClient({
      apiUrl: this.emu.url,
      token: TOKEN,
      bucketSize: 1_000_000,
      refillPerHour: 1_000_000,
      retryBaseMs: 5,
      rateLimitBaseMs: 50,
      onEvent: (e) => this.events.push(e),
      ...opts,
    });
    this.clients.push(c);
    return c;
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.close();
    await this.emu.close();
  }
}

/** Creates `n` apps named `<prefix>-0000…` through the client, `concurrency` at a time. */
export async function seedApps(client: HerokuClient, n: number, prefix: string): Promise<string[]> {
  const names = Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
  await Promise.all(names.map((name) => createApp(client, { name, region: 'us' })));
  return names;
}

/** Releases a slug with these process types, as a deploy would (formation exists only then). */
export async function deploy(client: HerokuClient, app: string, processTypes: Record<string, string>): Promise<void> {
  const slug = await client.request<{ id: string }>('POST', `/apps/${app}/slugs`, { body: { process_types: processTypes } });
  await client.request('POST', `/apps/${app}/releases`, { body: { slug: slug.body.id } });
}
