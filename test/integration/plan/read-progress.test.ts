import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.js';
import { plan } from '../../../src/operations/index.js';

const TOKEN = 'progress-token';
const APPS = 20;
// A bucket far smaller than the plan: 84 reads against 30 tokens refilling at 20/s.
const POOL = 30;
const REFILL_PER_HOUR = 72_000;

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

async function run(dir: string, url: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = new PassThrough();
  stdin.end();
  const code = await main(['node', 'dynoform', ...args], {
    env: { HEROKU_API_URL: url, HEROKU_API_KEY: TOKEN, NO_COLOR: '1', HOME: dir, ...env },
    cwd: dir,
    stdout,
    stderr,
    stdin,
    signal: new AbortController().signal,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe(`a plan that must wait for the rate limit (${APPS} apps, bucket ${POOL}, refill ${REFILL_PER_HOUR}/h)`, () => {
  let dir: string;
  let emu: EmulatorHandle;
  const profile = { DYNOFORM_RATE_LIMIT_POOL: String(POOL), DYNOFORM_RATE_LIMIT_REFILL_PER_HOUR: String(REFILL_PER_HOUR) };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dynoform-read-progress-'));
    const dataFile = join(dir, 'emulator.json');
    const lines = ['version: 1', 'apps:'];
    for (let i = 0; i < APPS; i++) lines.push(`  paced-${i}:`, '    config:', `      N: "${i}"`);
    await writeFile(join(dir, 'dynoform.yaml'), lines.join('\n') + '\n');
    // Setup with a roomy bucket, then the same apps behind a small one.
    const setup = await startEmulator({ rateLimit: 100_000, refillPerHour: 100_000, apiKeys: [TOKEN], dataFile });
    const applied = await run(dir, setup.url, ['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    await setup.close();
    emu = await startEmulator({ rateLimit: POOL, refillPerHour: REFILL_PER_HOUR, apiKeys: [TOKEN], dataFile });
  });
  afterAll(async () => {
    await emu?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('says what it needs before the first read, shows progress while paced, and meets no 429', async () => {
    emu.resetStats();
    const r = await run(dir, emu.url, ['plan', '--detailed-exitcode'], profile);
    expect(r.code, r.stderr).toBe(0);
    const stats = emu.stats();
    expect(stats.rateLimited).toBe(0);
    expect(stats.requests).toBe(4 * APPS + 4);

    const lines = r.stderr.split('\n').filter((l) => l !== '');
    const estimate = lines.findIndex((l) => l.startsWith('Reading 20 apps needs about 84 API requests; the rate-limit budget allows'));
    expect(estimate, r.stderr).toBe(0);
    expect(lines[0]).toMatch(/\(refilling 72,000\/hour\), so this will take about \d+ s\.$/);
    const progress = lines.filter((l) => l.startsWith('Reading live state: '));
    // A line for every 10 % of the reads at least, the last one complete.
    expect(progress.length, progress.join('\n')).toBeGreaterThanOrEqual(9);
    expect(progress.at(-1)).toBe('Reading live state: 84/84 requests (100%), 20/20 apps, budget ' + progress.at(-1)!.split('budget ')[1]);
    expect(progress.some((l) => / paced at 20\.0 req\/s, about \d+ s left$/.test(l)), progress.join('\n')).toBe(true);
    expect(r.stdout).toContain('No changes');
  });

  it('says it before the first page: the estimate comes when only the free rate-limit read was made (library events)', async () => {
    emu.resetStats();
    const seenAt: Record<string, number[]> = {};
    const outcome = await plan({
      cwd: dir,
      env: { HEROKU_API_URL: emu.url, HEROKU_API_KEY: TOKEN, HOME: dir, ...profile },
      onEvent: (e) => (seenAt[e.type] ??= []).push(emu.stats().requests),
    });
    expect(outcome.hasChanges).toBe(false);
    expect(seenAt['read-estimate']).toEqual([1]);
    expect(emu.stats().byRoute['GET /account/rate-limits']).toBe(1);
    // Progress while the client waits for the refill, before the last app is in.
    expect((seenAt['read-progress'] ?? []).filter((n) => n < 4 * APPS + 4).length).toBeGreaterThanOrEqual(5);
    expect(emu.stats().rateLimited).toBe(0);
  });

  it('gives the same as JSON lines with --format json, the plan alone on stdout', async () => {
    const r = await run(dir, emu.url, ['plan', '--format', 'json'], profile);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stderr
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { type: string; paced?: boolean; appsRead?: number });
    expect(events[0]).toMatchObject({ type: 'read-estimate', requests: 84, apps: 20, paced: true });
    expect(events.filter((e) => e.type === 'read-progress').length).toBeGreaterThanOrEqual(9);
    expect(JSON.parse(r.stdout)).toHaveProperty('changes');
  });

  it('at rest (apply recorded the configs) it needs 3N+4: the estimate says so, and the paced plan meets no 429', async () => {
    await emu.close(); // one emulator per data file at a time
    const roomy = await startEmulator({ rateLimit: 100_000, refillPerHour: 100_000, apiKeys: [TOKEN], dataFile: join(dir, 'emulator.json') });
    try {
      // A no-op apply in a later second than the apps' releases records what it read.
      await new Promise((done) => setTimeout(done, 1000 - (Date.now() % 1000) + 20));
      const recorded = await run(dir, roomy.url, ['apply', '--auto-approve'], { DYNOFORM_RATE_LIMIT_POOL: '100000', DYNOFORM_RATE_LIMIT_REFILL_PER_HOUR: '100000' });
      expect(recorded.code, recorded.stderr).toBe(0);
    } finally {
      await roomy.close();
    }
    emu = await startEmulator({ rateLimit: POOL, refillPerHour: REFILL_PER_HOUR, apiKeys: [TOKEN], dataFile: join(dir, 'emulator.json') });
    emu.resetStats();
    const r = await run(dir, emu.url, ['plan', '--detailed-exitcode'], profile);
    expect(r.code, r.stderr).toBe(0);
    expect(emu.stats().requests).toBe(3 * APPS + 4);
    expect(emu.stats().rateLimited).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines[0]).toMatch(/^Reading 20 apps needs about 64 API requests; the rate-limit budget allows \d+ now \(refilling 72,000\/hour\), so this will take about \d+ s\.$/);
    const progress = lines.filter((l) => l.startsWith('Reading live state: '));
    expect(progress.length, progress.join('\n')).toBeGreaterThanOrEqual(5);
    expect(progress.at(-1)).toMatch(/^Reading live state: 64\/64 requests \(100%\), 20\/20 apps, /);
    expect(r.stdout).toContain('Config vars: 20 of 20 apps taken from the state');
  });

  it('prints nothing extra when the budget holds the reads', async () => {
    const roomy = await startEmulator({ rateLimit: 100_000, refillPerHour: 100_000, apiKeys: [TOKEN], dataFile: join(dir, 'emulator.json') });
    try {
      const r = await run(dir, roomy.url, ['plan'], { DYNOFORM_RATE_LIMIT_POOL: '100000', DYNOFORM_RATE_LIMIT_REFILL_PER_HOUR: '100000' });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
    } finally {
      await roomy.close();
    }
  });
});
