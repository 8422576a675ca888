import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { CliWorld, type RunResult } from '../helpers/cli-world.js';
import { HostileProxy, type Rule } from '../helpers/hostile-proxy.js';

export const APP = 'hz-shop';

/** Every resource a plan reads, so every response body is on the path of some scenario. */
export const YAML = `version: 1
apps:
  ${APP}:
    region: us
    config:
      RAILS_ENV: production
      FEATURE_X: "on"
    addons:
      db:
        plan: heroku-postgresql:essential-0
        as: DATABASE
    formation:
      web: { quantity: 1, size: standard-1X }
    domains:
      - www.hz.example.com
    drains:
      - https://logs.example.com/hz-1
      - https://logs.example.com/hz-2
`;

export interface HostileRun extends RunResult {
  /** Non-GET requests that reached the API. */
  writes: string[];
  /** The state file changed. */
  stateChanged: boolean;
}

/**
 * A converged app behind a hostile proxy: `run` lets a rule corrupt the
 * API's answers for one dynoform command and reports what it printed,
 * whether it wrote to the API, and whether the state file moved.
 */
export class HostileWorld {
  private constructor(
    readonly world: CliWorld,
    readonly proxy: HostileProxy,
  ) {}

  static async start(): Promise<HostileWorld> {
    const world = await CliWorld.start();
    await world.write('dynoform.yaml', YAML);
    const first = await world.run(['apply', '--auto-approve']);
    expect(first.code, first.stderr + first.stdout).toBe(0);
    await world.heroku.deploy(APP, { web: 'bundle exec puma' });
    const second = await world.run(['apply', '--auto-approve']);
    expect(second.code, second.stderr + second.stdout).toBe(0);
    const proxy = await HostileProxy.start(world.emulator.url);
    world.env.HEROKU_API_URL = proxy.url;
    const hw = new HostileWorld(world, proxy);
    const clean = await hw.run(['plan', '--detailed-exitcode'], () => ({ type: 'pass' }));
    expect(clean.code, clean.stderr + clean.stdout).toBe(0);
    return hw;
  }

  async run(args: string[], rule: Rule): Promise<HostileRun> {
    const statePath = this.world.path('.dynoform/state.json');
    const before = await readFile(statePath, 'utf8');
    this.proxy.reset();
    this.proxy.rule = rule;
    const r = await this.world.run(args);
    this.proxy.reset();
    const after = await readFile(statePath, 'utf8');
    return { ...r, writes: this.proxy.writes().map((w) => `${w.method} ${w.path}`), stateChanged: after !== before };
  }

  async close(): Promise<void> {
    await this.proxy.close();
    await this.world.close();
  }
}

/** The error a bad response must end in: one line naming the request and the field, no stack trace. */
export function expectOneLineError(r: HostileRun, request: RegExp, field?: string): void {
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(r.code, r.stderr + r.stdout).toBe(1);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^Error: /);
  expect(lines[0]).toMatch(request);
  expect(lines[0]).toMatch(/Request-Id \S+/);
  if (field !== undefined) expect(lines[0]).toContain(field);
  expect(r.stderr + r.stdout).not.toMatch(/\n\s+at .*:\d+:\d+/);
  expect(r.stderr).not.toMatch(/TypeError|internal error/);
  expect(r.writes).toEqual([]);
  expect(r.stateChanged).toBe(false);
}
