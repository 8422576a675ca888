import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, resolveApiUrl, resolveCredentials } from '../../../../src/providers/heroku/auth.js';
import { ConfigurationError } from '../../../../src/providers/heroku/errors.js';

describe('resolveApiUrl', () => {
  it('prefers the flag, then HEROKU_API_URL, then the default', () => {
    expect(resolveApiUrl('https://flag.example.com', { HEROKU_API_URL: 'https://env.example.com' }).host).toBe('flag.example.com');
    expect(resolveApiUrl(undefined, { HEROKU_API_URL: 'https://env.example.com/' }).href).toBe('https://env.example.com/');
    expect(resolveApiUrl(undefined, {}).href).toBe('https://api.heroku.com/');
  });

  it('allows http only for loopback hosts', () => {
    expect(resolveApiUrl('http://127.0.0.1:5000', {}).port).toBe('5000');
    expect(resolveApiUrl('http://localhost:5000', {}).hostname).toBe('localhost');
    expect(resolveApiUrl('http://[::1]:5000', {}).hostname).toBe('[::1]');
    expect(() => resolveApiUrl('http://api.example.com', {})).toThrow(ConfigurationError);
    expect(() => resolveApiUrl(undefined, { HEROKU_API_URL: 'http://10.0.0.1:5000' })).toThrow(/HEROKU_API_URL.*plain http/);
  });

  it('refuses other schemes, junk and embedded credentials without echoing them', () => {
    expect(() => resolveApiUrl('ftp://x', {})).toThrow(/https/);
    expect(() => resolveApiUrl('not a url', {})).toThrow(/--api-url "not a url" is not a URL/);
    try {
      resolveApiUrl('https://user:hunter22@api.example.com', {});
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/must not contain credentials/);
      expect((err as Error).message).not.toContain('hunter22');
    }
  });

  it('knows loopback', () => {
    expect(isLoopbackHost('127.1.2.3')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
  });
});

describe('resolveCredentials', () => {
  const url = new URL('http://127.0.0.1:5000');

  it('uses HEROKU_API_KEY first', async () => {
    const c = await resolveCredentials({ apiUrl: url, env: { HEROKU_API_KEY: ' k1 ', NETRC: '/nonexistent' } });
    expect(c).toEqual({ token: 'k1', source: 'HEROKU_API_KEY', warnings: [] });
  });

  it('reads the netrc entry for host:port and warns when others can read the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'netrc-'));
    const file = join(dir, 'netrc');
    await writeFile(file, 'machine 127.0.0.1 password wrong\nmachine 127.0.0.1:5000 login u password right\n');
    await chmod(file, 0o600);
    const ok = await resolveCredentials({ apiUrl: url, env: { NETRC: file } });
    expect(ok).toEqual({ token: 'right', source: 'netrc', warnings: [] });
    await chmod(file, 0o644);
    const loose = await resolveCredentials({ apiUrl: url, env: { NETRC: file } });
    expect(loose.token).toBe('right');
    expect(loose.warnings.join('\n')).toMatch(/readable by other users \(mode 644\).*chmod 600/);
    expect(loose.warnings.join('\n')).not.toContain('right');
  });

  it('finds ~/.netrc through HOME', async () => {
    const home = await mkdtemp(join(tmpdir(), 'home-'));
    await writeFile(join(home, '.netrc'), 'machine api.heroku.com login u password fromhome\n', { mode: 0o600 });
    const c = await resolveCredentials({ apiUrl: new URL('https://api.heroku.com'), env: { HOME: home } });
    expect(c.token).toBe('fromhome');
  });

  it('names both ways when there are no credentials', async () => {
    const home = await mkdtemp(join(tmpdir(), 'home-'));
    await expect(resolveCredentials({ apiUrl: url, env: { HOME: home } })).rejects.toThrow(
      /set HEROKU_API_KEY, or add an entry to .*\.netrc \(or the file named by NETRC\):\n\s+machine 127\.0\.0\.1:5000/,
    );
  });
});
