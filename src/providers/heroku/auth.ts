import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isIP } from 'node:net';
import { ConfigurationError } from './errors.js';
import { findNetrcEntry, parseNetrc } from './netrc.js';

export const DEFAULT_API_URL = 'https://api.heroku.com';

type Env = Record<string, string | undefined>;

/**
 * True for `localhost`, 127.0.0.0/8 and ::1: the only hosts plain http may
 * reach. `localhost` is a name, so the transport also checks that it
 * resolves to loopback before connecting; `*.localhost` is refused outright
 * (whatever a resolver makes of it, the name alone proves nothing).
 */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  return isLoopbackAddress(h);
}

/** A literal 127.0.0.0/8 or ::1 address (also as IPv4-mapped IPv6). */
export function isLoopbackAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^::ffff:/, '');
  if (isIP(a) === 4) return a.startsWith('127.');
  if (isIP(a) === 6) return a === '::1' || a === '0:0:0:0:0:0:0:1';
  return false;
}

/** The URL without userinfo, safe to put in a message. */
function safeForDisplay(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1***@');
}

/**
 * The API endpoint: `--api-url`, else `HEROKU_API_URL`, else
 * https://api.heroku.com. Plain http is refused unless the host is loopback,
 * because the token travels in a header.
 */
export function resolveApiUrl(flag: string | undefined, env: Env): URL {
  const fromFlag = flag !== undefined && flag.trim() !== '';
  const fromEnv = !fromFlag && (env.HEROKU_API_URL ?? '').trim() !== '';
  const raw = fromFlag ? flag!.trim() : fromEnv ? env.HEROKU_API_URL!.trim() : DEFAULT_API_URL;
  const origin = fromFlag ? '--api-url' : fromEnv ? 'HEROKU_API_URL' : 'the default API URL';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError(
      `${origin} "${safeForDisplay(raw)}" is not a URL; expected something like https://api.heroku.com or http://127.0.0.1:5000`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(`${origin} must use https:// (got ${url.protocol}//${url.host})`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigurationError(
      `${origin} must not contain credentials; use HEROKU_API_KEY or a netrc entry instead (got ${safeForDisplay(raw)})`,
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigurationError(`${origin} must not have a query or fragment (got ${url.origin}${url.pathname}...)`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ConfigurationError(
      `${origin} ${url.origin} uses plain http:// to a non-loopback host; the API token would travel unencrypted. ` +
        `Use https://, or http:// only with localhost/127.0.0.1 (e.g. the dynoform emulator)`,
    );
  }
  // A base path is kept (for proxies) without its trailing slash, so paths join cleanly.
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

export interface Credentials {
  token: string;
  source: 'HEROKU_API_KEY' | 'netrc';
  warnings: string[];
}

/**
 * The API token: `HEROKU_API_KEY`, else the netrc entry whose machine is the
 * API host (with `:port` when the port is not the scheme's default, as the
 * Heroku CLI writes it). The file is `NETRC` or `~/.netrc`.
 */
export async function resolveCredentials(opts: { apiUrl: URL; env: Env }): Promise<Credentials> {
  const { apiUrl, env } = opts;
  const warnings: string[] = [];
  const key = env.HEROKU_API_KEY?.trim();
  if (key) return { token: key, source: 'HEROKU_API_KEY', warnings };

  if (env.HEROKU_API_TOKEN?.trim()) {
    warnings.push('HEROKU_API_TOKEN is set but ignored; dynoform reads HEROKU_API_KEY');
  }

  // URL.host already omits the default port, which is exactly the netrc machine name.
  const machine = apiUrl.host;
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  const netrcPath = env.NETRC?.trim() || join(home, '.netrc');

  let text: string | undefined;
  try {
    text = await readFile(netrcPath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      warnings.push(`could not read ${netrcPath}: ${code ?? String(err)}`);
    }
  }

  if (text !== undefined) {
    const entry = findNetrcEntry(parseNetrc(text), machine);
    if (entry?.password) {
      if (process.platform !== 'win32') {
        const mode = (await stat(netrcPath)).mode & 0o777;
        if ((mode & 0o077) !== 0) {
          warnings.push(
            `${netrcPath} is readable by other users (mode ${mode.toString(8).padStart(3, '0')}); ` +
              `it holds your Heroku API token — run: chmod 600 ${netrcPath}`,
          );
        }
      }
      return { token: entry.password, source: 'netrc', warnings };
    }
    if (entry && !entry.password) {
      warnings.push(`the netrc entry for ${entry.machine ?? 'default'} in ${netrcPath} has no password`);
    }
  }

  throw new ConfigurationError(
    `No Heroku API credentials for ${apiUrl.origin}. Either set HEROKU_API_KEY, ` +
      `or add an entry to ${netrcPath} (or the file named by NETRC):\n` +
      `  machine ${machine}\n    login you@example.com\n    password <API token>` +
      (warnings.length ? `\n(${warnings.join('; ')})` : ''),
  );
}
