import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../../src/emulator/index.js';

export const V3 = 'application/vnd.heroku+json; version=3';

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Send `body` as this raw string instead of JSON. */
  raw?: string;
}

/** A tiny Platform API client for tests: v3 Accept and a Bearer token unless overridden. */
export function client(emu: EmulatorHandle, token = 'test-token') {
  return async function call<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { Accept: V3, Authorization: `Bearer ${token}`, ...opts.headers };
    for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
    let body: string | undefined = opts.raw;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] = 'application/json';
    }
    const res = await fetch(emu.url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  };
}

export type Call = ReturnType<typeof client>;

/** Starts an emulator for one test file and closes it afterwards. */
export async function withEmulator(options: EmulatorOptions = {}): Promise<{ emu: EmulatorHandle; call: Call }> {
  const emu = await startEmulator({ rateLimit: 1_000_000, refillPerHour: 1_000_000, ...options });
  return { emu, call: client(emu) };
}

/** Creates an app with a released slug, so it has the given process types. */
export async function appWithProcesses(call: Call, name: string, processTypes: Record<string, string> = { web: 'npm start', worker: 'node worker.js' }) {
  const app = await call('POST', '/apps', { body: { name } });
  if (app.status !== 201) throw new Error(`create app ${name}: ${app.status} ${app.text}`);
  const slug = await call('POST', `/apps/${name}/slugs`, { body: { process_types: processTypes } });
  const release = await call('POST', `/apps/${name}/releases`, { body: { slug: slug.body.id } });
  if (release.status !== 201) throw new Error(`release ${name}: ${release.status} ${release.text}`);
  return app.body;
}

export const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));
