import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyDrift } from '../../../src/drift/index.js';
import type { Change, Plan } from '../../../src/model/plan.js';
import { readLiveState } from '../../../src/providers/heroku/live.js';
import { createFingerprinter, saltForLineage } from '../../../src/util/fingerprint.js';
import { World, expectNoChanges } from '../apply/world.js';

function change(plan: Plan, address: string): Change {
  const c = plan.changes.find((x) => x.address === address);
  if (!c) throw new Error(`no change at ${address}: ${plan.changes.map((x) => x.address).join(', ')}`);
  return c;
}

const yaml = (collaborators: string, extra = '') => `version: 1
apps:
  team-shop:
    team: acme
    locked: true
    collaborators:
${collaborators}${extra}`;

const ANN = '      - { email: ann@example.com, permissions: [deploy] }\n';
const BOB = '      - bob@example.com\n';

describe('team-owned apps and collaborators against the emulator', () => {
  let w: World;
  const collabs = async (app = 'team-shop') =>
    (await w.api<Array<{ user: { email: string }; permissions: Array<{ name: string }> }>>('GET', `/apps/${app}/collaborators`))
      .map((c) => `${c.user.email}:${c.permissions.map((p) => p.name).sort().join('+')}`)
      .sort();
  const drift = async () => {
    const { desired, inventory } = await w.plan();
    const live = await readLiveState(w.client, desired, inventory);
    return classifyDrift({ desired, live, inventory, fingerprint: createFingerprinter(saltForLineage(inventory.lineage)) }).items;
  };

  beforeAll(async () => {
    w = await World.start();
    await w.api('POST', '/teams', { name: 'acme' });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('create: the app is made in its team, locked, with its collaborators; then the plan is empty', async () => {
    await w.yaml(yaml(ANN + BOB));
    const { first } = await w.converge();
    expect(change(first.plan, 'app.team-shop').op).toMatchObject({ type: 'app.create', team: 'acme', locked: true });
    expect(change(first.plan, 'app.team-shop/collaborator.ann@example.com')).toMatchObject({ action: 'create', dependsOn: [] });
    const app = await w.api<{ team: { name: string } }>('GET', '/apps/team-shop');
    expect(app.team.name).toBe('acme');
    expect((await w.api<{ locked: boolean }>('GET', '/teams/apps/team-shop')).locked).toBe(true);
    expect(await collabs()).toEqual(['ann@example.com:deploy+view', 'bob@example.com:view']);
  });

  it('no-op: one collaborators read and one team-app read (for locked), nothing else for the kinds', async () => {
    w.emulator.resetStats();
    expectNoChanges((await w.plan()).plan);
    const s = w.emulator.stats();
    expect(s.byRoute['GET /apps/{app}/collaborators']).toBe(1);
    expect(s.byRoute['GET /teams/apps/{app}']).toBe(1);
    expect(s.requests).toBe(4 + 4 + 2);
  });

  it('drift: permissions and the lock changed outside, each at its YAML line', async () => {
    await w.api('PATCH', '/teams/apps/team-shop/collaborators/ann@example.com', { permissions: ['view', 'operate'] });
    await w.api('PATCH', '/teams/apps/team-shop', { locked: false });
    const items = await drift();
    expect(items.map((i) => `${i.class} ${i.address} ${i.field ?? ''} @${i.loc?.line}`)).toEqual([
      'changed-outside app.team-shop/team locked @5',
      'changed-outside app.team-shop/collaborator.ann@example.com permissions @7',
    ]);
  });

  it('update: permissions and lock restored, guarded; a change after the plan is a conflict and survives', async () => {
    const { plan } = await w.plan();
    expect(change(plan, 'app.team-shop/collaborator.ann@example.com')).toMatchObject({ action: 'update', requests: 2 });
    expect(change(plan, 'app.team-shop/team')).toMatchObject({ action: 'update', requests: 1, guard: { etag: expect.any(String) } });
    await w.api('PATCH', '/teams/apps/team-shop/collaborators/ann@example.com', { permissions: ['view', 'manage'] });
    await w.api('PATCH', '/teams/apps/team-shop', { locked: true });
    w.emulator.resetStats();
    // Apply re-derives the plan from the YAML and the live state first and refuses before any write (issue 13);
    // the engine's own guard, tested next, is for an edit landing between that read and the write.
    expect((await w.apply(plan)).diagnostics.map((d) => d.code)).toEqual(['plan-differs']);
    const run = await w.apply(plan, { skipPreflight: true });
    // The lock's PATCH met a 412 (its ETag moved); the permissions' re-read saw the edit and sent nothing.
    expect(w.emulator.stats().byRoute['PATCH /teams/apps/{app}']).toBe(1);
    expect(w.emulator.stats().byRoute['PATCH /teams/apps/{app}/collaborators/{collaborator}'] ?? 0).toBe(0);
    expect(run.result?.conflicts).toBe(2);
    expect(await collabs()).toContain('ann@example.com:manage+view');
    await w.converge();
    expect(await collabs()).toContain('ann@example.com:deploy+view');
    expect((await w.api<{ locked: boolean }>('GET', '/teams/apps/team-shop')).locked).toBe(true);
  });

  it('delete: an owned collaborator removed from the YAML loses access; an unowned one is reported and stays', async () => {
    await w.api('POST', '/teams/apps/team-shop/collaborators', { user: 'cy@example.com', permissions: ['view'] });
    await w.yaml(yaml(ANN));
    const { first } = await w.converge();
    expect(change(first.plan, 'app.team-shop/collaborator.bob@example.com')).toMatchObject({ action: 'delete', requests: 2 });
    expect(first.plan.diagnostics.find((d) => d.code === 'collaborator-unmanaged')?.message).toContain('cy@example.com');
    expect(await collabs()).toEqual(['ann@example.com:deploy+view', 'cy@example.com:view']);
  });

  it('adopt: a collaborator added by hand and then declared is owned without a request', async () => {
    await w.yaml(yaml(ANN + '      - cy@example.com\n'));
    const { first } = await w.converge();
    expect(change(first.plan, 'app.team-shop/collaborator.cy@example.com')).toMatchObject({ action: 'adopt', requests: 0 });
  });

  it('transfer: a personal app declared in a team is moved, never re-created: same id, config kept', async () => {
    const solo = await w.api<{ id: string }>('POST', '/apps', { name: 'solo-shop' });
    await w.api('PATCH', '/apps/solo-shop/config-vars', { KEEP: 'me' });
    await w.yaml(yaml(ANN + '      - cy@example.com\n', '\n  solo-shop:\n    team: acme\n'));
    const { first } = await w.converge();
    const c = change(first.plan, 'app.solo-shop/team');
    expect(c).toMatchObject({ action: 'adopt', requests: 2, op: { type: 'team.set', transferTo: 'acme' } });
    expect(c.reason).toContain('not a re-create');
    expect(first.plan.changes.some((x) => x.address === 'app.solo-shop' && (x.action === 'create' || x.action === 'delete'))).toBe(false);
    const after = await w.api<{ id: string; team: { name: string } }>('GET', '/apps/solo-shop');
    expect(after).toMatchObject({ id: solo.id, team: { name: 'acme' } });
    expect((await w.api<Record<string, string>>('GET', '/apps/solo-shop/config-vars')).KEEP).toBe('me');
  });
});
