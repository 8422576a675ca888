import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isLoopbackAddress } from './auth.js';

/**
 * One HTTP exchange over node:http(s) with a keep-alive agent. It exists
 * (rather than fetch) to tell "the request never left" from "it may have
 * reached the server": only the second makes a POST ambiguous.
 */
export interface RawRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  timeoutMs: number;
  /** Responses larger than this fail with EBODYTOOLARGE instead of filling memory. */
  maxBodyBytes: number;
  signal?: AbortSignal;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A failed exchange without a (complete) response. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string,
    /** The request may have reached the server. */
    readonly sent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransportError';
  }
}

/** Connection failures that happen before a single byte is accepted by the server. */
const NEVER_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'ENOTLOOPBACK',
  // A failed TLS handshake: no request byte went out.
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
]);

export class Transport {
  private readonly agent: http.Agent;
  private readonly lib: typeof http | typeof https;

  constructor(base: URL, maxSockets: number) {
    const secure = base.protocol === 'https:';
    this.lib = secure ? https : http;
    const opts: http.AgentOptions = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' };
    // Plain http is allowed for loopback only (auth.ts): a name such as `localhost` must resolve there too.
    if (!secure) opts.lookup = loopbackOnlyLookup;
    this.agent = secure ? new https.Agent(opts) : new http.Agent(opts);
  }

  send(r: RawRequest): Promise<RawResponse> {
    return new Promise<RawResponse>((resolve, reject) => {
      let written = false;
      let responded = false;
      let settled = false;
      const fail = (code: string, message: string, cause?: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        r.signal?.removeEventListener('abort', onAbort);
        // Refused/unresolvable never reach the server; otherwise "written" decides.
        const sent = responded || (!NEVER_SENT.has(code) && !code.startsWith('ERR_SSL_') && written);
        reject(new TransportError(message, code, sent, { cause }));
      };
      const headers: Record<string, string> = { ...r.headers };
      if (r.body) headers['Content-Length'] = String(r.body.length);
      const req = this.lib.request(r.url, { method: r.method, headers, agent: this.agent });
      const timer = setTimeout(() => {
        fail('ETIMEDOUT', `no response within ${r.timeoutMs} ms`);
        req.destroy();
      }, r.timeoutMs);
      const onAbort = (): void => {
        fail('ABORT_ERR', 'aborted');
        req.destroy();
      };
      if (r.signal?.aborted) {
        onAbort();
        return;
      }
      r.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('finish', () => {
        written = true;
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        fail(err.code ?? 'ECONNRESET', describe(err), err);
      });
      req.on('response', (res) => {
        responded = true;
        const chunks: Buffer[] = [];
        let size = 0;
        const tooLarge = (): void => {
          fail('EBODYTOOLARGE', `the response body is larger than ${formatBytes(r.maxBodyBytes)}`);
          req.destroy();
        };
        const announced = Number(res.headers['content-length']);
        if (Number.isFinite(announced) && announced > r.maxBodyBytes) {
          tooLarge();
          return;
        }
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > r.maxBodyBytes) {
            tooLarge();
            return;
          }
          chunks.push(c);
        });
        res.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? 'ECONNRESET', describe(err), err));
        res.on('aborted', () => fail('ECONNRESET', 'connection lost while reading the response'));
        res.on('end', () => {
          if (settled) return;
          if (!res.complete) {
            fail('ECONNRESET', 'connection lost while reading the response');
            return;
          }
          settled = true;
          clearTimeout(timer);
          r.signal?.removeEventListener('abort', onAbort);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
      });
      req.end(r.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** dns.lookup that fails with ENOTLOOPBACK when the name resolves to anything but loopback. */
export const loopbackOnlyLookup = ((hostname: string, options: object, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void): void => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => !isLoopbackAddress(a.address));
    if (bad || list.length === 0) {
      const e: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${bad?.address ?? 'nothing'}, not a loopback address: plain http:// is only used for loopback`);
      e.code = 'ENOTLOOPBACK';
      return callback(e, '');
    }
    if ((options as { all?: boolean }).all) return callback(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
}) as unknown as http.AgentOptions['lookup'];

function formatBytes(n: number): string {
  return n >= 1 << 20 ? `${Math.round(n / (1 << 20))} MiB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} bytes`;
}

function describe(err: NodeJS.ErrnoException): string {
  // Node's messages name host and port, never headers, so they are safe to show.
  return err.message || err.code || 'connection error';
}
