import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliWorld, lineOf, type RunResult } from '../../helpers/cli-world.js';
import { expectNoLeak } from '../../helpers/secret-scan.js';

const HOOK_SECRET = 'hooksecret-7d1e94c2ab';
const HOOK_AUTH = 'Bearer hookauth-33f0a9';
const CLI_SECRET = 'cli-made-secret-5e61';

/**
 * Webhooks and shared add-ons through the CLI, as a user meets them: built
 * with the Heroku CLI's requests, imported (both apps: the attachment is
 * declared by the owner's key), an empty first plan; the secret added to
 * the YAML and applied; outside edits found by drift at their lines; and
 * no secret in any output, plan file or state.
 */
describe('webhooks and shared add-ons through the CLI', () => {
  let w: CliWorld;
  let yamlText: string;
  const outputs: Record<string, string> = {};
  const run = async (label: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> => {
    const r = await w.run(args, env);
    outputs[`${label} stdout`] = r.stdout;
    outputs[`${label} stderr`] = r.stderr;
    return r;
  };

  beforeAll(async () => {
    w = await CliWorld.start({ provisionDelayMs: 0 });
    const h = w.heroku;
    await h.appsCreate('cli-web');
    await h.appsCreate('cli-api');
    const db = (await h.addonsCreate('cli-web', 'heroku-postgresql:essential-0', 'DATABASE')) as { name: string };
    await h.addonsAttach('cli-api', db.name, 'SHARED_DB');
    await h.webhooksAdd('cli-api', { url: 'https://hooks.example.com/release', include: ['api:release'], level: 'sync', secret: CLI_SECRET });
  });

  afterAll(async () => {
    await w?.close();
  });

  it('importing the attaching app alone leaves the attachment out and says why', async () => {
    const r = await run('import-alone', ['import', 'cli-api', '-o', 'alone.yaml', '--state', 'alone.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain('is billed to cli-web and only attached here as SHARED_DB: left out (import cli-web in the same run to declare the attachment)');
    expect(await readFile(w.path('alone.yaml'), 'utf8')).not.toContain('attachments:');
  });

  it('imports both apps to an empty first plan: the attachment by the owner key, the webhook without its secret', async () => {
    const r = await run('import', ['import', 'cli-web', 'cli-api', '-o', 'dynoform.yaml']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain('written without secret and authorization');
    yamlText = await readFile(w.path('dynoform.yaml'), 'utf8');
    expect(yamlText).toContain('    attachments:\n      SHARED_DB: cli-web/database\n');
    expect(yamlText).toContain('    webhooks:\n      - url: https://hooks.example.com/release\n        include:\n          - api:release\n        level: sync\n');
    expect(yamlText).not.toContain('SHARED_DB_URL');
    const plan = await run('plan', ['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes');
  });

  it('the secret and authorization added to the YAML are sent once, shown nowhere, and leave the plan empty', async () => {
    yamlText = yamlText.replace('        level: sync\n', '        level: sync\n        secret: ${env:HOOK_SECRET}\n        authorization: ${env:HOOK_AUTH}\n');
    await writeFile(w.path('dynoform.yaml'), yamlText);
    const env = { HOOK_SECRET, HOOK_AUTH };
    const plan = await run('plan-secret', ['plan', '-o', 'hook.plan'], env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('app.cli-api/webhook.https://hooks.example.com/release');
    expect(plan.stdout).toContain('(sensitive)');
    const json = await run('plan-json', ['plan', '--format', 'json'], env);
    expect(json.code, json.stderr).toBe(0);
    const apply = await run('apply', ['apply', 'hook.plan', '--auto-approve'], env);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const again = await run('plan-after', ['plan', '--detailed-exitcode'], env);
    expect(again.code, again.stdout).toBe(0);
    const files: Record<string, string> = { 'hook.plan': await readFile(w.path('hook.plan'), 'utf8') };
    for (const f of await readdir(w.path('.dynoform'))) files[`.dynoform/${f}`] = await readFile(join(w.path('.dynoform'), f), 'utf8');
    expectNoLeak({ ...outputs, ...files }, [HOOK_SECRET, HOOK_AUTH, CLI_SECRET]);
  });

  it('drift: the webhook level and the attachment changed outside, each at its YAML line; nothing written', async () => {
    const hooks = (await w.heroku.request('GET', '/apps/cli-api/webhooks')) as Array<{ id: string }>;
    await w.heroku.request('PATCH', `/apps/cli-api/webhooks/${hooks[0]!.id}`, { level: 'notify' });
    await w.heroku.addonsDetach('cli-api', 'SHARED_DB');
    w.emulator.resetStats();
    const r = await run('drift', ['drift', '--format', 'json'], { HOOK_SECRET, HOOK_AUTH });
    expect(r.code, r.stderr).toBe(2);
    expect(w.writes()).toEqual({});
    const doc = JSON.parse(r.stdout) as { items: Array<{ class: string; address: string; loc?: { line: number } }> };
    expect(doc.items.map((i) => `${i.class} ${i.address} @${i.loc?.line}`)).toEqual([
      `changed-outside app.cli-api/webhook.https://hooks.example.com/release @${lineOf(yamlText, '- url: https://hooks.example.com/release')}`,
      `missing app.cli-api/attachment.SHARED_DB @${lineOf(yamlText, 'SHARED_DB: cli-web/database')}`,
    ]);
    expectNoLeak(outputs, [HOOK_SECRET, HOOK_AUTH, CLI_SECRET]);
  });
});
