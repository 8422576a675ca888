import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliWorld, TOKEN } from '../../helpers/cli-world.js';
import { plan as planOperation } from '../../../src/operations/index.js';
import type { OperationEvent } from '../../../src/operations/events.js';

// Issue 15 §5: the rough edges a new user hit, each reproduced with the
// real CLI against the emulator and pinned by a snapshot of what it prints.
// Volatile parts (durations, request and budget figures, which other
// sessions change by adding reads) are normalised; the wording is not.

/** The output with durations and request/budget figures replaced by `#`. */
function normalise(text: string): string {
  return text
    .replace(/\((\d+ms|\d+\.\ds|\d+m\d\ds)\)/g, '(#)')
    .replace(/, (\d+ms|\d+\.\ds|\d+m\d\ds)\.$/gm, ', #.')
    .replace(/Needs [\d,]+ API requests? \([\d,]+ remaining\)/g, 'Needs # API requests')
    .replace(/[\d,]+ API requests?/g, '# API requests');
}

const lines = (text: string, re: RegExp): string[] => normalise(text).split('\n').filter((l) => re.test(l));

describe('issue 15 §5: rough edges, at the CLI against the emulator', () => {
  let w: CliWorld;
  beforeEach(async () => {
    w = await CliWorld.start();
  });
  afterEach(async () => {
    await w.close();
  });

  it('apply says once that a formation waits for a release, naming its process types', async () => {
    await w.write(
      'app.yaml',
      `version: 1
apps:
  edge-wait:
    formation:
      web: 1
      worker: { quantity: 1, size: basic }
`,
    );
    const r = await w.run(['apply', '-f', 'app.yaml', '--auto-approve']);
    expect(r.code).toBe(0);
    const after = r.stdout.slice(r.stdout.indexOf('\nPlan:'));
    expect(lines(after, /formation|Apply complete/)).toMatchInlineSnapshot(`
      [
        "? app.edge-wait/formation: waiting for a release that defines web and worker (a later apply scales it)",
        "Apply complete! 1 succeeded, 0 failed, 0 skipped, 1 waiting for a release. 0 releases (dyno restarts), # API requests, #.",
      ]
    `);
  });

  it('sizes are shown by their canonical Heroku names, whatever case the API or the Heroku CLI used', async () => {
    await w.write(
      'app.yaml',
      `version: 1
apps:
  edge-size:
    formation:
      web: { quantity: 2, size: STANDARD-2x }
`,
    );
    await w.heroku.appsCreate('edge-size');
    await w.heroku.deploy('edge-size', { web: 'node web.js' });
    // The Heroku CLI sends the size as typed; the API answers `Basic`.
    await w.heroku.psScale('edge-size', [{ type: 'web', quantity: '1', size: 'basic' }]);
    const plan = await w.run(['plan', '-f', 'app.yaml']);
    expect(plan.code).toBe(0);
    expect(lines(plan.stdout, /×/)).toMatchInlineSnapshot(`
      [
        "       ~  web: 1 × basic → 2 × standard-2X  (a new size restarts these dynos)",
      ]
    `);
    expect(plan.stdout).not.toMatch(/Basic|Standard-|STANDARD/);
  });

  it('domains and drains do not wait for an add-on that is still provisioning', async () => {
    await w.close();
    w = await CliWorld.start({ provisionDelayMs: 1500 });
    await w.write(
      'app.yaml',
      `version: 1
apps:
  edge-leaves:
    addons:
      db: heroku-postgresql:essential-0
    domains: [www.edge-leaves.test]
    drains: [https://logs.example.com/edge]
`,
    );
    const r = await w.run(['apply', '-f', 'app.yaml', '--auto-approve']);
    expect(r.code).toBe(0);
    // Finished in this order: the leaves while the database still provisions.
    expect(lines(r.stdout, /^✓/).map((l) => l.replace(/ \(#\)$/, ''))).toEqual([
      '✓ app.edge-leaves: create',
      '✓ app.edge-leaves/domain.www.edge-leaves.test: create',
      '✓ app.edge-leaves/drain.https://logs.example.com/edge: create',
      '✓ app.edge-leaves/addon.db: create',
    ]);
  });

  it('drift counts the apps that drifted, out of those checked', async () => {
    await w.write(
      'apps.yaml',
      `version: 1
apps:
  edge-d1: { config: { A: "1" } }
  edge-d2: { config: { A: "1" } }
  edge-d3: { config: { A: "1" } }
`,
    );
    expect((await w.run(['apply', '-f', 'apps.yaml', '--auto-approve'])).code).toBe(0);
    await w.heroku.configSet('edge-d2', { A: '2' });
    const r = await w.run(['drift', '-f', 'apps.yaml']);
    expect(r.code).toBe(2);
    expect(lines(r.stdout, /^(No )?[Dd]rift in/)).toMatchInlineSnapshot(`
      [
        "Drift in 1 of 3 apps: 1 changed outside.",
      ]
    `);
    await w.heroku.configSet('edge-d1', { A: '2' });
    await w.heroku.configSet('edge-d3', { A: '2' });
    expect(lines((await w.run(['drift', '-f', 'apps.yaml'])).stdout, /^Drift in/)).toMatchInlineSnapshot(`
      [
        "Drift in 3 apps: 3 changed outside.",
      ]
    `);
  });

  it('a one-app --target reads one app, and says so in the singular', async () => {
    await w.write('apps.yaml', `version: 1\napps:\n  edge-t1: {}\n  edge-t2: {}\n`);
    expect((await w.run(['apply', '-f', 'apps.yaml', '--auto-approve'])).code).toBe(0);
    const events: OperationEvent[] = [];
    await planOperation({ files: ['apps.yaml'], cwd: w.dir, env: w.env, targets: ['edge-t1'], onEvent: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'phase')).toEqual([{ type: 'phase', phase: 'read-live', apps: 1 }]);
    const src = readFileSync(resolve(import.meta.dirname, '../../../src/cli/options.ts'), 'utf8');
    expect(src).not.toContain('app(s)');
  });

  it('config_mode: exclusive says what it will do to an undeclared var', async () => {
    await w.write('app.yaml', `version: 1\napps:\n  edge-x:\n    config_mode: exclusive\n    config: { A: "1" }\n`);
    expect((await w.run(['apply', '-f', 'app.yaml', '--auto-approve'])).code).toBe(0);
    await w.heroku.configSet('edge-x', { STRAY: 'by hand' });
    const r = await w.run(['plan', '-f', 'app.yaml']);
    expect(lines(r.stdout, /STRAY/)).toMatchInlineSnapshot(`
      [
        "       -  STRAY: (hidden)  (not declared; config_mode: exclusive deletes it)",
      ]
    `);
  });

  it('a rename warns that the herokuapp.com URL and the git remote change', async () => {
    await w.write('app.yaml', `version: 1\napps:\n  shop:\n    name: edge-old\n`);
    expect((await w.run(['apply', '-f', 'app.yaml', '--auto-approve'])).code).toBe(0);
    await w.write('app.yaml', `version: 1\napps:\n  shop:\n    name: edge-new\n`);
    const r = await w.run(['plan', '-f', 'app.yaml']);
    expect(r.code).toBe(0);
    expect(lines(r.stdout, /name|rename/)).toMatchInlineSnapshot(`
      [
        "       ~  name: "edge-old" → "edge-new"  (rename: its herokuapp.com URL and git remote change)",
        "  app.yaml:3:3: warning: renaming edge-old to edge-new changes its URL (https://edge-old.herokuapp.com stops answering; Heroku gives the app a new herokuapp.com domain) and its git remote (https://git.heroku.com/edge-old.git becomes https://git.heroku.com/edge-new.git): update links to the old URL, and in each clone run \`heroku git:remote -a edge-new\` (app.shop) [app-rename]",
      ]
    `);
  });

  it('a plan with nothing it can apply does not open with "will perform the following actions", and says each error once', async () => {
    await w.write('apps.yaml', `version: 1\napps:\n  edge-keep: {}\n  edge-gone: {}\n`);
    expect((await w.run(['apply', '-f', 'apps.yaml', '--auto-approve'])).code).toBe(0);
    await w.write('apps.yaml', `version: 1\napps:\n  edge-keep: {}\n`);
    const r = await w.run(['plan', '-f', 'apps.yaml']);
    expect(normalise(r.stdout)).toMatchInlineSnapshot(`
      "Environment: default (state .dynoform/state.json)

      Nothing can be applied: these changes are blocked or refused (see below).

      # app edge-gone
        !  app.edge-gone is blocked
             # removed from the YAML but protected: deleting edge-gone destroys its data. To delete it, set protect: false and apply first, then remove it, and apply with --allow-destroy
                name:    "edge-gone"
                protect: true
                region:  "us"

      Error: 1 change cannot be made, so apply will refuse this plan:
        app.edge-gone is blocked: removed from the YAML but protected: deleting edge-gone destroys its data. To delete it, set protect: false and apply first, then remove it, and apply with --allow-destroy

      Plan: 0 to create, 0 to update, 0 to delete, 0 to adopt; 1 blocked. 0 releases (dyno restarts). Needs # API requests.
      "
    `);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toMatch(/Error: error:|will perform the following actions/);
  });

  it('a worker-only app opts out of the defaults\u2019 web with `web: null`: drift stops reporting it pending', async () => {
    await w.write('defaults.yaml', `version: 1\ndefaults:\n  formation:\n    web: { quantity: 1, size: basic }\n`);
    await w.write('apps.yaml', `version: 1\napps:\n  edge-worker:\n    formation:\n      web: null\n      worker: 1\n`);
    const files = ['-f', 'defaults.yaml', '-f', 'apps.yaml'];
    expect((await w.run(['validate', ...files])).code).toBe(0);
    expect((await w.run(['apply', ...files, '--auto-approve'])).code).toBe(0);
    await w.heroku.deploy('edge-worker', { worker: 'node worker.js' });
    const scaled = await w.run(['apply', ...files, '--auto-approve']);
    expect(scaled.code).toBe(0);
    expect(scaled.stdout).not.toContain('web');
    const drift = await w.run(['drift', ...files]);
    expect(lines(drift.stdout, /drift/i)).toEqual(['No drift in 1 app.']);
    expect(drift.code).toBe(0);
  });

  it('a failed apply leaves no empty .dynoform/ behind', async () => {
    await w.close();
    w = await CliWorld.start({ apiKeys: [TOKEN] });
    await w.write('bad.yaml', `version: 1\napps:\n  edge-bad: { region: [us] }\n`);
    expect((await w.run(['apply', '-f', 'bad.yaml', '--auto-approve'])).code).toBe(1);
    await w.write('good.yaml', `version: 1\napps:\n  edge-good: {}\n`);
    // The API refuses the token: the run stops at its first read.
    const refused = await w.run(['apply', '-f', 'good.yaml', '--auto-approve'], { HEROKU_API_KEY: 'not-the-token' });
    expect(refused.code).toBe(1);
    expect(readdirSync(w.dir).sort()).toEqual(['bad.yaml', 'good.yaml']);
    // A run that writes state keeps its folder.
    expect((await w.run(['apply', '-f', 'good.yaml', '--auto-approve'])).code).toBe(0);
    expect(readdirSync(join(w.dir, '.dynoform'))).toEqual(['state.json']);
  });

  it('a bad plan file is named once', async () => {
    await w.write('junk.plan', 'junk\n');
    const r = await w.run(['apply', 'junk.plan']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatchInlineSnapshot(`
      "junk.plan: error: not a dynoform plan file: it is not valid JSON (Unexpected token 'j') [plan-file-malformed]
      Error: junk.plan is not a usable plan file
      "
    `);
  });

  it('validate: the wildcard, indentation, formation and defaults mistakes, as printed', async () => {
    await w.write('defaults.yaml', `version: 1\ndefaults:\n  config:\n    SENTRY_DSN: \${env:EDGE_SENTRY_DSN}\n`);
    await w.write(
      'apps.yaml',
      `version: 1
apps:
  edge-v1:
    domains:
      - *.shop.test
  edge-v2:
    config:
    RAILS_ENV: production
    LOG_LEVEL: info
  edge-v3:
    formation:
      web: { quantity: 101, size: standard-3X }
  edge-v4: {}
`,
    );
    // A file with a YAML error is read no further: the rest is checked in a file of its own.
    const one = await w.run(['validate', '-f', 'defaults.yaml', '-f', 'apps.yaml']);
    expect(one.code).toBe(1);
    expect(one.stderr + one.stdout).toMatchInlineSnapshot(`
      "apps.yaml:5:9: error: *.shop.test is read as a YAML alias, and no anchor &.shop.test comes before it: if you meant a wildcard hostname *.shop.test, quote it ("*.shop.test") [yaml-bad-alias]
      1 error, 0 warnings
      "
    `);
    await w.write('apps.yaml', readFileSync(w.path('apps.yaml'), 'utf8').replace('      - *.shop.test\n', '      - "*.shop.test"\n'));
    const all = await w.run(['validate', '-f', 'defaults.yaml', '-f', 'apps.yaml']);
    expect(all.code).toBe(1);
    expect(all.stderr + all.stdout).toMatchInlineSnapshot(`
      "defaults.yaml:4:5: error: config value for SENTRY_DSN reads \${env:EDGE_SENTRY_DSN}, which is not set (in apps edge-v1, edge-v3 and edge-v4, from defaults) [missing-env]
      apps.yaml:7:5: error: config of app "edge-v2" is empty, and the keys below it (RAILS_ENV, LOG_LEVEL) are read as keys of the app: they are indented as far as config: is; indent them under it (two more spaces) [mis-indented]
      apps.yaml:12:14: error: quantity of formation "web" must be from 0 to 100 (got 101) [invalid-formation-quantity]
      apps.yaml:12:29: error: dyno size "standard-3X" of formation "web" is not known: did you mean "standard-1X"? [unknown-dyno-size]
      4 errors, 0 warnings
      "
    `);
  });

  it('the emulator listens on 5055 by default, not 5000 (AirPlay on macOS), and the docs say the same', async () => {
    const help = await w.run(['emulator', '--help']);
    expect(help.stdout).toContain('(default: 5055)');
    expect(help.stdout).toContain('HEROKU_API_URL=http://127.0.0.1:5055');
    const root = resolve(import.meta.dirname, '../../..');
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? walk(p) : /\.(md|ya?ml|mjs)$/.test(n) ? [p] : [];
      });
    const docs = [join(root, 'README.md'), ...walk(join(root, 'docs')), ...walk(join(root, 'examples')), ...walk(join(root, 'scripts'))];
    const bad = docs.flatMap((p) =>
      readFileSync(p, 'utf8')
        .split('\n')
        .filter((l) => /--port[ =]5000\b|(127\.0\.0\.1|localhost):5000\b|\| `5000` \|/.test(l))
        .map((l) => `${p.slice(root.length + 1)}: ${l.trim()}`),
    );
    expect(bad).toEqual([]);
  });
});
