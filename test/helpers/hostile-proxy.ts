import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One exchange as the proxy saw it. */
export interface Seen {
  method: string;
  path: string;
  /** What the client got (after any rewrite); 0 when the socket was dropped. */
  status: number;
  /** The request reached the API behind the proxy. */
  forwarded: boolean;
}

export interface Upstream {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * What to do with one request. `pass` forwards it and returns the answer as
 * is; `rewrite` forwards it and changes the answer; `respond` answers
 * without forwarding (the API never sees it); `destroy` drops the socket.
 * `before` runs (awaited) before a request is forwarded: another client's
 * edit landing at exactly that moment.
 */
export type Action =
  | { type: 'pass'; before?: () => Promise<void> }
  | { type: 'rewrite'; rewrite: (up: Upstream) => Upstream; before?: () => Promise<void> }
  | { type: 'respond'; status: number; headers?: Record<string, string>; body?: string }
  | { type: 'destroy' };

export type Rule = (req: { method: string; path: string; n: number }) => Action;

/**
 * A hostile API in front of a real one (the emulator), on loopback: it
 * forwards every request and lets a test rule corrupt, replace or drop the
 * answers — bodies, statuses, headers — while counting what went through.
 */
export class HostileProxy {
  readonly seen: Seen[] = [];
  rule: Rule = () => ({ type: 'pass' });
  private n = 0;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<HostileProxy> {
    const up = new URL(target);
    let self: HostileProxy | undefined;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const proxy = self!;
        const method = req.method ?? 'GET';
        const path = req.url ?? '/';
        proxy.n += 1;
        const action = proxy.rule({ method, path: path.split('?')[0]!, n: proxy.n });
        const record = (status: number, forwarded = false): void => {
          proxy.seen.push({ method, path, status, forwarded });
        };
        if (action.type === 'destroy') {
          record(0);
          req.socket.destroy();
          return;
        }
        if (action.type === 'respond') {
          record(action.status);
          res.writeHead(action.status, { 'Content-Type': 'application/json', ...action.headers });
          res.end(action.body ?? '');
          return;
        }
        const headers = { ...req.headers, host: up.host };
        const fwd = http.request({ host: up.hostname, port: up.port, method, path, headers }, (ures) => {
          const body: Buffer[] = [];
          ures.on('data', (c: Buffer) => body.push(c));
          ures.on('end', () => {
            const h: Record<string, string> = {};
            for (const [k, v] of Object.entries(ures.headers)) if (v !== undefined && k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection') h[k] = Array.isArray(v) ? v.join(', ') : v;
            let out: Upstream = { status: ures.statusCode ?? 502, headers: h, body: Buffer.concat(body).toString('utf8') };
            if (action.type === 'rewrite') out = action.rewrite(out);
            record(out.status, true);
            res.writeHead(out.status, out.headers);
            res.end(out.body);
          });
        });
        fwd.on('error', () => {
          record(502, true);
          res.writeHead(502);
          res.end();
        });
        const before = action.before ?? (() => Promise.resolve());
        void before().then(
          () => fwd.end(Buffer.concat(chunks)),
          () => fwd.destroy(),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self = new HostileProxy(server, `http://127.0.0.1:${port}`);
    return self;
  }

  /** Requests other than GET/HEAD that reached the API through the proxy. */
  writes(): Seen[] {
    return this.seen.filter((s) => s.forwarded && s.method !== 'GET' && s.method !== 'HEAD');
  }

  reset(): void {
    this.seen.length = 0;
    this.rule = () => ({ type: 'pass' });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A JSON body changed by `edit` (which may return a new value); bodies that are not JSON pass unchanged. */
export function editJson(edit: (body: unknown) => unknown): (up: Upstream) => Upstream {
  return (up) => {
    let body: unknown;
    try {
      body = JSON.parse(up.body);
    } catch {
      return up;
    }
    const out = edit(body);
    return { ...up, body: JSON.stringify(out === undefined ? body : out) };
  };
}
