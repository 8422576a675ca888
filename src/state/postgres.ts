/**
 * The postgres backend (`--state postgres://…?state=NAME`): versioned rows in
 * one table, a session advisory lock per state name held on a dedicated
 * connection for as long as the lock is held, and the holder's identity in a
 * small side table so that "locked by <who> since <when>" can be said.
 *
 * Why a session lock: it is released by the server the moment the holding
 * connection dies (process killed, network lost), so a crashed apply never
 * leaves a lock behind, and a lock that was lost makes the next write fail
 * instead of writing unguarded.
 *
 * Connection strings carry passwords: every message that leaves this module
 * goes through `redact`, and `describe()` masks the userinfo.
 */
import pg from 'pg';
import { INVENTORY_VERSION, type Inventory } from '../model/inventory.js';
import { maskUrlUserinfo, redact } from '../util/mask.js';
import { siblingOf } from './environment.js';
import type { SiblingState, BreakLockResult, LockHolder, LockInfo, LockOptions, StateBackend, StateLock } from './backend.js';
import { StateConflictError, StateConnectionError, StateCorruptError, StateError, StateLockedError, StateVersionError } from './errors.js';
import { describeHolder, isStaleHere, lockAdvice, lockInfoFor, sleep } from './holder.js';
import { checkParsed, serializeInventory } from './inventory.js';
import { SequencedWrites, WriteSequence } from './sequence.js';

export interface PostgresBackendOptions {
  /** How often a waiting `lock()` retries; default 250 ms. */
  pollIntervalMs?: number;
  /** Connection timeout; default 10 s. */
  connectTimeoutMs?: number;
  /** Versions kept per state name; default 20. */
  keepVersions?: number;
  /** The state name when the URL has no `?state=`: the environment's name (default `default`). */
  defaultName?: string;
}

/** Advisory lock namespace (the first key of the two-key form): "dyno". The second key is hashtext(state name). */
const LOCK_CLASS = 0x64796e6f;
/** Serialises table creation between dynoform clients. */
const SCHEMA_LOCK_CLASS = LOCK_CLASS + 1;

export const STATE_TABLE = 'dynoform_state';
export const LOCK_TABLE = 'dynoform_locks';

const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (
  name text NOT NULL,
  serial bigint NOT NULL,
  lineage text NOT NULL,
  version integer NOT NULL,
  inventory jsonb NOT NULL,
  written_at timestamptz NOT NULL DEFAULT now(),
  written_by text NOT NULL,
  PRIMARY KEY (name, serial)
);
CREATE TABLE IF NOT EXISTS ${LOCK_TABLE} (
  name text PRIMARY KEY,
  lock_id text NOT NULL,
  who text NOT NULL,
  operation text NOT NULL,
  since timestamptz NOT NULL,
  backend_pid integer NOT NULL,
  client_host text,
  client_pid integer,
  client_user text
);`;

export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec.trim());
}

export function createPostgresBackend(url: string, opts: PostgresBackendOptions = {}): StateBackend {
  return new PostgresBackend(parsePostgresUrl(url, opts.defaultName), opts);
}

export interface ParsedPostgresUrl {
  /** What pg connects with: the URL without the `state` parameter. */
  connectionString: string;
  /** The `?state=` parameter, default the environment's name (`default` without one). */
  stateName: string;
  /** The URL with credentials masked, safe to print. */
  masked: string;
  /** Strings that must never appear in output (the password in the forms it was given, the whole URL). */
  secrets: string[];
}

export function parsePostgresUrl(url: string, defaultName = 'default'): ParsedPostgresUrl {
  const text = url.trim();
  const secrets = [text];
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(text)?.[1] ?? '';
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    if (colon >= 0) secrets.push(userinfo.slice(colon + 1));
  }
  let stateName = defaultName;
  let connectionString = text;
  const q = text.indexOf('?');
  if (q >= 0) {
    const hash = text.indexOf('#', q);
    const end = hash < 0 ? text.length : hash;
    const kept: string[] = [];
    for (const pair of text.slice(q + 1, end).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
      const value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
      if (name === 'state') stateName = value;
      else {
        kept.push(pair);
        if (/pass|secret|key|token/i.test(name) && value) secrets.push(value, pair.slice(eq + 1));
      }
    }
    connectionString = text.slice(0, q) + (kept.length ? `?${kept.join('&')}` : '');
  }
  const masked = maskUrlUserinfo(text);
  if (stateName === '' || stateName.length > 200 || /[\u0000-\u001f]/.test(stateName)) {
    throw new StateError('state-url-invalid', `invalid state name in ${masked}: ?state= must be 1 to 200 printable characters`);
  }
  return { connectionString, stateName, masked, secrets };
}

function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Errors that mean the session is gone (and the advisory lock with it). */
function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === 'string' && (/^08/.test(e.code) || /^57P0[123]$/.test(e.code))) return true;
  if (typeof e?.code === 'string' && ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN'].includes(e.code)) return true;
  return /connection terminated|not queryable|connection ended|timeout expired|terminating connection|server closed the connection/i.test(e?.message ?? '');
}

interface HolderRow {
  pid: number;
  lock_id: string | null;
  who: string | null;
  operation: string | null;
  since: Date | null;
  client_host: string | null;
  client_pid: number | null;
  client_user: string | null;
  application_name: string | null;
  client_addr: string | null;
}

class PostgresBackend implements StateBackend {
  private reader: pg.Client | undefined;
  private readonly held = new Set<PostgresLock>();

  constructor(
    readonly url: ParsedPostgresUrl,
    readonly opts: PostgresBackendOptions,
  ) {}

  describe(): string {
    return this.url.masked;
  }

  /** Masks the password (and any URL credentials) in text that may echo them. */
  redact(text: string): string {
    return redact(text, this.url.secrets);
  }

  /** Maps a pg failure to a StateError whose message holds no password. */
  fail(err: unknown, doing: string): StateError {
    if (err instanceof StateError) return err;
    const msg = this.redact(err instanceof Error ? err.message : String(err));
    if (isConnectionError(err)) {
      return new StateConnectionError(`lost the connection to the state database ${this.url.masked} while ${doing}: ${msg}`);
    }
    return new StateError('state-database', `state database ${this.url.masked}: ${doing} failed: ${msg}`);
  }

  async connect(onLost?: (err: Error) => void): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.url.connectionString,
      connectionTimeoutMillis: this.opts.connectTimeoutMs ?? 10_000,
      keepAlive: true,
      application_name: 'dynoform',
    });
    // Without a listener, an idle connection dying would crash the process.
    client.on('error', (err) => onLost?.(err));
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      throw new StateConnectionError(
        `cannot connect to the state database ${this.url.masked}: ${this.redact(err instanceof Error ? err.message : String(err))}`,
      );
    }
    return client;
  }

  private async readerClient(): Promise<pg.Client> {
    if (!this.reader) {
      const client = await this.connect(() => {
        if (this.reader === client) this.reader = undefined;
      });
      this.reader = client;
    }
    return this.reader;
  }

  async read(): Promise<Inventory | undefined> {
    const client = await this.readerClient();
    try {
      return await this.readOn(client);
    } catch (err) {
      if (!(err instanceof StateError) && isConnectionError(err)) {
        this.reader = undefined;
        await client.end().catch(() => undefined);
      }
      throw this.fail(err, 'reading the state');
    }
  }

  async siblings(): Promise<{ states: SiblingState[]; unreadable: string[] }> {
    const client = await this.readerClient();
    try {
      const present = await client.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [STATE_TABLE]);
      if (!present.rows[0]?.present) return { states: [], unreadable: [] };
      const res = await client.query<{ name: string; inventory: unknown }>(
        `SELECT DISTINCT ON (name) name, inventory FROM ${STATE_TABLE} WHERE name <> $1 ORDER BY name, ${STATE_TABLE}.serial DESC`,
        [this.url.stateName],
      );
      const states: SiblingState[] = [];
      const unreadable: string[] = [];
      for (const row of res.rows) {
        const where = `state "${row.name}" in ${this.url.masked}`;
        const parsed = checkParsed(row.inventory);
        if (parsed.ok) states.push(siblingOf(where, parsed.inventory));
        else unreadable.push(where);
      }
      return { states, unreadable };
    } catch (err) {
      throw this.fail(err, 'reading the other states');
    }
  }

  /** The latest version of this state name, read on the given connection. */
  async readOn(client: pg.Client): Promise<Inventory | undefined> {
    const present = await client.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [STATE_TABLE]);
    if (!present.rows[0]?.present) return undefined;
    const res = await client.query<{ serial: string; lineage: string; version: number; inventory: unknown }>(
      // Order by the bigint column, not the text alias of the same name.
      `SELECT serial::text AS serial, lineage, version, inventory FROM ${STATE_TABLE} WHERE name = $1 ORDER BY ${STATE_TABLE}.serial DESC LIMIT 1`,
      [this.url.stateName],
    );
    const row = res.rows[0];
    if (!row) return undefined;
    const where = `state "${this.url.stateName}" in ${this.url.masked} (serial ${row.serial})`;
    if (row.version > INVENTORY_VERSION) {
      throw new StateVersionError(
        `${where} has format version ${row.version}, written by a newer dynoform (this one reads up to version ${INVENTORY_VERSION}): upgrade dynoform. It was left untouched.`,
        row.version,
        INVENTORY_VERSION,
      );
    }
    const parsed = checkParsed(row.inventory);
    if (!parsed.ok) {
      const problem = parsed.kind === 'newer' ? `inventory version ${parsed.version} is newer than its row says` : parsed.problem;
      throw new StateCorruptError(`${where} is corrupt: ${problem}. It was left untouched; earlier versions are kept in table ${STATE_TABLE}.`);
    }
    if (parsed.inventory.lineage !== row.lineage) {
      throw new StateCorruptError(`${where} is corrupt: the inventory's lineage does not match its row. It was left untouched.`);
    }
    return { ...parsed.inventory, serial: Number(row.serial) };
  }

  private async ensureSchema(client: pg.Client): Promise<void> {
    const res = await client.query<{ n: number }>(
      `SELECT (to_regclass($1) IS NOT NULL)::int + (to_regclass($2) IS NOT NULL)::int AS n`,
      [STATE_TABLE, LOCK_TABLE],
    );
    if (res.rows[0]?.n === 2) return;
    await client.query('BEGIN');
    try {
      // Two first runs at once would both try CREATE TABLE and one would fail on the catalog.
      await client.query('SELECT pg_advisory_xact_lock($1, 0)', [SCHEMA_LOCK_CLASS]);
      await client.query(SCHEMA_SQL);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  async lock(opts: LockOptions): Promise<StateLock> {
    const timeoutMs = Math.max(0, opts.timeoutMs ?? 0);
    const poll = this.opts.pollIntervalMs ?? 250;
    const deadline = Date.now() + timeoutMs;
    const info = lockInfoFor(opts);
    const lock = new PostgresLock(this, info);
    const client = await this.connect((err) => lock.lost(err));
    lock.attach(client);
    try {
      await this.ensureSchema(client).catch((err) => {
        throw this.fail(err, `creating tables ${STATE_TABLE} and ${LOCK_TABLE}`);
      });
      for (;;) {
        const got = await client
          .query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LOCK_CLASS, this.url.stateName])
          .catch((err) => {
            throw this.fail(err, 'taking the state lock');
          });
        if (got.rows[0]?.ok) break;
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          const holder = await this.holderOn(client).catch((err) => {
            throw this.fail(err, 'reading the lock holder');
          });
          // Released between our attempt and the look-up: try again.
          if (!holder) continue;
          throw this.lockedError(holder, timeoutMs);
        }
        try {
          await sleep(Math.min(poll, remaining), opts.signal);
        } catch {
          throw new StateError('state-lock-interrupted', `interrupted while waiting for the lock on state "${this.url.stateName}" in ${this.url.masked}`);
        }
      }
      await client
        .query(
          `INSERT INTO ${LOCK_TABLE} (name, lock_id, who, operation, since, backend_pid, client_host, client_pid, client_user)
           VALUES ($1, $2, $3, $4, $5, pg_backend_pid(), $6, $7, $8)
           ON CONFLICT (name) DO UPDATE SET lock_id = EXCLUDED.lock_id, who = EXCLUDED.who, operation = EXCLUDED.operation,
             since = EXCLUDED.since, backend_pid = EXCLUDED.backend_pid, client_host = EXCLUDED.client_host,
             client_pid = EXCLUDED.client_pid, client_user = EXCLUDED.client_user`,
          [this.url.stateName, info.id, info.who, info.operation, info.since, info.host ?? null, info.pid ?? null, info.user ?? null],
        )
        .catch((err) => {
          throw this.fail(err, 'recording the lock holder');
        });
      const current = await this.readOn(client).catch((err) => {
        throw this.fail(err, 'reading the state');
      });
      lock.init(current);
    } catch (err) {
      // Ending the session also drops the advisory lock if we got it.
      await client.end().catch(() => undefined);
      throw err;
    }
    this.held.add(lock);
    return lock;
  }

  forget(lock: PostgresLock): void {
    this.held.delete(lock);
  }

  private lockedError(holder: LockHolder, timeoutMs: number): StateLockedError {
    const where = `state "${this.url.stateName}" in ${this.url.masked}`;
    const who = holder.info ? describeHolder(holder.info) : `another session (${holder.detail})`;
    return new StateLockedError(`${where} is locked by ${who}.` + lockAdvice(holder.stale, timeoutMs, holder.info?.pid), holder.info, holder.stale);
  }

  /** The session holding the advisory lock of this state name, with what it recorded about itself. */
  private async holderRow(client: pg.Client): Promise<HolderRow | undefined> {
    const present = await client.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [LOCK_TABLE]);
    // Every dynoform creates the tables before it locks: no table, no holder.
    if (!present.rows[0]?.present) return undefined;
    const res = await client.query<HolderRow>(
      `SELECT l.pid, d.lock_id, d.who, d.operation, d.since, d.client_host, d.client_pid, d.client_user,
              a.application_name, host(a.client_addr) AS client_addr
         FROM pg_locks l
         LEFT JOIN ${LOCK_TABLE} d ON d.name = $3 AND d.backend_pid = l.pid
         LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid = $1::int4::oid AND l.objid = hashtext($2)::oid AND l.objsubid = 2
          AND l.pid <> pg_backend_pid()
        LIMIT 1`,
      [LOCK_CLASS, this.url.stateName, this.url.stateName],
    );
    return res.rows[0];
  }

  private async holderOn(client: pg.Client): Promise<LockHolder | undefined> {
    const row = await this.holderRow(client);
    if (!row) return undefined;
    return toHolder(row);
  }

  async lockHolder(): Promise<LockHolder | undefined> {
    const client = await this.readerClient();
    try {
      return await this.holderOn(client);
    } catch (err) {
      throw this.fail(err, 'reading the lock holder');
    }
  }

  async breakLock(opts: { force: boolean }): Promise<BreakLockResult> {
    const client = await this.readerClient();
    let row: HolderRow | undefined;
    try {
      row = await this.holderRow(client);
    } catch (err) {
      throw this.fail(err, 'reading the lock holder');
    }
    if (!row) return { holder: undefined, broken: false };
    const holder = toHolder(row);
    if (!holder.stale && !opts.force) {
      return {
        holder,
        broken: false,
        refused:
          `its database session (pid ${row.pid}) is alive` +
          (holder.info?.host ? ` and dynoform cannot tell that its process on ${holder.info.host} is gone` : '') +
          '; pass --force to terminate that session (its apply stops at its next state write)',
      };
    }
    try {
      const res = await client.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [row.pid]);
      if (!res.rows[0]?.ok) throw new Error(`pg_terminate_backend(${row.pid}) returned false`);
      // The server drops the session's locks as the backend exits: wait for it, briefly.
      for (let i = 0; i < 50 && (await this.holderRow(client))?.pid === row.pid; i++) await sleep(100);
      await client.query(`DELETE FROM ${LOCK_TABLE} WHERE name = $1 AND backend_pid = $2`, [this.url.stateName, row.pid]);
    } catch (err) {
      const e = this.fail(err, `terminating the lock holder's session (pid ${row.pid})`);
      if (/permission denied|must be a (superuser|member)/i.test(e.message)) {
        e.message += ' (terminating another session needs the same database user, the pg_signal_backend role, or a superuser)';
      }
      throw e;
    }
    return { holder, broken: true };
  }

  async close(): Promise<void> {
    for (const lock of [...this.held]) await lock.release();
    const reader = this.reader;
    this.reader = undefined;
    await reader?.end().catch(() => undefined);
  }
}

function toHolder(row: HolderRow): LockHolder {
  const info: LockInfo | undefined =
    row.lock_id && row.who && row.operation && row.since
      ? {
          id: row.lock_id,
          who: row.who,
          operation: row.operation,
          since: new Date(row.since).toISOString(),
          ...(row.client_host ? { host: row.client_host } : {}),
          ...(row.client_pid !== null ? { pid: row.client_pid } : {}),
          ...(row.client_user ? { user: row.client_user } : {}),
        }
      : undefined;
  const session = [`database session pid ${row.pid}`, row.application_name ? `application_name ${row.application_name}` : '', row.client_addr ? `from ${row.client_addr}` : '']
    .filter(Boolean)
    .join(', ');
  return { info, stale: isStaleHere(info), detail: session };
}

class PostgresLock extends SequencedWrites implements StateLock {
  private client: pg.Client | undefined;
  private lostError: Error | undefined;
  private released = false;

  constructor(
    private readonly backend: PostgresBackend,
    readonly info: LockInfo,
  ) {
    super();
  }

  attach(client: pg.Client): void {
    this.client = client;
    client.on('end', () => {
      if (!this.released) this.lost(new Error('the connection was closed'));
    });
  }

  init(current: Inventory | undefined): void {
    this.seq = new WriteSequence(`"${this.backend.url.stateName}" in ${this.backend.url.masked}`, current);
  }

  lost(err: Error): void {
    this.lostError ??= err;
  }

  private connectionLost(detail: string): StateConnectionError {
    const acknowledged = this.seq.current ? `up to serial ${this.seq.serial}` : 'none';
    return new StateConnectionError(
      `lost the connection to the state database ${this.backend.url.masked} (${this.backend.redact(detail)}); the state lock went with it.` +
        ` Writes acknowledged before stay recorded (${acknowledged}); the one in progress was not confirmed. Run plan again.`,
    );
  }

  protected async store(next: Inventory, replaced: boolean): Promise<void> {
    if (this.released) throw new Error('internal error: write after the state lock was released');
    const client = this.client!;
    if (this.lostError) throw this.connectionLost(this.lostError.message);
    const name = this.backend.url.stateName;
    const keep = Math.max(1, this.backend.opts.keepVersions ?? 20);
    try {
      await client.query('BEGIN');
      const latest = await client.query<{ serial: string; lineage: string }>(
        `SELECT serial::text AS serial, lineage FROM ${STATE_TABLE} WHERE name = $1 ORDER BY ${STATE_TABLE}.serial DESC LIMIT 1`,
        [name],
      );
      const row = latest.rows[0];
      const expected = this.seq.current;
      // Only our own writes can have happened under the lock; anything else means the lock was broken.
      if ((row === undefined) !== (expected === undefined) || (row && expected && (Number(row.serial) !== expected.serial || row.lineage !== expected.lineage))) {
        await client.query('ROLLBACK');
        throw new StateConflictError(
          'state-lock-lost',
          `state "${name}" in ${this.backend.url.masked} changed while this run held its lock (now at serial ${row?.serial ?? 'none'}, expected ${expected?.serial ?? 'none'}). Not writing: run plan again.`,
        );
      }
      await client.query(
        `INSERT INTO ${STATE_TABLE} (name, serial, lineage, version, inventory, written_by) VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
        [name, next.serial, next.lineage, next.version, serializeInventory(next), `${this.info.who} (${this.info.operation})`],
      );
      await client.query(
        `DELETE FROM ${STATE_TABLE} WHERE name = $1 AND serial NOT IN (SELECT serial FROM ${STATE_TABLE} WHERE name = $1 ORDER BY serial DESC LIMIT $2)`,
        [name, keep],
      );
      await client.query('COMMIT');
    } catch (err) {
      if (err instanceof StateError) throw err;
      if (isConnectionError(err) || this.lostError) {
        this.lost(err as Error);
        throw this.connectionLost((err as Error).message);
      }
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.backend.fail(err, `writing serial ${next.serial}`);
    }
    this.seq.committed(next, replaced);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.backend.forget(this);
    const client = this.client;
    if (!client) return;
    await this.settled();
    if (!this.lostError) {
      // Best effort: ending the session releases the advisory lock anyway.
      await client.query(`DELETE FROM ${LOCK_TABLE} WHERE name = $1 AND lock_id = $2`, [this.backend.url.stateName, this.info.id]).catch(() => undefined);
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, this.backend.url.stateName]).catch(() => undefined);
    }
    await client.end().catch(() => undefined);
  }
}
