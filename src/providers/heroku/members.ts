import type { LiveFeature, LiveMember } from '../../model/live.js';
import type { ApiAppFeature, ApiTeamMember } from './api-types.js';
import { getAccount } from './account.js';
import type { HerokuClient } from './client.js';
import { patchFeature, toLiveFeature } from './features.js';
import { orUndefined, seg, type WriteOptions } from './paths.js';

/**
 * Team members and the account's own settings (its e-mail, its features):
 * the top-level `teams:` and `account:` sections. The members API has no
 * per-member GET, so a member is read from the team's list, whose ETag is
 * also that of the PATCH on the same URL.
 */
const toLiveMember = (m: ApiTeamMember): LiveMember => ({ id: m.id, email: m.email.toLowerCase(), role: m.role });

/** The team's members; undefined when the team does not exist or the account is not in it (both 404). */
export async function listMembers(client: HerokuClient, team: string, opts: { signal?: AbortSignal } = {}): Promise<{ members: LiveMember[]; etag?: string } | undefined> {
  return orUndefined(async () => {
    const res = await client.list<ApiTeamMember>(`/teams/${seg(team)}/members`, { ...opts, shape: 'team-member' });
    return { members: res.items.map(toLiveMember), ...(res.etag ? { etag: res.etag } : {}) };
  });
}

/** POST, not PUT: a create never overwrites the role of someone added meanwhile (the API answers 422 instead). */
export async function addMember(client: HerokuClient, team: string, email: string, role: string, opts: WriteOptions = {}): Promise<LiveMember> {
  const path = `/teams/${seg(team)}/members`;
  const res = await client.request<ApiTeamMember>('POST', path, {
    body: { email, role },
    shape: 'team-member',
    ...opts,
    // A LiveMember has the fields of the API's member body that dynoform reads.
    readBack: async () => (await listMembers(client, team, { signal: opts.signal }))?.members.find((m) => m.email === email.toLowerCase() && m.role === role),
  });
  return toLiveMember(res.body);
}

export async function setMemberRole(client: HerokuClient, team: string, email: string, role: string, ifMatch?: string, opts: WriteOptions = {}): Promise<LiveMember> {
  const path = `/teams/${seg(team)}/members`;
  const res = await client.request<ApiTeamMember>('PATCH', path, {
    body: { email, role },
    shape: 'team-member',
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...opts,
  });
  return toLiveMember(res.body);
}

/** By id (an e-mail in a path is a user's address in logs; the id is not). */
export async function removeMember(client: HerokuClient, team: string, memberId: string, opts: WriteOptions = {}): Promise<void> {
  await client.request<ApiTeamMember>('DELETE', `/teams/${seg(team)}/members/${seg(memberId)}`, { shape: 'team-member', ...opts });
}

/** The e-mail of the account the token belongs to (lower-cased). */
export async function accountEmail(client: HerokuClient, opts: { signal?: AbortSignal } = {}): Promise<string> {
  return (await getAccount(client, opts)).email.toLowerCase();
}

/** Every account feature, enabled or not: one read covers all and tells unknown names apart. */
export async function listAccountFeatures(client: HerokuClient, opts: { signal?: AbortSignal } = {}): Promise<LiveFeature[]> {
  const res = await client.list<ApiAppFeature>('/account/features', { ...opts, shape: 'feature' });
  return res.items.map(toLiveFeature);
}

export async function getAccountFeature(client: HerokuClient, name: string, opts: { signal?: AbortSignal } = {}): Promise<{ feature: LiveFeature; etag?: string }> {
  const res = await client.get<ApiAppFeature>(`/account/features/${seg(name)}`, { ...opts, shape: 'feature' });
  return { feature: toLiveFeature(res.body), ...(res.etag ? { etag: res.etag } : {}) };
}

export async function setAccountFeature(client: HerokuClient, name: string, enabled: boolean, ifMatch?: string, opts: WriteOptions = {}): Promise<LiveFeature> {
  return patchFeature(client, `/account/features/${seg(name)}`, enabled, ifMatch, opts);
}
