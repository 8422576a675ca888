import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileBackend } from '../../../src/state/index.js';
import { CliWorld, lineOf } from '../../helpers/cli-world.js';

const APP = 'drift-shop';
const SECRET = 'skb-0123456789-very-secret';
const HAND_SECRET = 'hand-set-secret-value';

const YAML = `# drift test
version: 1
apps:
  ${APP}:
    region: us
    maintenance: false
    config:
      RAILS_ENV: staging
      SECRET_KEY_BASE: \${env:DRIFT_SKB}
      FEATURE_X: "on"
    addons:
      db:
        plan: heroku-postgresql:essential-0
        as: DATABASE
    formation:
      web: { quantity: 1, size: standard-1X }
      worker: { quantity: 1, size: standard-1X }
    domains:
      - www.drift.example.com
      - api.drift.example.com
    drains:
      - https://logs.example.com/drift
`;

interface JsonItem {
  class: string;
  counted: boolean;
  address: string;
  field?: string;
  loc?: { file: string; line: number; col: number };
  before?: unknown;
  after?: unknown;
}

describe('dynoform drift against the emulator', () => {
  let w: CliWorld;
  let yamlPath: string;

  beforeAll(async () => {
    w = await CliWorld.start();
    w.env.DRIFT_SKB = SECRET;
    yamlPath = await w.write('dynoform.yaml', YAML);
    const first = await w.run(['apply', '--auto-approve']);
    expect(first.code, first.stderr + first.stdout).toBe(0);
    // Formation waits for a release that defines the process types, as after a first deploy.
    await w.heroku.deploy(APP, { web: 'bundle exec puma', worker: 'bundle exec sidekiq' });
    const second = await w.run(['apply', '--auto-approve']);
    expect(second.code, second.stderr + second.stdout).toBe(0);
  });

  afterAll(async () => {
    await w?.close();
  });

  it('reports no drift right after apply, exit 0, sends no write request, and runs while an apply holds the state lock', async () => {
    const state = createFileBackend(w.path('.dynoform/state.json'));
    const lock = await state.lock({ who: 'someone applying', operation: 'apply' });
    w.emulator.resetStats();
    const r = await w.run(['drift']).finally(async () => {
      await lock.release();
      await state.close();
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('No drift in 1 app.');
    expect(w.writes()).toEqual({});
    expect(w.emulator.stats().requests).toBeGreaterThan(0);
  });

  describe('after edits by hand (with the Heroku CLI\'s request shapes) and an unapplied YAML change', () => {
    let yamlText: string;

    beforeAll(async () => {
      await w.heroku.configSet(APP, { RAILS_ENV: 'production', SECRET_KEY_BASE: HAND_SECRET, HAND_SET: 'hand-value' });
      await w.heroku.configUnset(APP, 'FEATURE_X');
      await w.heroku.psScale(APP, [{ type: 'worker', quantity: '3', size: 'standard-2X' }]);
      await w.heroku.maintenance(APP, true);
      await w.heroku.domainsRemove(APP, 'api.drift.example.com');
      await w.heroku.domainsAdd(APP, 'hand.drift.example.com');
      await w.heroku.drainsAdd(APP, 'https://user:drainpass@hand.example.com/x');
      await w.heroku.addonsCreate(APP, 'heroku-redis:mini');
      yamlText = YAML.replace('web: { quantity: 1, size: standard-1X }', 'web: { quantity: 2, size: standard-1X }').replace(
        '      FEATURE_X: "on"\n',
        '      FEATURE_X: "on"\n      NEW_KEY: fresh\n',
      );
      await writeFile(yamlPath, yamlText);
      w.emulator.resetStats();
    });

    it('json: classifies every difference, exit 2, no write request', async () => {
      const r = await w.run(['drift', '--format', 'json']);
      expect(r.code, r.stderr).toBe(2);
      expect(w.writes()).toEqual({});
      const doc = JSON.parse(r.stdout) as { hasDrift: boolean; items: JsonItem[]; summary: Record<string, number> };
      expect(doc.hasDrift).toBe(true);
      const brief = doc.items.map((i) => `${i.class} ${i.address}${i.field ? ` ${i.field}` : ''}`);
      expect(brief).toEqual([
        `changed-outside app.${APP} maintenance`,
        `missing app.${APP}/config.FEATURE_X`,
        `unmanaged app.${APP}/config.HAND_SET`,
        `pending app.${APP}/config.NEW_KEY`,
        `changed-outside app.${APP}/config.RAILS_ENV`,
        `changed-outside app.${APP}/config.SECRET_KEY_BASE`,
        `unmanaged app.${APP}/addon.redis`,
        `pending app.${APP}/formation.web quantity`,
        `changed-outside app.${APP}/formation.worker quantity`,
        `changed-outside app.${APP}/formation.worker size`,
        `missing app.${APP}/domain.api.drift.example.com`,
        `unmanaged app.${APP}/domain.hand.drift.example.com`,
        `unmanaged app.${APP}/drain.https://***@hand.example.com/x`,
      ]);
      expect(doc.summary).toEqual({ 'changed-outside': 5, missing: 2, pending: 2, unmanaged: 4 });
      const byAddress = (a: string, field?: string) => doc.items.find((i) => i.address === a && i.field === field)!;
      expect(byAddress(`app.${APP}/config.RAILS_ENV`)).toMatchObject({ before: 'staging', after: '(hidden)', counted: true });
      expect(byAddress(`app.${APP}/config.SECRET_KEY_BASE`)).toMatchObject({ before: '(sensitive)', after: '(sensitive)' });
      expect(byAddress(`app.${APP}/formation.worker`, 'quantity')).toMatchObject({ before: 1, after: 3 });
      expect(byAddress(`app.${APP}/formation.web`, 'quantity')).toMatchObject({ before: 1, after: 2 });
      expect(byAddress(`app.${APP}/config.HAND_SET`).counted).toBe(false);
      // Locations: the declaration's line, or the app's line for unmanaged items.
      expect(byAddress(`app.${APP}/config.RAILS_ENV`).loc).toEqual({ file: 'dynoform.yaml', line: lineOf(yamlText, 'RAILS_ENV:'), col: 7 });
      expect(byAddress(`app.${APP}/config.HAND_SET`).loc?.line).toBe(lineOf(yamlText, `${APP}:`));
      for (const secret of [SECRET, HAND_SECRET, 'hand-value', 'drainpass']) expect(r.stdout + r.stderr).not.toContain(secret);
    });

    it('github: warnings on the YAML lines of the drifted declarations, a summary line, has_drift in $GITHUB_OUTPUT, markdown in the step summary', async () => {
      const out = w.path('github-output');
      const summary = w.path('step-summary.md');
      await writeFile(out, 'earlier=1\n');
      const r = await w.run(['drift', '--format', 'github'], { GITHUB_OUTPUT: out, GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: w.dir });
      expect(r.code, r.stderr).toBe(2);
      expect(w.writes()).toEqual({});
      const lines = r.stdout.trim().split('\n');
      const warnings = lines.filter((l) => l.startsWith('::warning '));
      expect(warnings).toHaveLength(9);
      const where = (needle: string, from = 1) => `file=dynoform.yaml,line=${lineOf(yamlText, needle, from)},`;
      const expectWarning = (address: string, needle: string, from = 1) => {
        const l = warnings.find((x) => x.includes(`%3A ${address}::`));
        expect(l, address).toBeDefined();
        expect(l).toContain(where(needle, from));
      };
      // One per counted item: 5 changed outside, 2 missing, 2 pending.
      expectWarning(`app.${APP}/config.RAILS_ENV`, 'RAILS_ENV:');
      expectWarning(`app.${APP}/config.SECRET_KEY_BASE`, 'SECRET_KEY_BASE:');
      expectWarning(`app.${APP}/formation.worker`, 'worker: {');
      expectWarning(`app.${APP}/config.FEATURE_X`, 'FEATURE_X:');
      expectWarning(`app.${APP}/domain.api.drift.example.com`, '- api.drift.example.com');
      expectWarning(`app.${APP}/config.NEW_KEY`, 'NEW_KEY:');
      expectWarning(`app.${APP}/formation.web`, 'web: {');
      expectWarning(`app.${APP}`, 'maintenance:');
      expect(lines.at(-1)).toBe('dynoform drift: Drift in 1 app: 5 changed outside, 2 missing, 2 pending; 4 unmanaged not counted.');
      expect(lines).toHaveLength(10);
      expect(await readFile(out, 'utf8')).toBe('earlier=1\nhas_drift=true\ndrift_count=9\n');
      const md = await readFile(summary, 'utf8');
      expect(md).toMatch(/^### dynoform drift: 9 items/);
      for (const secret of [SECRET, HAND_SECRET, 'hand-value', 'drainpass']) expect(r.stdout + md).not.toContain(secret);
    });

    it('github: with more than 10 counted items, 10 warnings then one ::notice for the rest', async () => {
      const r = await w.run(['drift', '--format', 'github', '--classes', 'all']);
      expect(r.code).toBe(2);
      const lines = r.stdout.trim().split('\n');
      expect(lines.filter((l) => l.startsWith('::warning '))).toHaveLength(10);
      expect(lines).toHaveLength(11);
      expect(lines[10]).toMatch(/^::notice title=dynoform drift::Drift in 1 app: .* 3 more items not annotated/);
    });

    it('text: grouped by app, values and file:line, uncounted apart', async () => {
      const r = await w.run(['drift']);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain(`app.${APP}\n`);
      expect(r.stdout).toContain(`"staging" → (hidden)   at dynoform.yaml:${lineOf(yamlText, 'RAILS_ENV:')}:7`);
      expect(r.stdout).toContain('Not counted (see --classes):');
      expect(r.stdout).toContain('unmanaged        config.HAND_SET: config var HAND_SET is set but not declared');
      expect(r.stdout).not.toContain(HAND_SECRET);
      expect(r.stdout).not.toMatch(/\u001b\[/);
    });

    it('markdown: a table that fits a PR comment', async () => {
      const r = await w.run(['drift', '--format', 'markdown']);
      expect(r.code).toBe(2);
      expect(r.stdout.length).toBeLessThanOrEqual(65_536);
      expect(r.stdout).toContain('| | Class | Address | What | Before → after | Where |');
      expect(r.stdout).toContain(`<code>app.${APP}/config.RAILS&#95;ENV</code>`);
      expect(r.stdout).toContain('<details><summary>Not counted (4 items, see --classes)</summary>');
    });

    it('--classes chooses what counts toward the exit code', async () => {
      expect((await w.run(['drift', '--classes', 'unmanaged'])).code).toBe(2);
      const out = w.path('out2');
      // No class counted has drift → exit 0 even though other items are listed.
      await w.heroku.configSet(APP, { RAILS_ENV: 'staging', SECRET_KEY_BASE: SECRET, FEATURE_X: 'on' });
      await w.heroku.maintenance(APP, false);
      const onlyChanged = await w.run(['drift', '--classes', 'changed-outside', '--format', 'json'], { GITHUB_OUTPUT: out });
      const doc = JSON.parse(onlyChanged.stdout) as { items: JsonItem[] };
      expect(doc.items.filter((i) => i.class === 'changed-outside').map((i) => i.address)).toEqual([`app.${APP}/formation.worker`, `app.${APP}/formation.worker`]);
      expect(onlyChanged.code).toBe(2);
      await w.heroku.psScale(APP, [{ type: 'worker', quantity: '1', size: 'Standard-1X' }]);
      const none = await w.run(['drift', '--classes', 'changed-outside,missing'], { GITHUB_OUTPUT: out });
      expect(none.code, none.stdout).toBe(2); // FEATURE_X back, but api domain still missing
      await w.heroku.domainsAdd(APP, 'api.drift.example.com');
      const clean = await w.run(['drift', '--classes', 'changed-outside'], { GITHUB_OUTPUT: out });
      expect(clean.code, clean.stdout).toBe(0);
      expect(clean.stdout).toMatch(/^No drift in 1 app; .*not counted\.\n/m);
      expect((await readFile(out, 'utf8')).trim().split('\n').at(-2)).toBe('has_drift=false');
      const bad = await w.run(['drift', '--classes', 'drifted']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('unknown drift class "drifted"');
    });
  });

  it('an app deleted outside dynoform is missing; errors exit 1 and become ::error in github format', async () => {
    const r0 = await w.run(['drift', '--format', 'github'], { HEROKU_API_KEY: '' , HOME: w.dir });
    expect(r0.code).toBe(1);
    expect(r0.stdout).toMatch(/^::error title=dynoform drift::/);
    await w.heroku.appsDestroy(APP);
    const r = await w.run(['drift', '--format', 'json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { items: JsonItem[] };
    expect(doc.items.map((i) => `${i.class} ${i.address}`)).toEqual([`missing app.${APP}`]);
  });
});
