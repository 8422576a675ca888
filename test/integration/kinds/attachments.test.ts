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

const OWNER = `  share-web:
    protect: false
    addons:
      db: { plan: heroku-postgresql:essential-0, as: DATABASE }
      cache: { plan: heroku-redis:mini, as: REDIS }
`;
const yaml = (attachments: string, owner = OWNER) => `version: 1
apps:
${owner}  share-api:
    config:
      MODE: api
${attachments}`;
const ATTACH = `    attachments:
      SHOP_DB: share-web/db
`;

interface ApiAttachment {
  id: string;
  name: string;
  app: { name: string };
  addon: { id: string; name: string; app: { name: string } };
}

describe('shared add-ons (attachments of another app\'s add-on) against the emulator', () => {
  let w: World;
  const attachments = async (app: string) =>
    (await w.api<ApiAttachment[]>('GET', `/apps/${app}/addon-attachments`)).map((a) => `${a.name}→${a.addon.app.name}`).sort();
  const drift = async () => {
    const { desired, inventory } = await w.plan();
    const live = await readLiveState(w.client, desired, inventory);
    return classifyDrift({ desired, live, inventory, fingerprint: createFingerprinter(saltForLineage(inventory.lineage)) }).items;
  };

  beforeAll(async () => {
    w = await World.start({ provisionDelayMs: 0 });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('create: the owner, its add-on and the other app in one apply; the attachment waits for the add-on; its vars are never planned', async () => {
    await w.yaml(yaml(ATTACH));
    const { first, second } = await w.converge();
    const att = change(first.plan, 'app.share-api/attachment.SHOP_DB');
    expect(att).toMatchObject({ action: 'create', requests: 1, op: { type: 'attachment.create', owner: { app: 'share-web', addon: 'db' } } });
    expect(att.dependsOn).toEqual(expect.arrayContaining(['app.share-api', 'app.share-web/addon.db']));
    expect(await attachments('share-api')).toEqual(['SHOP_DB→share-web']);
    const vars = await w.api<Record<string, string>>('GET', '/apps/share-api/config-vars');
    expect(Object.keys(vars)).toContain('SHOP_DB_URL');
    expect(second.plan.changes.filter((c) => c.app === 'share-api' && c.kind === 'config')).toEqual([]);
  });

  it('no-op: attachments cost no read (the account-wide attachment list has them)', async () => {
    w.emulator.resetStats();
    expectNoChanges((await w.plan()).plan);
    expect(w.emulator.stats().requests).toBe(4 + 4 * 2);
  });

  it('deleting the owning add-on while another app attaches it is blocked at plan time, listing the attachers', async () => {
    // An app the YAML does not declare attaches the cache by hand (the YAML cannot name it, so only the live attachments tell).
    await w.api('POST', '/apps', { name: 'share-ext' });
    const cache = (await w.api<Array<{ id: string; addon_service: { name: string } }>>('GET', '/apps/share-web/addons')).find((x) => x.addon_service.name === 'heroku-redis')!;
    const ext = await w.api<{ id: string }>('POST', '/addon-attachments', { addon: cache.id, app: 'share-ext', name: 'EXT_CACHE' });
    await w.yaml(yaml(ATTACH, OWNER.replace('      cache: { plan: heroku-redis:mini, as: REDIS }\n', '')));
    const { plan } = await w.plan();
    const del = change(plan, 'app.share-web/addon.cache');
    expect(del).toMatchObject({ action: 'blocked', requests: 0, op: { type: 'none' } });
    expect(del.reason).toContain('share-ext (as EXT_CACHE)');
    await w.api('DELETE', `/addon-attachments/${ext.id}`);
    await w.yaml(yaml(ATTACH));
  });

  it('drift: an attachment detached outside shows at its YAML line; the plan attaches it again', async () => {
    const [a] = (await w.api<ApiAttachment[]>('GET', '/apps/share-api/addon-attachments')).filter((x) => x.name === 'SHOP_DB');
    await w.api('DELETE', `/addon-attachments/${a!.id}`);
    const items = await drift();
    expect(items.map((i) => `${i.class} ${i.address} @${i.loc?.line}`)).toEqual(['missing app.share-api/attachment.SHOP_DB @12']);
    const { first } = await w.converge();
    expect(change(first.plan, 'app.share-api/attachment.SHOP_DB')).toMatchObject({ action: 'create' });
  });

  it('adopt: an attachment made with the CLI\'s form ({addon:{name}, app:{name}}) and then declared is owned without a request', async () => {
    const cache = (await w.api<Array<{ name: string; addon_service: { name: string } }>>('GET', '/apps/share-web/addons')).find((x) => x.addon_service.name === 'heroku-redis')!;
    await w.api('POST', '/addon-attachments', { addon: { name: cache.name }, app: { name: 'share-api' }, name: 'SHOP_CACHE' });
    await w.yaml(yaml(ATTACH + '      SHOP_CACHE: { addon: share-web/cache }\n'));
    const { first } = await w.converge();
    expect(change(first.plan, 'app.share-api/attachment.SHOP_CACHE')).toMatchObject({ action: 'adopt', requests: 0 });
  });

  it('412: a detach whose attachment was replaced outside between plan and apply writes nothing', async () => {
    await w.yaml(yaml(ATTACH));
    const { plan } = await w.plan();
    const det = change(plan, 'app.share-api/attachment.SHOP_CACHE');
    expect(det).toMatchObject({ action: 'delete', requests: 2, guard: { fingerprint: expect.any(String) } });
    // Someone detaches it and attaches the same add-on again under the name: another attachment, not the one reviewed.
    const old = (await w.api<ApiAttachment[]>('GET', '/apps/share-api/addon-attachments')).find((x) => x.name === 'SHOP_CACHE')!;
    await w.api('DELETE', `/addon-attachments/${old.id}`);
    await w.api('POST', '/addon-attachments', { addon: old.addon.id, app: 'share-api', name: 'SHOP_CACHE' });
    w.emulator.resetStats();
    // Apply re-derives the plan from the YAML and the live state first and refuses before any write (issue 13);
    // the engine's own guard, tested next, is for an edit landing between that read and the write.
    expect((await w.apply(plan)).diagnostics.map((d) => d.code)).toEqual(['plan-differs']);
    const run = await w.apply(plan, { skipPreflight: true });
    expect(run.result?.conflicts).toBe(1);
    expect(w.emulator.stats().byRoute['DELETE /addon-attachments/{attachment}'] ?? 0).toBe(0);
    expect(await attachments('share-api')).toContain('SHOP_CACHE→share-web');
  });

  it('delete: removing the attachment detaches the add-on and never deletes it', async () => {
    // The outside attachment of the last test is not owned: it is reported, not touched.
    const { first } = await w.converge();
    expect(first.plan.diagnostics.find((d) => d.code === 'attachment-unmanaged')?.message).toContain('SHOP_CACHE');
    await w.yaml(yaml('    attachments: {}\n'));
    const second = await w.converge();
    expect(change(second.first.plan, 'app.share-api/attachment.SHOP_DB')).toMatchObject({ action: 'delete', requests: 2 });
    expect(await attachments('share-api')).toEqual(['SHOP_CACHE→share-web']);
    expect(await attachments('share-web')).toEqual(['DATABASE→share-web', 'REDIS→share-web']);
  });
});
