// The soak harness's parts (bench/soak/*), each checked on its own so that a
// soak failure points at dynoform, not at the harness.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFleet, mutateFleet, renderYaml, resolvedConfig, resolvedDrains, cloneFleet } from '../../../bench/soak/fleet.mjs';
import { Rng } from '../../../bench/soak/random.mjs';
import { leakForms, scanBuffer, scanTree } from '../../../bench/soak/scan.mjs';
import { checkStateText, findDuplicates, findForeignChanges, findMismatches, readFleet } from '../../../bench/soak/audit.mjs';
import { conflictAddresses, skippedAddresses } from '../../../bench/soak/harness.mjs';
import { formatReport, formatDuration } from '../../../bench/soak/table.mjs';
import { HarnessApi } from '../../../bench/soak/api.mjs';
import { DynoformRunner } from '../../../bench/soak/runner.mjs';
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.js';

type Any = any; // the bench helpers are plain JavaScript without type declarations

describe('soak fleet', () => {
  it('is the same for the same seed and different for another', () => {
    expect(renderYaml(generateFleet({ apps: 5, seed: 3 }))).toBe(renderYaml(generateFleet({ apps: 5, seed: 3 })));
    expect(renderYaml(generateFleet({ apps: 5, seed: 3 }))).not.toBe(renderYaml(generateFleet({ apps: 5, seed: 4 })));
  });

  it('gives every app all six kinds, and holds secrets only as ${env:…} references', () => {
    const fleet: Any = generateFleet({ apps: 12, seed: 1 });
    const yaml = renderYaml(fleet);
    for (const app of fleet.apps) {
      expect(Object.keys(app.config).length).toBeGreaterThan(0);
      expect(Object.keys(app.addons).length).toBeGreaterThan(0);
      expect(Object.keys(app.formation)).toEqual(['web', 'worker']);
      expect(app.domains.length).toBeGreaterThan(0);
      expect(app.drains.length).toBeGreaterThan(0);
    }
    expect(fleet.apps.some((a: Any) => a.drains.some((d: Any) => d.env))).toBe(true);
    expect(fleet.apps.some((a: Any) => a.preexisting)).toBe(true);
    for (const value of fleet.secretHistory) expect(yaml).not.toContain(value);
    expect(yaml).toContain('${env:SOAK_SKB_000}');
    // Resolution puts the values where the API will hold them.
    const app0 = fleet.apps[0];
    expect(resolvedConfig(fleet, app0).SECRET_KEY_BASE).toBe(fleet.env.SOAK_SKB_000);
    expect(resolvedDrains(fleet, fleet.apps[1]).some((u: string) => u.includes(fleet.env.SOAK_DRAIN_001))).toBe(true);
  });

  it('mutates a third of the apps per round and remembers rotated secrets', () => {
    const fleet: Any = generateFleet({ apps: 9, seed: 2 });
    const { fleet: next, changes } = mutateFleet(fleet, new Rng(5), 1);
    expect(next.revision).toBe(1);
    expect(changes.length).toBeGreaterThan(0);
    expect(new Set(changes.map((c: string) => c.split(':')[0])).size).toBe(3);
    expect(renderYaml(next)).not.toBe(renderYaml(fleet));
    expect(next.secretHistory.length).toBeGreaterThanOrEqual(fleet.secretHistory.length);
    // The original is untouched.
    expect(renderYaml(cloneFleet(fleet))).toBe(renderYaml(fleet));
  });

  it('renders YAML that dynoform itself accepts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'soak-yaml-'));
    try {
      const fleet: Any = generateFleet({ apps: 6, seed: 1 });
      await writeFile(join(dir, 'dynoform.yaml'), renderYaml(fleet));
      const runner = new DynoformRunner({ cwd: dir, logDir: join(dir, 'logs'), env: { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1', ...fleet.env } });
      const run = await runner.run(['validate', '-f', 'dynoform.yaml']);
      expect(run.stderr + run.stdout).not.toMatch(/error/i);
      expect(run.code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('soak secret scan', () => {
  const secret = { label: 'the token', value: 'Zq8RkT2mWv9LpX4nYb7HcJ3dFg6SaE1u' };

  it('finds a secret verbatim, URL-encoded, base64-encoded, or by its first or last 16 characters', () => {
    for (const form of leakForms(secret.value)) {
      expect(scanBuffer(Buffer.from(`xx ${form.toString()} yy`), [secret])).toHaveLength(1);
    }
    expect(scanBuffer(Buffer.from(`Authorization: Basic ${Buffer.from(secret.value).toString('base64')}`), [secret])).toHaveLength(1);
    expect(scanBuffer(Buffer.from(`token=${secret.value.slice(0, 20)}…`), [secret])).toHaveLength(1);
  });

  it('does not report what is not there', () => {
    expect(scanBuffer(Buffer.from('SECRET_KEY_BASE: (sensitive) https://***@drains.example.com/***'), [secret])).toEqual([]);
  });

  it('walks a tree and names the file and the secret, never the value', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'soak-scan-'));
    try {
      await mkdir(join(dir, 'a', 'b'), { recursive: true });
      await writeFile(join(dir, 'a', 'clean.txt'), 'nothing here');
      await writeFile(join(dir, 'a', 'b', 'leak.log'), `oops ${secret.value}`);
      const r = await scanTree([dir], [secret, { label: 'dup', value: secret.value }], { base: dir });
      expect(r.files).toBe(2);
      expect(r.secrets).toBe(1);
      expect(r.hits).toEqual([{ file: join('a', 'b', 'leak.log'), label: 'the token', offset: 5 }]);
      expect(JSON.stringify(r)).not.toContain(secret.value);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses secrets too short to scan for', async () => {
    await expect(scanTree([tmpdir()], [{ label: 'x', value: 'abc' }])).rejects.toThrow(/too short/);
  });
});

describe('soak state check', () => {
  const good = {
    version: 1,
    lineage: 'l-1',
    serial: 4,
    apps: {
      shop: {
        key: 'shop', id: 'a1', name: 'shop', protect: true, created: true,
        config: { A: { fingerprint: 'sha256:x', secret: false } },
        addons: { db: { id: 'd1', name: 'pg-1', plan: 'heroku-postgresql:essential-0' } },
        domains: { 'www.example.com': { id: 'x1', hostname: 'www.example.com' } },
        drains: { dr1: { id: 'dr1', urlFingerprint: 'f', maskedUrl: 'https://x' } },
        formation: { web: { quantity: 1 } },
      },
    },
  };

  it('accepts a well-formed state and reports its serial', () => {
    expect(checkStateText(JSON.stringify(good))).toEqual({ ok: true, serial: 4, apps: 1 });
  });

  it('rejects a torn write, a missing field and a wrong shape', () => {
    const text = JSON.stringify(good);
    expect(checkStateText(text.slice(0, text.length / 2)).ok).toBe(false);
    expect(checkStateText(JSON.stringify({ ...good, lineage: undefined })).ok).toBe(false);
    const bad = structuredClone(good) as Any;
    bad.apps.shop.drains.dr1.id = 'other';
    expect(checkStateText(JSON.stringify(bad))).toMatchObject({ ok: false, problem: expect.stringMatching(/drain/) });
  });
});

describe('soak output parsing', () => {
  const run = {
    stdout: [
      '✓ app.soak-000/config: update (148ms)',
      '✗ app.soak-001/config: update failed: changed since plan — run plan again',
      '- app.soak-001/formation: update skipped: depends on app.soak-001/config (update), which changed since plan',
      '✗ app.soak-002/formation: update failed: changed since plan — run plan again',
      'Apply finished with errors. 1 succeeded, 2 failed, 1 skipped.',
      '  ✗ app.soak-001/config: changed since plan — run plan again (412 Precondition Failed)',
    ].join('\n'),
    stderr: '',
  };

  it('counts each conflicting address once and tells skipped dependents apart', () => {
    expect([...conflictAddresses(run)].sort()).toEqual(['app.soak-001/config', 'app.soak-002/formation']);
    expect([...skippedAddresses(run)]).toEqual(['app.soak-001/formation']);
  });
});

describe('soak report', () => {
  it('prints every figure the issue asks for and one line per property', () => {
    const text = formatReport({
      ok: false,
      options: { apps: 6, faultRate: 0.1, latencyMin: 5, latencyMax: 50, bucket: 200, refillPerHour: 360000, kills: 3, seed: 1 },
      properties: [
        { name: 'convergence', ok: true, detail: '2 rounds' },
        { name: 'secret scan', ok: false, detail: 'env #1 found in logs/x' },
      ],
      figures: {
        runs: 30,
        retries: { dynoform: 12, harness: 3 },
        status412: { total: 6, dynoform: 6, outsideApply: 4, conflictsReported: 4, expected: 4 },
        status429: { total: 9, dynoform: 2, harness: 7 },
        neighbour: { sent: 100, limited: 7 },
        requests: { total: 2000, dynoform: 1500, applyUsed: 120, applyMinimum: 100, convergeUsed: 80, convergeMinimum: 60, planReads: 400, plans: 14 },
        kills: { attempted: 3, killed: 3, finishedFirst: 0, staleLocks: 3, points: [{ requestsSeen: 9 }, { requestsSeen: 2 }, { requestsSeen: 5 }] },
        rounds: { first: 2, worstAfterKill: 1 },
        scan: { secrets: 30, files: 70, bytes: 1000, hits: 1 },
        faults: { '500': 1, '503': 2, 'drop-before': 3, 'drop-after': 4, total: 10 },
        wallMs: 61_000,
      },
    });
    for (const row of ['faults injected', 'retries', '412s', '429s received', 'requests vs minimum', 'wall time']) expect(text).toContain(row);
    expect(text).toContain('120 used / 100 planned = 1.20×');
    expect(text).toContain('4 during the apply with outside edits, where dynoform reported 4 conflicts for 4 edited apps; 2 elsewhere');
    expect(text).toContain('after 2–9 requests (median 5)');
    expect(text).not.toMatch(/NaN|undefined/);
    expect(text).toMatch(/^PASS {2}convergence/m);
    expect(text).toMatch(/^FAIL {2}secret scan/m);
    expect(text).toContain('soak: FAIL (1 of 2 properties failed)');
    expect(formatDuration(61_000)).toBe('1 min 1 s');
  });
});

describe('soak harness client and audit against the emulator', () => {
  let emu: EmulatorHandle;
  let api: Any;
  const key = 'soak-test-key-0123456789';

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, apiKeys: [key], seed: 9 });
    api = new HarnessApi({ url: emu.url, apiKey: key, baseDelayMs: 1 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('creates an app exactly once through a lost answer and a 503', async () => {
    emu.failNext(1, 'drop-after', { method: 'POST', path: /^\/apps$/ });
    emu.failNext(1, '503', { method: 'POST', path: /^\/apps$/ });
    const app = await api.createApp('soak-once', 'us');
    expect(app.name).toBe('soak-once');
    const apps = (await api.apps()).filter((a: Any) => a.name === 'soak-once');
    expect(apps).toHaveLength(1);
    expect(emu.stats().appliedWrites['POST /apps']).toBe(1);
  });

  it('finds a duplicated add-on, a foreign value changed and a declared object missing', async () => {
    const fleet: Any = generateFleet({ apps: 1, seed: 1 });
    const app = fleet.apps[0];
    await api.createApp(app.key, app.region);
    for (const [, d] of Object.entries(app.addons) as [string, Any][]) {
      await api.call('POST', `/apps/${app.key}/addons`, { body: { plan: d.plan, ...(d.as ? { attachment: { name: d.as } } : {}) } });
    }
    await api.patchConfig(app.key, { OTHER: 'mine' });
    let live = await readFleet(api, fleet);
    expect(findDuplicates(fleet, live, await api.allAddons())).toEqual([]);
    expect(findForeignChanges({ [app.key]: { config: { OTHER: 'mine' } } }, live)).toEqual([]);
    expect(findMismatches(fleet, live).some((p: string) => p.includes('domain'))).toBe(true);

    await api.call('POST', `/apps/${app.key}/addons`, { body: { plan: 'heroku-postgresql:essential-0' } });
    await api.patchConfig(app.key, { OTHER: 'changed' });
    live = await readFleet(api, fleet);
    expect(findDuplicates(fleet, live, await api.allAddons()).join('\n')).toMatch(/2 heroku-postgresql add-ons, 1 declared/);
    expect(findForeignChanges({ [app.key]: { config: { OTHER: 'mine' } } }, live)).toEqual([`${app.key}: config OTHER (not dynoform's) was changed`]);
  });

  it('lets a noisy neighbour empty the bucket', async () => {
    const small = await startEmulator({ port: 0, apiKeys: [key], rateLimit: 50, refillPerHour: 3600 });
    try {
      const n = new HarnessApi({ url: small.url, apiKey: key });
      const r = await n.drainBucket({ holdMs: 100 });
      expect(r.limited).toBeGreaterThan(0);
      expect(small.stats().byStatus['200']).toBeGreaterThanOrEqual(50);
    } finally {
      await small.close();
    }
  });
});
