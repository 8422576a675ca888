import { Option, type Command } from 'commander';
import { CliError } from './context.js';

/** Options shared by every command that talks to the API and the state. */
export interface CommonOptions {
  file?: string[];
  apiUrl?: string;
  state?: string;
  lockTimeout?: string;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function addFileOption(cmd: Command): Command {
  return cmd.option('-f, --file <path>', 'YAML file or folder (repeatable; default dynoform.yaml)', collect);
}

export function addApiOptions(cmd: Command): Command {
  return cmd.addOption(new Option('--api-url <url>', 'Platform API URL (default $HEROKU_API_URL or https://api.heroku.com)'));
}

export function addStateOptions(cmd: Command): Command {
  return cmd
    .option('--state <path-or-url>', 'state file path or postgres:// URL (default $DYNOFORM_STATE or .dynoform/state.json beside the first YAML file)')
    .option('--lock-timeout <duration>', 'how long to wait for the state lock, e.g. 30s, 2m (default 0: fail at once)');
}

export function collectOption(value: string, previous: string[] | undefined): string[] {
  return collect(value, previous);
}

/** `500ms`, `30s`, `2m`, `1h`, or a bare number of seconds. */
export function parseDuration(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new CliError(`${flag} must be a duration such as 30s, 2m or 500ms (got "${text}")`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return Math.round(n * factor);
}

export function parsePositiveInt(text: string | undefined, flag: string, fallback: number, max = 1000): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new CliError(`${flag} must be a whole number from 1 to ${max} (got "${text}")`);
  return n;
}
