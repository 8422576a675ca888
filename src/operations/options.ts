/**
 * The options every operation takes, and their defaults in one place
 * (`DEFAULTS`), as fluxcd's `DefaultApplyOptions()`. Each operation takes
 * one plain object; anything left out falls back to what is written here.
 * This is the only module of the library that reads the process (its
 * environment and working directory), and only for defaults.
 */
import { resolve } from 'node:path';
import type { OperationEvent } from './events.js';
import { createRedactor, type Redactor } from '../util/mask.js';
import { DEFAULT_CONCURRENCY, DEFAULT_PROVISION_TIMEOUT_MS } from '../apply/index.js';
import { DynoformError } from './errors.js';

/** Environment variables, as `process.env`. */
export type Env = Record<string, string | undefined>;

/** Tuning of the Platform API client (src/providers/heroku/client.ts); the defaults suit api.heroku.com. */
export interface ClientTuning {
  /** Rate-limit pool the account has; default 4500 (env DYNOFORM_RATE_LIMIT_POOL). */
  bucketSize?: number;
  /** Tokens the account gets back per hour; default 4500 (env DYNOFORM_RATE_LIMIT_REFILL_PER_HOUR). */
  refillPerHour?: number;
  /** First back-off step after a 5xx or a network failure; default 250 ms. */
  retryBaseMs?: number;
  /** Time allowed for one HTTP exchange; default 60 s. */
  requestTimeoutMs?: number;
}

export interface CommonOptions {
  /** YAML files or folders, relative to `cwd`; default `['dynoform.yaml']`. */
  files?: string[];
  /** Folder relative paths are resolved against; default the process's working directory. */
  cwd?: string;
  /** Where `${env:…}`, HEROKU_API_KEY, HEROKU_API_URL, DYNOFORM_STATE… are read; default `process.env`. */
  env?: Env;
  /** State file path or postgres:// URL; default $DYNOFORM_STATE, else `.dynoform/<environment>.json` (`state.json` without an environment) beside the first YAML file. */
  state?: string;
  /**
   * The environment (stack) of the run: must agree with the files'
   * `environment:`; default $DYNOFORM_ENV, else what the files name, else
   * `default`. It picks the state and is checked against the state's.
   */
  environment?: string;
  /** Platform API URL; default $HEROKU_API_URL, else https://api.heroku.com. */
  apiUrl?: string;
  /** API token; default $HEROKU_API_KEY, else the netrc entry of the API host. */
  token?: string;
  /** Cancels the operation: reads stop at once, apply finishes requests in flight and saves state. */
  signal?: AbortSignal;
  /** How long to wait for a state lock someone else holds, in ms; default 0 (fail at once). */
  lockTimeoutMs?: number;
  /** Diagnostics, warnings and progress as they happen (the same diagnostics are also returned). */
  onEvent?: (e: OperationEvent) => void;
  /** Client tuning; the environment's DYNOFORM_RATE_LIMIT_* apply when these are not given. */
  client?: ClientTuning;
  /**
   * Events are redacted with it, and loading the YAML adds its secrets (the
   * resolved `${env:…}` values and the values built from them) to it, so the
   * caller can pass its own output (e.g. error messages) through it too.
   * Default: one of the operation's own.
   */
  redactor?: Redactor;
}

/** Every default of the library. The CLI's help texts quote these. */
export const DEFAULTS = {
  files: ['dynoform.yaml'] as readonly string[],
  lockTimeoutMs: 0,
  /** Apps with work in progress at once during apply (and the client's request concurrency, at least). */
  concurrency: DEFAULT_CONCURRENCY,
  /** Requests in flight at once (apply raises it to its concurrency when that is higher). */
  clientConcurrency: 10,
  /** How long apply waits for an add-on to finish provisioning. */
  provisionTimeoutMs: DEFAULT_PROVISION_TIMEOUT_MS,
  maxConcurrency: 100,
} as const;

/** The common options with defaults filled in and paths resolved. */
export interface Resolved {
  cwd: string;
  env: Env;
  /** Absolute YAML paths. */
  paths: string[];
  /** True when `files` was given (not the default). */
  filesGiven: boolean;
  lockTimeoutMs: number;
  /** Every event goes out redacted; loading the YAML adds its secrets (the resolved `${env:…}` values). */
  emit: (e: OperationEvent) => void;
  redactor: Redactor;
}

/** Checks the options a caller passed (a library user's code is outside input too) and fills in the defaults. */
export function resolveCommon(opts: CommonOptions): Resolved {
  if (opts.files !== undefined && (!Array.isArray(opts.files) || opts.files.some((f) => typeof f !== 'string' || f.trim() === ''))) {
    throw new DynoformError('invalid-option', 'files must be a list of file or folder paths');
  }
  if (opts.lockTimeoutMs !== undefined && !(Number.isFinite(opts.lockTimeoutMs) && opts.lockTimeoutMs >= 0)) {
    throw new DynoformError('invalid-option', `lockTimeoutMs must be a number of milliseconds, 0 or more (got ${String(opts.lockTimeoutMs)})`);
  }
  const cwd = opts.cwd ?? process.cwd();
  const filesGiven = opts.files !== undefined && opts.files.length > 0;
  const onEvent = opts.onEvent ?? (() => undefined);
  const redactor = opts.redactor ?? createRedactor();
  const files = filesGiven ? opts.files! : DEFAULTS.files;
  return {
    cwd,
    env: opts.env ?? process.env,
    paths: files.map((f) => resolve(cwd, f)),
    filesGiven,
    lockTimeoutMs: opts.lockTimeoutMs ?? DEFAULTS.lockTimeoutMs,
    emit: (e) => onEvent(redactDeep(e, redactor)),
    redactor,
  };
}

/** Every string inside a value, redacted (events are small plain objects). */
export function redactDeep<T>(value: T, redactor: Redactor): T {
  if (typeof value === 'string') return redactor.redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redactor)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, redactor);
    return out as T;
  }
  return value;
}
