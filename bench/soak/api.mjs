// The harness's own Platform API client: plain fetch, nothing from src/.
//
// The soak plays two roles against the emulator besides running dynoform:
// "another client" on the same account (a deploy pushing slugs, someone
// setting config vars and scaling dynos) and the auditor that lists what
// exists at the end. Both must get through the same injected faults as
// dynoform does, so every call retries 5xx, 429 and dropped connections —
// and a create that may have happened is looked up before it is sent again,
// so the harness itself never makes the duplicates the soak looks for.

const ACCEPT = 'application/vnd.heroku+json; version=3';

export class HarnessApiError extends Error {
  constructor(method, path, status, body) {
    super(`${method} ${path} → ${status} ${typeof body === 'object' && body ? `${body.id ?? ''}: ${body.message ?? ''}` : String(body)}`);
    this.status = status;
    this.body = body;
  }
}

export class HarnessApi {
  /**
   * @param {{url: string, apiKey: string, maxAttempts?: number, baseDelayMs?: number}} opts
   */
  constructor({ url, apiKey, maxAttempts = 12, baseDelayMs = 20 }) {
    this.url = url.replace(/\/$/, '');
    this.apiKey = apiKey;
    this.maxAttempts = maxAttempts;
    this.baseDelayMs = baseDelayMs;
    /** What this client saw, for the soak's table. */
    this.counts = { requests: 0, retries: 0, status429: 0, status412: 0, faults: 0 };
  }

  /**
   * One logical call, retried through faults. `ambiguous` is consulted after
   * a failure that may have been applied (dropped connection, 5xx): when it
   * returns a value, that is the result and nothing is sent again.
   */
  async call(method, path, { body, ifMatch, range, ambiguous } = {}) {
    let lastError;
    // Once any attempt may have been applied, every later retry looks first.
    let maybeApplied = false;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (attempt > 1) {
        this.counts.retries += 1;
        await sleep(Math.min(2000, this.baseDelayMs * 2 ** (attempt - 2)) * (0.5 + Math.random()));
        maybeApplied ||= Boolean(lastError?.mayHaveApplied);
        if (ambiguous && maybeApplied) {
          const found = await ambiguous();
          if (found !== undefined) return { status: 200, body: found, headers: new Headers() };
        }
      }
      let res;
      this.counts.requests += 1;
      try {
        res = await fetch(this.url + path, {
          method,
          headers: {
            Accept: ACCEPT,
            Authorization: `Bearer ${this.apiKey}`,
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
            ...(ifMatch ? { 'If-Match': ifMatch } : {}),
            ...(range ? { Range: range } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (err) {
        this.counts.faults += 1;
        // No answer: for a write we cannot tell whether it happened.
        lastError = Object.assign(new Error(`${method} ${path}: ${err?.cause?.code ?? err?.message ?? err}`), { mayHaveApplied: method !== 'GET' });
        continue;
      }
      const text = await res.text();
      let parsed;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        parsed = text;
      }
      if (res.status === 429) {
        this.counts.status429 += 1;
        lastError = Object.assign(new HarnessApiError(method, path, 429, parsed), { mayHaveApplied: false });
        await sleep(250);
        continue;
      }
      if (res.status >= 500) {
        this.counts.faults += 1;
        lastError = Object.assign(new HarnessApiError(method, path, res.status, parsed), { mayHaveApplied: method !== 'GET' });
        continue;
      }
      if (res.status === 412) this.counts.status412 += 1;
      if (res.status >= 400) throw new HarnessApiError(method, path, res.status, parsed);
      return { status: res.status, body: parsed, headers: res.headers };
    }
    throw lastError ?? new Error(`${method} ${path}: gave up`);
  }

  /**
   * A noisy neighbour: a second tool on the same account that spends the
   * whole rate-limit bucket as fast as it can, then, for `holdMs`, takes
   * each token as it comes back — so that others on the account meet 429s.
   * No retries; an injected fault just counts as a request sent.
   */
  async drainBucket({ holdMs = 3000, concurrency = 64, maxMs = 20_000 } = {}) {
    const started = Date.now();
    let emptyAt;
    let sent = 0;
    let limited = 0;
    const done = () => Date.now() - started > maxMs || (emptyAt !== undefined && Date.now() - emptyAt > holdMs);
    const worker = async (i) => {
      while (!done()) {
        // Once the bucket is empty a few workers are enough to take every returning token.
        if (emptyAt !== undefined && i >= 16) return;
        sent += 1;
        this.counts.requests += 1;
        try {
          const res = await fetch(`${this.url}/account`, { headers: { Accept: ACCEPT, Authorization: `Bearer ${this.apiKey}` } });
          await res.arrayBuffer();
          if (res.status === 429) {
            emptyAt ??= Date.now();
            limited += 1;
            this.counts.status429 += 1;
          } else if (res.status >= 500) {
            this.counts.faults += 1;
          }
        } catch {
          this.counts.faults += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
    return { sent, limited };
  }

  async get(path) {
    return (await this.call('GET', path)).body;
  }

  /** A whole list, following Next-Range. */
  async list(path) {
    const items = [];
    let range = 'id ..; max=1000';
    for (let page = 0; page < 1000; page++) {
      const res = await this.call('GET', path, { range });
      items.push(...(Array.isArray(res.body) ? res.body : []));
      const next = res.headers.get('next-range');
      if (res.status !== 206 || !next) return items;
      range = next;
    }
    throw new Error(`GET ${path}: more than 1000 pages`);
  }

  async findApp(name) {
    try {
      return await this.get(`/apps/${encodeURIComponent(name)}`);
    } catch (err) {
      if (err instanceof HarnessApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  async createApp(name, region) {
    return (await this.call('POST', '/apps', { body: { name, region }, ambiguous: () => this.findApp(name) })).body;
  }

  /**
   * A deploy as a build would do it: a slug with these process types, then a
   * release of it. A repeated slug or release after a lost answer is what
   * real deploy tooling does too; both are harmless.
   */
  async deploy(app, processTypes) {
    const slug = await this.call('POST', `/apps/${app}/slugs`, { body: { process_types: processTypes } });
    return (await this.call('POST', `/apps/${app}/releases`, { body: { slug: slug.body.id, description: 'soak deploy' } })).body;
  }

  async config(app) {
    return this.get(`/apps/${app}/config-vars`);
  }

  /** Merge-PATCH: idempotent, so a blind retry is fine. */
  async patchConfig(app, vars) {
    return (await this.call('PATCH', `/apps/${app}/config-vars`, { body: vars })).body;
  }

  async formation(app) {
    return this.list(`/apps/${app}/formation`);
  }

  /** Absolute quantities: idempotent. */
  async scale(app, updates) {
    return (await this.call('PATCH', `/apps/${app}/formation`, { body: { updates } })).body;
  }

  async addons(app) {
    return this.list(`/apps/${app}/addons`);
  }

  async attachments(app) {
    return this.list(`/apps/${app}/addon-attachments`);
  }

  async allAddons() {
    return this.list('/addons');
  }

  async apps() {
    return this.list('/apps');
  }

  async domains(app) {
    return this.list(`/apps/${app}/domains`);
  }

  async createDomain(app, hostname) {
    const find = async () => (await this.domains(app)).find((d) => d.hostname === hostname);
    return (await this.call('POST', `/apps/${app}/domains`, { body: { hostname, sni_endpoint: null }, ambiguous: find })).body;
  }

  async drains(app) {
    return this.list(`/apps/${app}/log-drains`);
  }

  async createDrain(app, url) {
    const find = async () => (await this.drains(app)).find((d) => d.url === url);
    return (await this.call('POST', `/apps/${app}/log-drains`, { body: { url }, ambiguous: find })).body;
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
