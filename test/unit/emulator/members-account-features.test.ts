import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.js';

/** Team members (roles, admins only, the last-admin rule) and account features, as the Heroku CLI uses them. */
describe('emulator: team members and account features', () => {
  let emu: EmulatorHandle;
  let dir: string;
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(emu.url + path, {
      method,
      headers: { accept: 'application/vnd.heroku+json; version=3', authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & Array<Record<string, unknown>> };
  };
  const roles = async () =>
    Object.fromEntries((await call('alice-key', 'GET', '/teams/acme/members')).body.map((m) => [m.email as string, m.role as string]));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'members-'));
    emu = await startEmulator({ apiKeys: ['alice-key', 'bob-key'], dataFile: join(dir, 'data.json') });
    await call('alice-key', 'POST', '/teams', { name: 'acme' });
  });
  afterAll(async () => {
    await emu?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('PUT adds (201) or changes a role (200), POST only adds, PATCH only changes; an unknown e-mail becomes a user', async () => {
    const alice = (await call('alice-key', 'GET', '/account')).body.email as string;
    const added = await call('alice-key', 'PUT', '/teams/acme/members', { email: 'Ops@Example.com', role: 'member' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ email: 'ops@example.com', role: 'member', federated: false, user: { email: 'ops@example.com' } });
    expect((await call('alice-key', 'PUT', '/teams/acme/members', { email: 'ops@example.com', role: 'viewer' })).status).toBe(200);
    expect((await call('alice-key', 'POST', '/teams/acme/members', { email: 'ops@example.com', role: 'admin' })).status).toBe(422);
    expect((await call('alice-key', 'PATCH', '/teams/acme/members', { email: 'nobody@example.com', role: 'admin' })).status).toBe(404);
    expect((await call('alice-key', 'PUT', '/teams/acme/members', { email: 'ops@example.com', role: 'owner' })).status).toBe(422);
    expect(await roles()).toEqual({ [alice]: 'admin', 'ops@example.com': 'viewer' });
  });

  it('only admins change members; the last admin is neither demoted nor removed; anyone may leave', async () => {
    const alice = (await call('alice-key', 'GET', '/account')).body.email as string;
    const bob = (await call('bob-key', 'GET', '/account')).body.email as string;
    await call('alice-key', 'PUT', '/teams/acme/members', { email: bob, role: 'member' });
    expect((await call('bob-key', 'PUT', '/teams/acme/members', { email: 'x@example.com', role: 'member' })).status).toBe(403);
    expect((await call('bob-key', 'DELETE', `/teams/acme/members/${encodeURIComponent('ops@example.com')}`)).status).toBe(403);
    const demote = await call('alice-key', 'PATCH', '/teams/acme/members', { email: alice, role: 'member' });
    expect(demote.status).toBe(422);
    expect(demote.body.message).toMatch(/last admin/);
    expect((await call('alice-key', 'DELETE', `/teams/acme/members/${encodeURIComponent(alice)}`)).status).toBe(422);
    // With a second admin, the first may step down.
    await call('alice-key', 'PATCH', '/teams/acme/members', { email: bob, role: 'admin' });
    expect((await call('alice-key', 'PATCH', '/teams/acme/members', { email: alice, role: 'member' })).status).toBe(200);
    expect((await call('alice-key', 'DELETE', `/teams/acme/members/${encodeURIComponent(alice)}`)).status).toBe(200);
    expect((await call('alice-key', 'GET', '/teams/acme')).status).toBe(404);
    const gone = await call('bob-key', 'DELETE', `/teams/acme/members/${encodeURIComponent('nobody@example.com')}`);
    expect(gone.status).toBe(404);
    expect(gone.body.resource).toBe('team_member');
  });

  it('account features: listed schema-shaped, switched by name or id, per account, kept in the data file', async () => {
    const list = (await call('alice-key', 'GET', '/account/features')).body;
    expect(list.length).toBeGreaterThan(2);
    const f = list.find((x) => x.name === 'dashboard-metrics-preview')!;
    expect(f).toMatchObject({ enabled: false, state: 'beta' });
    expect(Object.keys(f).sort()).toEqual(['created_at', 'description', 'display_name', 'doc_url', 'enabled', 'feedback_email', 'id', 'name', 'state', 'updated_at']);
    expect((await call('alice-key', 'PATCH', `/account/features/${String(f.id)}`, { enabled: true })).body).toMatchObject({ enabled: true });
    expect((await call('alice-key', 'GET', '/account/features/dashboard-metrics-preview')).body).toMatchObject({ enabled: true });
    expect((await call('bob-key', 'GET', '/account/features/dashboard-metrics-preview')).body).toMatchObject({ enabled: false });
    expect((await call('alice-key', 'PATCH', '/account/features/preboot', { enabled: true })).status).toBe(404);
    expect((await call('alice-key', 'PATCH', '/account/features/dashboard-metrics-preview', {})).status).toBe(422);
    await emu.close();
    emu = await startEmulator({ apiKeys: ['alice-key', 'bob-key'], dataFile: join(dir, 'data.json') });
    expect((await call('alice-key', 'GET', '/account/features/dashboard-metrics-preview')).body).toMatchObject({ enabled: true });
  });
});
