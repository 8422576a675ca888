import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApplyEvent } from '../../../src/model/apply.js';
import { serializePlan } from '../../../src/planner/index.js';
import { fingerprintLiteral } from '../../../src/util/fingerprint.js';
import { executable, expectNoChanges, World } from './world.js';

const root = resolve(import.meta.dirname, '../../..');
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const yaml = (apps: number, value: string) =>
  `version: 1\napps:\n` + Array.from({ length: apps }, (_, i) => `  k${i}:\n    name: kill-app-${i}\n    config: { VALUE: "${value}", N: "${i}" }\n`).join('');

describe('apply killed with SIGKILL in the middle', () => {
  it('leaves a state from which plan shows exactly what is left, and a second apply converges', async () => {
    expect(existsSync(join(root, 'dist', 'apply', 'index.js')), 'run `npm run build` first (npm test does)').toBe(true);
    world = await World.start({ latencyMs: 40, jitter: 0 });
    const APPS = 16;
    await world.yaml(yaml(APPS, 'one'));
    await world.converge();

    await world.yaml(yaml(APPS, 'two'));
    const first = await world.plan();
    expect(executable(first.plan)).toHaveLength(APPS);
    const planFile = join(world.dir, 'plan.json');
    const desiredFile = join(world.dir, 'desired.json');
    await writeFile(planFile, serializePlan(first.plan));
    await writeFile(desiredFile, JSON.stringify(first.desired));

    const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', 'child-apply.mjs'), world.emulator.url, join(world.dir, 'state.json'), planFile, desiredFile, '1'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const events: ApplyEvent[] = [];
    const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_code, signal) => res(signal)));
    for await (const line of createInterface({ input: child.stdout })) {
      if (line === 'finished') break;
      const e = JSON.parse(line) as ApplyEvent;
      events.push(e);
      if (events.filter((x) => x.type === 'state-saved').length === 3) {
        child.kill('SIGKILL');
        break;
      }
    }
    expect(await exited).toBe('SIGKILL');

    // The dead process's lock file is left behind; the next lock takes it over (no unlock needed).
    expect((await world.state.lockHolder())?.stale).toBe(true);
    expect((await world.inventory()).serial).toBeGreaterThan(first.inventory.serial);

    // The saved state says which changes were recorded before the kill: exactly the others are planned again.
    const state = await world.inventory();
    const recorded = Object.keys(state.apps).filter((k) => state.apps[k]!.config.VALUE?.fingerprint === fingerprintLiteral('two'));
    expect(recorded.length).toBeGreaterThanOrEqual(2);
    expect(recorded.length).toBeLessThan(APPS);
    const second = await world.plan();
    const left = executable(second.plan).map((c) => c.address).sort();
    const expected = Array.from({ length: APPS }, (_, i) => `k${i}`)
      .filter((k) => !recorded.includes(k))
      .map((k) => `app.${k}/config`)
      .sort();
    expect(left).toEqual(expected);
    // Every change the child reported done before its first state write is in that state.
    const firstSave = events.findIndex((e) => e.type === 'state-saved');
    const doneFirst = events.slice(0, firstSave).filter((e) => e.type === 'change-done').map((e) => ('address' in e ? e.address : ''));
    expect(doneFirst.length).toBeGreaterThan(0);
    for (const a of doneFirst) expect(left).not.toContain(a);

    const finish = await world.apply(second.plan);
    expect(finish.diagnostics).toEqual([]);
    expect(finish.result!.failed).toEqual([]);
    expectNoChanges((await world.plan()).plan);
    for (let i = 0; i < APPS; i++) {
      expect((await world.api<Record<string, string>>('GET', `/apps/kill-app-${i}/config-vars`)).VALUE).toBe('two');
    }
  });
});
