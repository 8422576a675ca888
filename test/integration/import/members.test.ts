import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CliWorld } from '../../helpers/cli-world.js';

/**
 * A team with members added the Heroku CLI's way (`members:add` is a PUT
 * of {email, role}) and account features switched as `labs:enable` does,
 * then `dynoform import --team --account-features`: the first plan is
 * empty, drift finds nothing, and state owns every member written.
 */
describe('dynoform import --team --account-features', () => {
  let w: CliWorld;
  let me: string;

  beforeAll(async () => {
    w = await CliWorld.start();
    const h = w.heroku;
    await h.request('POST', '/teams', { name: 'acme' });
    await h.request('PUT', '/teams/acme/members', { email: 'ann@example.com', role: 'member' });
    await h.request('PUT', '/teams/acme/members', { email: 'bob@example.com', role: 'viewer' });
    await h.request('PATCH', '/account/features/build-cache-insights', { enabled: true });
    me = ((await h.request('GET', '/account')) as { email: string }).email;
  });

  afterAll(async () => {
    await w?.close();
  });

  it('writes the members and the enabled features without a write; the first plan is empty', async () => {
    w.emulator.resetStats();
    const r = await w.run(['import', '--team', 'acme', '--account-features', '-o', 'team.yaml']);
    expect(r.code, r.stderr).toBe(0);
    expect(w.writes()).toEqual({});
    const doc = parse(await readFile(w.path('team.yaml'), 'utf8')) as { teams: unknown; account: { features: Record<string, boolean> } };
    expect(doc.teams).toEqual({ acme: { members: { 'ann@example.com': 'member', 'bob@example.com': 'viewer', [me]: 'admin' } } });
    expect(doc.account.features['build-cache-insights']).toBe(true);
    expect(Object.values(doc.account.features).every((v) => v === true)).toBe(true);

    const plan = await w.run(['plan', '-f', 'team.yaml', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    const drift = await w.run(['drift', '-f', 'team.yaml', '--classes', 'all']);
    expect(drift.code, drift.stdout).toBe(0);
    const state = await w.run(['state', 'list', '-f', 'team.yaml']);
    expect(state.stdout).toContain('team.acme/member.ann@example.com');
    expect(state.stdout).toContain('account/feature.build-cache-insights');
  });

  it('refuses a team it already manages, and one the account is not in', async () => {
    const again = await w.run(['import', '--team', 'acme', '-o', 'again.yaml']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('dynoform state forget team.acme');
    const none = await w.run(['import', '--team', 'nope', '-o', 'x.yaml', '--state', 'other.json']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no such team, or the account is not a member of it: nope');
  });
});
