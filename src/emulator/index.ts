import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultKind, FaultMatch } from './http/faults.js';
import { resolveOptions, type EmulatorOptions } from './options.js';
import { Platform, isoNow } from './platform.js';
import { Random } from './random.js';
import { resumePending } from './resources/index.js';
import { HttpLayer } from './server.js';
import { StatsRecorder, type EmulatorStats } from './stats.js';
import { Saver, loadStore } from './store/persistence.js';
import { Store } from './store/store.js';

export type { EmulatorOptions } from './options.js';
export { DEFAULT_CLI_PORT } from './options.js';
export type { EmulatorStats } from './stats.js';
export type { FaultKind, FaultMatch } from './http/faults.js';
export { DEFAULT_ACCOUNT, accountIdentity } from './server.js';

export interface EmulatorHandle {
  /** `http://127.0.0.1:PORT` — what HEROKU_HOST / --api-url should be. */
  url: string;
  host: string;
  port: number;
  /** Stops listening, drops open connections, cancels timers and saves `dataFile`. */
  close(): Promise<void>;
  stats(): EmulatorStats;
  resetStats(): void;
  setFaultRate(p: number): void;
  /** The next `n` matching Platform API requests fail with `kind`, ahead of any random fault. */
  failNext(n: number, kind: FaultKind, match?: FaultMatch): void;
  /** Writes `dataFile` now (a no-op without one). */
  save(): Promise<void>;
}

const CLOSE_GRACE_MS = 2000;

/** Starts a Platform API emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const opts = resolveOptions(options);
  const loaded = opts.dataFile ? await loadStore(opts.dataFile) : undefined;
  const store = loaded?.store ?? new Store();
  const platform = new Platform(store, { provisionDelayMs: opts.provisionDelayMs, seed: opts.seed });
  resumePending(platform);
  const stats = new StatsRecorder();
  const http = new HttpLayer(opts, platform, stats, opts.seed ?? Random.randomSeed());
  const saver = opts.dataFile && loaded ? new Saver(opts.dataFile, loaded, isoNow, 200, opts.log) : undefined;
  if (saver) store.onTouch = () => saver.poke();

  const server: Server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
    http.handle(req, res).catch((err: unknown) => {
      opts.log(`emulator: request failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ id: 'internal_server_error', message: 'Internal server error.' }));
    });
  });
  // Longer than the keep-alive of common clients (undici: 4 s), so a client
  // never reuses a socket the server is closing at the same moment.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl}:${address.port}`,
    host: address.address,
    port: address.port,
    close() {
      closing ??= (async () => {
        platform.close();
        http.closing = true;
        // Requests in flight get to finish (they are short: handlers are
        // synchronous, only latency and body reads wait); idle keep-alive
        // sockets go at once, and anything still open after a grace period.
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
          force.unref();
          server.close(() => {
            clearTimeout(force);
            resolve();
          });
          server.closeIdleConnections();
        });
        await saver?.close();
      })();
      return closing;
    },
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    setFaultRate: (p) => http.faults.setRate(p),
    failNext: (n, kind, match) => http.faults.failNext(n, kind, match),
    save: async () => {
      await saver?.flush();
    },
  };
}
