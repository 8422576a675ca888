import { describe, expect, it } from 'vitest';
import type { LiveAddon } from '../../../../src/model/live.js';
import type { AttachmentRecord } from '../../../../src/providers/heroku/addons.js';
import { addonConfigVarsFor } from '../../../../src/providers/heroku/live.js';

const pg: LiveAddon = {
  id: 'pg1', name: 'postgresql-shiny-123', plan: 'heroku-postgresql:essential-0', service: 'heroku-postgresql',
  state: 'provisioned', appId: 'app1', appName: 'shop', configVars: ['DATABASE_URL'], attachments: [],
};
const redis: LiveAddon = {
  id: 'r1', name: 'redis-round-9', plan: 'heroku-redis:mini', service: 'heroku-redis',
  state: 'provisioned', appId: 'app2', appName: 'other', configVars: ['REDIS_URL', 'REDIS_TLS_URL'], attachments: [],
};
const at = (id: string, name: string, appId: string, addon: LiveAddon): AttachmentRecord => ({
  id, name, appId, appName: appId, addonId: addon.id, addonName: addon.name, addonAppId: addon.appId,
});

describe('addonConfigVarsFor', () => {
  it('prefixes each attachment name to the add-on var suffixes', () => {
    const attachments = [at('a1', 'DATABASE', 'app1', pg), at('a2', 'FOLLOWER', 'app3', pg), at('a3', 'CACHE', 'app1', redis), at('a4', 'REDIS', 'app2', redis)];
    expect(addonConfigVarsFor('app1', [pg, redis], attachments)).toEqual(['CACHE_TLS_URL', 'CACHE_URL', 'DATABASE_URL']);
    expect(addonConfigVarsFor('app3', [pg, redis], attachments)).toEqual(['FOLLOWER_URL']);
    expect(addonConfigVarsFor('app9', [pg, redis], attachments)).toEqual([]);
  });

  it('falls back to the service name as prefix, then to the var itself', () => {
    const odd: LiveAddon = { ...redis, id: 'o1', configVars: ['HEROKU_REDIS_URL', 'STANDALONE'] };
    expect(addonConfigVarsFor('app1', [odd], [at('x', 'SESSIONS', 'app1', odd)])).toEqual(['SESSIONS_URL', 'STANDALONE']);
  });
});
