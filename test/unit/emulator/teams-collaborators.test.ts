import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.js';

/** Teams, team apps and collaborators, with the rules a real client trips on. */
describe('emulator: teams, team apps, collaborators', () => {
  let emu: EmulatorHandle;
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(emu.url + path, {
      method,
      headers: { accept: 'application/vnd.heroku+json; version=3', authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & Array<Record<string, unknown>> };
  };

  beforeAll(async () => {
    emu = await startEmulator({ apiKeys: ['alice-key', 'bob-key'] });
  });
  afterAll(async () => {
    await emu?.close();
  });

  it('creates a team whose creator is admin; others do not see it', async () => {
    const t = await call('alice-key', 'POST', '/teams', { name: 'acme' });
    expect(t.status).toBe(201);
    expect(t.body).toMatchObject({ name: 'acme', role: 'admin', type: 'team' });
    expect((await call('alice-key', 'GET', '/teams')).body.map((x) => x.name)).toEqual(['acme']);
    expect((await call('bob-key', 'GET', '/teams/acme')).status).toBe(404);
    expect((await call('alice-key', 'POST', '/teams', { name: 'acme' })).status).toBe(422);
    const members = (await call('alice-key', 'GET', '/teams/acme/members')).body;
    expect(members).toHaveLength(1);
    expect(members[0]).toMatchObject({ role: 'admin' });
  });

  it('team apps: created in the team, owned by it, locked, listed by team; transfer keeps the app', async () => {
    const a = await call('alice-key', 'POST', '/teams/apps', { name: 'acme-web', team: 'acme', locked: true });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ name: 'acme-web', locked: true, team: { name: 'acme' }, owner: { email: 'acme@herokumanager.com' } });
    expect((await call('alice-key', 'GET', '/apps/acme-web')).body).toMatchObject({ team: { name: 'acme' } });
    expect((await call('alice-key', 'GET', '/teams/acme/apps')).body.map((x) => x.name)).toEqual(['acme-web']);
    const p = await call('alice-key', 'POST', '/apps', { name: 'alice-solo' });
    const moved = await call('alice-key', 'PATCH', '/teams/apps/alice-solo', { owner: 'acme' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: p.body.id, team: { name: 'acme' } });
    expect((await call('alice-key', 'PATCH', '/teams/apps/acme-web', { locked: false })).body).toMatchObject({ locked: false });
    expect((await call('bob-key', 'POST', '/teams/apps', { name: 'bob-in-acme', team: 'acme' })).status).toBe(404);
  });

  it('collaborators: personal apps by e-mail, never the owner, never twice; team apps with permissions', async () => {
    await call('bob-key', 'GET', '/account');
    const bobEmail = (await call('bob-key', 'GET', '/account')).body.email as string;
    await call('alice-key', 'POST', '/apps', { name: 'alice-app' });
    expect((await call('bob-key', 'GET', '/apps/alice-app')).status).toBe(403);
    const c = await call('alice-key', 'POST', '/apps/alice-app/collaborators', { user: bobEmail });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ role: 'collaborator', user: { email: bobEmail }, permissions: [] });
    expect((await call('alice-key', 'POST', '/apps/alice-app/collaborators', { user: bobEmail })).status).toBe(422);
    const aliceEmail = (await call('alice-key', 'GET', '/account')).body.email as string;
    expect((await call('alice-key', 'POST', '/apps/alice-app/collaborators', { user: aliceEmail })).status).toBe(422);
    expect((await call('bob-key', 'GET', '/apps/alice-app')).status).toBe(200);
    // A personal-app collaborator cannot manage the app.
    expect((await call('bob-key', 'DELETE', '/apps/alice-app')).status).toBe(403);
    expect((await call('alice-key', 'DELETE', `/apps/alice-app/collaborators/${bobEmail}`)).status).toBe(200);
    expect((await call('bob-key', 'GET', '/apps/alice-app')).status).toBe(403);

    const t = await call('alice-key', 'POST', '/teams/apps/acme-web/collaborators', { user: bobEmail, permissions: ['deploy'] });
    expect(t.status).toBe(201);
    expect((t.body.permissions as Array<{ name: string }>).map((x) => x.name)).toEqual(['view', 'deploy']);
    expect((await call('bob-key', 'PATCH', '/apps/acme-web/config-vars', { A: '1' })).status).toBe(200);
    expect((await call('bob-key', 'PATCH', '/apps/acme-web/formation/web', { quantity: 1 })).status).toBe(403);
    expect((await call('alice-key', 'POST', '/teams/apps/acme-web/collaborators', { user: bobEmail, permissions: ['fly'] })).status).toBe(422);
    const u = await call('alice-key', 'PATCH', `/teams/apps/acme-web/collaborators/${bobEmail}`, { permissions: ['view', 'operate'] });
    expect((u.body.permissions as Array<{ name: string }>).map((x) => x.name)).toEqual(['view', 'operate']);
    expect((await call('alice-key', 'POST', '/apps/alice-solo/collaborators', { user: 'not-an-email' })).status).toBe(422);
  });
});
