import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { main } from '../../src/cli/main.js';
import { TEST_FINGERPRINT_KEY } from './fingerprint-key.js';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js';

export const TOKEN = 'integration-token';

class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A test's world for the CLI: an emulator on loopback, a temp working
 * directory, and `dynoform` run in-process against it with its own streams
 * and environment — the real client over real HTTP, nothing mocked.
 */
export class CliWorld {
  readonly heroku: HerokuCliShapes;
  env: Record<string, string>;

  private constructor(
    readonly emulator: EmulatorHandle,
    readonly dir: string,
  ) {
    this.heroku = new HerokuCliShapes(emulator.url, TOKEN);
    this.env = { HEROKU_API_URL: emulator.url, HEROKU_API_KEY: TOKEN, DYNOFORM_FINGERPRINT_KEY: TEST_FINGERPRINT_KEY, NO_COLOR: '1', HOME: dir, PATH: process.env.PATH ?? '' };
  }

  static async start(options: EmulatorOptions = {}): Promise<CliWorld> {
    const emulator = await startEmulator({ rateLimit: 100_000, refillPerHour: 100_000, seed: 7, ...options });
    const dir = await mkdtemp(join(tmpdir(), 'dynoform-drift-'));
    return new CliWorld(emulator, dir);
  }

  async close(): Promise<void> {
    await this.emulator.close();
    await rm(this.dir, { recursive: true, force: true });
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  async write(name: string, text: string): Promise<string> {
    const p = this.path(name);
    await writeFile(p, text);
    return p;
  }

  async run(args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
    const stdout = new Capture();
    const stderr = new Capture();
    const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
    stdin.end();
    const code = await main(['node', 'dynoform', ...args], {
      env: { ...this.env, ...extraEnv },
      cwd: this.dir,
      stdout,
      stderr,
      stdin,
      signal: new AbortController().signal,
    });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  /** Platform API writes the emulator applied so far, by route. */
  writes(): Record<string, number> {
    return this.emulator.stats().writes;
  }
}

/**
 * Builds and edits apps with the request shapes the official Heroku CLI
 * sends (shared/heroku-api/CLI-CLIENT.md §3): string quantities, the
 * user's size casing, `{"attachment":{},"config":{},"plan":{"name":…}}`,
 * `sni_endpoint: null`, and so on. Deploys go through slugs and releases,
 * as a build would.
 */
export class HerokuCliShapes {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<unknown> {
    const res = await fetch(this.url + path, {
      method,
      headers: {
        'user-agent': 'heroku-cli/11.10.0 linux',
        accept: 'application/vnd.heroku+json; version=3',
        'request-id': randomUUID(),
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return text === '' ? undefined : JSON.parse(text);
  }

  /** `heroku apps:create NAME --region R` */
  appsCreate(name: string, region = 'us'): Promise<unknown> {
    return this.request('POST', '/apps', { name, region });
  }

  /** `heroku apps:destroy NAME --confirm NAME` */
  async appsDestroy(name: string): Promise<void> {
    await this.request('GET', `/apps/${name}`);
    await this.request('DELETE', `/apps/${name}`);
  }

  /** `heroku config:set K=V … -a APP` (then the release lookup the CLI makes). */
  async configSet(app: string, vars: Record<string, string>): Promise<void> {
    await this.request('PATCH', `/apps/${app}/config-vars`, vars);
    await this.request('GET', `/apps/${app}/releases`, undefined, { range: 'version ..; order=desc,max=1' });
  }

  /** `heroku config:unset K … -a APP` */
  async configUnset(app: string, ...keys: string[]): Promise<void> {
    await this.request('PATCH', `/apps/${app}/config-vars`, Object.fromEntries(keys.map((k) => [k, null])));
    await this.request('GET', `/apps/${app}/releases`, undefined, { range: 'version ..; order=desc,max=1' });
  }

  /** `heroku ps:scale web=2:standard-1X worker=1 -a APP`: quantities as strings, size as typed. */
  async psScale(app: string, updates: Array<{ type: string; quantity: string; size?: string }>): Promise<void> {
    await this.request('GET', `/apps/${app}`);
    await this.request('PATCH', `/apps/${app}/formation`, {
      updates: updates.map((u) => ({ quantity: u.quantity, ...(u.size ? { size: u.size } : {}), type: u.type })),
    });
  }

  /** `heroku maintenance:on -a APP` */
  async maintenance(app: string, on: boolean): Promise<void> {
    await this.request('PATCH', `/apps/${app}`, { maintenance: on });
  }

  /** `heroku addons:create PLAN [--as NAME] -a APP` */
  addonsCreate(app: string, plan: string, as?: string): Promise<unknown> {
    return this.request(
      'POST',
      `/apps/${app}/addons`,
      { attachment: as ? { name: as } : {}, config: {}, plan: { name: plan } },
      { 'accept-expansion': 'plan', 'x-heroku-legacy-provider-messages': 'true' },
    );
  }

  /** `heroku addons:destroy NAME -a APP --confirm APP` */
  async addonsDestroy(app: string, addon: string): Promise<void> {
    await this.request('DELETE', `/apps/${app}/addons/${addon}`);
  }

  /** `heroku domains:add HOST -a APP` */
  async domainsAdd(app: string, hostname: string): Promise<void> {
    await this.request('GET', `/apps/${app}/sni-endpoints`);
    await this.request('POST', `/apps/${app}/domains`, { hostname, sni_endpoint: null });
  }

  /** `heroku domains:remove HOST -a APP` */
  async domainsRemove(app: string, hostname: string): Promise<void> {
    await this.request('DELETE', `/apps/${app}/domains/${hostname}`);
  }

  /** `heroku drains:add URL -a APP` */
  async drainsAdd(app: string, url: string): Promise<void> {
    await this.request('POST', `/apps/${app}/log-drains`, { url });
  }

  /** `heroku drains:remove URL -a APP` */
  async drainsRemove(app: string, url: string): Promise<void> {
    await this.request('DELETE', `/apps/${app}/log-drains/${encodeURIComponent(url)}`);
  }

  /** What a build does: a slug with process types, released. */
  async deploy(app: string, processTypes: Record<string, string>): Promise<void> {
    const slug = (await this.request('POST', `/apps/${app}/slugs`, { process_types: processTypes })) as { id: string };
    await this.request('POST', `/apps/${app}/releases`, { slug: slug.id, description: 'Deploy' });
  }

  /** `heroku labs:enable|disable FEATURE -a APP`: the account-feature probe (a 404 for app features), the app feature, the PATCH. */
  async labs(app: string, feature: string, enabled: boolean): Promise<void> {
    await this.request('GET', `/account/features/${feature}`).catch(() => undefined);
    await this.request('GET', `/apps/${app}/features/${feature}`);
    await this.request('PATCH', `/apps/${app}/features/${feature}`, { enabled });
  }

  /** `heroku apps:create NAME --team TEAM`: POST /teams/apps. */
  appsCreateInTeam(name: string, team: string): Promise<unknown> {
    return this.request('POST', '/teams/apps', { name, team });
  }

  /** `heroku access:add EMAIL -a APP [--permissions …]`: a team app with access controls goes through the team API, view always added. */
  async accessAdd(app: string, email: string, permissions?: string[]): Promise<void> {
    const info = (await this.request('GET', `/apps/${app}`)) as { team: { name: string } | null };
    if (info.team) {
      await this.request('GET', `/teams/${info.team.name}/features`);
      await this.request('POST', `/teams/apps/${app}/collaborators`, { user: email, permissions: [...new Set([...(permissions ?? []), 'view'])].sort() });
    } else await this.request('POST', `/apps/${app}/collaborators`, { user: email });
  }

  /** `heroku access:update EMAIL -a APP --permissions …` */
  async accessUpdate(app: string, email: string, permissions: string[]): Promise<void> {
    await this.request('GET', `/apps/${app}`);
    await this.request('PATCH', `/teams/apps/${app}/collaborators/${email}`, { permissions: [...new Set([...permissions, 'view'])].sort() });
  }

  /** `heroku buildpacks:set|add|remove …`: the CLI reads the list, then PUTs the whole new one. */
  async buildpacksSet(app: string, ...buildpacks: string[]): Promise<void> {
    await this.request('GET', `/apps/${app}/buildpack-installations`);
    await this.request('PUT', `/apps/${app}/buildpack-installations`, { updates: buildpacks.map((buildpack) => ({ buildpack })) });
  }

  /** `heroku certs:add CRT KEY -a APP`: the upload, then the domains it waits for (no domain matches: no prompt). */
  async certsAdd(app: string, chain: string, key: string): Promise<{ id: string; name: string }> {
    const ep = (await this.request('POST', `/apps/${app}/sni-endpoints`, { certificate_chain: chain, private_key: key })) as { id: string; name: string };
    await this.request('GET', `/apps/${app}/domains`);
    return ep;
  }

  /** `heroku domains:add HOST --cert NAME -a APP` (with --cert the CLI skips the endpoint lookup). */
  async domainsAddWithCert(app: string, hostname: string, cert: string): Promise<void> {
    await this.request('POST', `/apps/${app}/domains`, { hostname, sni_endpoint: cert });
  }

  /** `heroku certs:auto:enable -a APP` / `certs:auto:disable -a APP --confirm APP`. */
  async certsAuto(app: string, on: boolean): Promise<void> {
    if (on) {
      await this.request('GET', `/apps/${app}/domains`);
      await this.request('POST', `/apps/${app}/acm`, {});
      await this.request('GET', `/apps/${app}/domains`);
    } else {
      await this.request('DELETE', `/apps/${app}/acm`);
    }
  }

  /** `heroku releases:rollback vN -a APP`: the release, then a new one with its slug and config. */
  async releasesRollback(app: string, version: number): Promise<void> {
    const rel = (await this.request('GET', `/apps/${app}/releases/${version}`)) as { id: string };
    await this.request('POST', `/apps/${app}/releases`, { release: rel.id });
  }

  /** What an add-on provider does when it rotates a credential: `PATCH /addons/{id}/config`. */
  addonConfigUpdate(addon: string, config: Array<{ name: string; value: string | null }>): Promise<unknown> {
    return this.request('PATCH', `/addons/${addon}/config`, { config });
  }

  /** `heroku webhooks:add -i … -l … -u URL [-s SECRET] [-t AUTH] -a APP`: the webhooks client (3.webhooks, Basic auth with the token). */
  webhooksAdd(app: string, w: { url: string; include: string[]; level: string; secret?: string; authorization?: string }): Promise<unknown> {
    return this.request('POST', `/apps/${app}/webhooks`, w, this.webhooksHeaders());
  }

  /** `heroku webhooks:remove ID -a APP` */
  async webhooksRemove(app: string, id: string): Promise<void> {
    await this.request('DELETE', `/apps/${app}/webhooks/${id}`, undefined, this.webhooksHeaders());
  }

  private webhooksHeaders(): Record<string, string> {
    return { accept: 'application/vnd.heroku+json; version=3.webhooks', authorization: `Basic ${Buffer.from(`:${this.token}`).toString('base64')}` };
  }

  /** `heroku addons:attach ADDON [--as NAME] -a APP`: the references as objects. */
  addonsAttach(app: string, addon: string, as?: string): Promise<unknown> {
    return this.request('POST', '/addon-attachments', { addon: { name: addon }, app: { name: app }, ...(as ? { name: as } : {}) });
  }

  /** `heroku addons:detach NAME -a APP`: the attachment by name on the app, then its DELETE by id. */
  async addonsDetach(app: string, name: string): Promise<void> {
    const att = (await this.request('GET', `/apps/${app}/addon-attachments/${name}`)) as { id: string };
    await this.request('DELETE', `/addon-attachments/${att.id}`);
  }

  configVars(app: string): Promise<Record<string, string>> {
    return this.request('GET', `/apps/${app}/config-vars`) as Promise<Record<string, string>>;
  }
}

/** 1-based line of the first line of `text` containing `needle` at or after line `from`. */
export function lineOf(text: string, needle: string, from = 1): number {
  const lines = text.split('\n');
  for (let i = from - 1; i < lines.length; i++) if (lines[i]!.includes(needle)) return i + 1;
  throw new Error(`"${needle}" not found`);
}
