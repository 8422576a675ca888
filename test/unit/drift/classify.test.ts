import { describe, expect, it } from 'vitest';
import { classifyDrift } from '../../../src/drift/index.js';
import type { DriftItem } from '../../../src/model/drift.js';
import { fingerprintLiteral } from '../../../src/util/fingerprint.js';
import { desiredApp, fingerprinter, inventory, invApp, live, liveApp, loc, state } from './fixtures.js';

const lit = (v: string) => ({ fingerprint: fingerprintLiteral(v), secret: false });
const brief = (items: DriftItem[]) => items.map((i) => `${i.class} ${i.address}${i.field ? ` ${i.field}` : ''}`);

describe('classifyDrift: no drift', () => {
  it('reports nothing when YAML, state and live agree', async () => {
    const fp = await fingerprinter(['s3cret']);
    const secretFp = fp.sync('s3cret', true);
    const d = desiredApp('shop', {
      config: { RAILS_ENV: { value: 'staging', secret: false, loc: loc(6) }, KEY: { value: 's3cret', secret: true, envRefs: ['KEY'], loc: loc(7) } },
      formation: { web: { type: 'web', quantity: 2, size: 'standard-1X', loc: loc(9) } },
      domains: [{ hostname: 'www.example.com', loc: loc(11) }],
      drains: [{ url: 'https://logs.example.com/x', secret: false, loc: loc(13) }],
      addons: { db: { key: 'db', plan: 'heroku-postgresql:essential-0', as: 'DATABASE', loc: loc(15) } },
      maintenance: false,
      stack: 'heroku-24',
      region: 'us',
    });
    const l = liveApp('shop', {
      config: { vars: { RAILS_ENV: 'staging', KEY: 's3cret', DATABASE_URL: 'postgres://x' } },
      addonConfigVars: ['DATABASE_URL'],
      formation: [{ id: 'f1', type: 'web', quantity: 2, size: 'Standard-1X' }],
      domains: [
        { id: 'h', hostname: 'shop.herokuapp.com', kind: 'heroku', sniEndpoint: null, cname: null },
        { id: 'd1', hostname: 'www.example.com', kind: 'custom', sniEndpoint: null, cname: 'x.herokudns.com' },
      ],
      drains: [
        { id: 'dr1', url: 'https://logs.example.com/x', token: 't' },
        { id: 'dr2', url: 'syslog+tls://addon.example.com:1', token: 't2', addonId: 'a1' },
      ],
      addons: [
        {
          id: 'a1', name: 'postgresql-curly-1', plan: 'heroku-postgresql:essential-0', service: 'heroku-postgresql', state: 'provisioned',
          appId: 'id-shop', appName: 'shop', configVars: ['DATABASE_URL'], attachments: [{ id: 'at1', name: 'DATABASE', appId: 'id-shop', appName: 'shop' }],
        },
      ],
    });
    const inv = invApp('shop', {
      maintenance: false,
      stack: 'heroku-24',
      config: { RAILS_ENV: lit('staging'), KEY: { fingerprint: secretFp, secret: true } },
      formation: { web: { quantity: 2, size: 'standard-1X' } },
      domains: { 'www.example.com': { id: 'd1', hostname: 'www.example.com' } },
      drains: { dr1: { id: 'dr1', urlFingerprint: fingerprintLiteral('https://logs.example.com/x'), maskedUrl: 'https://logs.example.com/x' } },
      addons: { db: { id: 'a1', name: 'postgresql-curly-1', plan: 'heroku-postgresql:essential-0', attachment: 'DATABASE' } },
    });
    const report = classifyDrift({ desired: state([d]), live: live([l]), inventory: inventory([inv]), fingerprint: fp });
    expect(report.items).toEqual([]);
    expect(report.summary).toEqual({ 'changed-outside': 0, missing: 0, pending: 0, unmanaged: 0 });
    expect(report.apps).toEqual(['shop']);
  });
});

describe('classifyDrift: config vars', () => {
  it('a literal edited by hand is changed-outside, pointing at its YAML line; the hand-set value is hidden (it may be a secret)', async () => {
    const fp = await fingerprinter();
    const report = classifyDrift({
      desired: state([desiredApp('shop', { config: { RAILS_ENV: { value: 'staging', secret: false, loc: loc(6, 7) } } })]),
      live: live([liveApp('shop', { config: { vars: { RAILS_ENV: 'production' } } })]),
      inventory: inventory([invApp('shop', { config: { RAILS_ENV: lit('staging') } })]),
      fingerprint: fp,
    });
    expect(report.items).toEqual([
      {
        class: 'changed-outside',
        address: 'app.shop/config.RAILS_ENV',
        app: 'shop',
        kind: 'config',
        key: 'RAILS_ENV',
        message: 'config var RAILS_ENV was changed outside dynoform',
        loc: loc(6, 7),
        before: 'staging',
        after: '(hidden)',
      },
    ]);
  });

  it('a secret edited by hand is changed-outside and neither value appears anywhere in the report', async () => {
    const fp = await fingerprinter(['old-secret-value', 'new-secret-value']);
    const report = classifyDrift({
      desired: state([desiredApp('shop', { config: { TOKEN: { value: 'old-secret-value', secret: true, envRefs: ['TOKEN'], loc: loc(8) } } })]),
      live: live([liveApp('shop', { config: { vars: { TOKEN: 'new-secret-value' } } })]),
      inventory: inventory([invApp('shop', { config: { TOKEN: { fingerprint: fp.sync('old-secret-value', true), secret: true } } })]),
      fingerprint: fp,
    });
    expect(brief(report.items)).toEqual(['changed-outside app.shop/config.TOKEN']);
    expect(report.items[0]).toMatchObject({ before: '(sensitive)', after: '(sensitive)' });
    const text = JSON.stringify(report);
    expect(text).not.toContain('old-secret-value');
    expect(text).not.toContain('new-secret-value');
  });

  it('a key deleted by hand is missing; a changed declaration not applied is pending; both at once give two items', async () => {
    const fp = await fingerprinter();
    const report = classifyDrift({
      desired: state([
        desiredApp('shop', {
          config: {
            GONE: { value: 'a', secret: false, loc: loc(5) },
            NEXT: { value: 'v2', secret: false, loc: loc(6) },
            BOTH: { value: 'v2', secret: false, loc: loc(7) },
          },
        }),
      ]),
      live: live([liveApp('shop', { config: { vars: { NEXT: 'v1', BOTH: 'v3' } } })]),
      inventory: inventory([invApp('shop', { config: { GONE: lit('a'), NEXT: lit('v1'), BOTH: lit('v1') } })]),
      fingerprint: fp,
    });
    expect(brief(report.items)).toEqual([
      'changed-outside app.shop/config.BOTH',
      'pending app.shop/config.BOTH',
      'missing app.shop/config.GONE',
      'pending app.shop/config.NEXT',
    ]);
    const next = report.items.find((i) => i.key === 'NEXT')!;
    expect(next).toMatchObject({ before: 'v1', after: 'v2', loc: loc(6) });
    const both = report.items.filter((i) => i.key === 'BOTH');
    expect(both.map((i) => [i.before, i.after])).toEqual([
      ['(previous value)', '(hidden)'],
      ['(previous value)', 'v2'],
    ]);
    expect(report.summary).toEqual({ 'changed-outside': 1, missing: 1, pending: 2, unmanaged: 0 });
  });

  it('an owned key removed from the YAML is pending (apply deletes it); a declared key not yet set is pending', async () => {
    const fp = await fingerprinter(['sek']);
    const report = classifyDrift({
      desired: state([desiredApp('shop', { config: { NEW: { value: 'sek', secret: true, envRefs: ['NEW'], loc: loc(9) } } })]),
      live: live([liveApp('shop', { config: { vars: { OLD: 'x' } } })]),
      inventory: inventory([invApp('shop', { config: { OLD: lit('x') } })]),
      fingerprint: fp,
    });
    expect(brief(report.items)).toEqual(['pending app.shop/config.NEW', 'pending app.shop/config.OLD']);
    expect(report.items[0]).toMatchObject({ before: null, after: '(sensitive)', loc: loc(9) });
    expect(report.items[1]).toMatchObject({ before: 'x', after: null, loc: loc(3, 3) });
  });

  it('a declared key whose live value already matches is not drift (apply only records ownership)', async () => {
    const fp = await fingerprinter();
    const report = classifyDrift({
      desired: state([desiredApp('shop', { config: { A: { value: '1', secret: false } } })]),
      live: live([liveApp('shop', { config: { vars: { A: '1' } } })]),
      inventory: inventory([invApp('shop')]),
      fingerprint: fp,
    });
    expect(report.items).toEqual([]);
  });

  it('undeclared keys are unmanaged with their value hidden; add-on keys are never reported', async () => {
    const fp = await fingerprinter();
    const report = classifyDrift({
      desired: state([desiredApp('shop')]),
      live: live([liveApp('shop', { config: { vars: { HAND_SET: 'hunter2', REDIS_URL: 'redis://x' } }, addonConfigVars: ['REDIS_URL'] })]),
      inventory: inventory([invApp('shop')]),
      fingerprint: fp,
    });
    expect(brief(report.items)).toEqual(['unmanaged app.shop/config.HAND_SET']);
    expect(report.items[0]!.loc).toEqual(loc(3, 3));
    expect(JSON.stringify(report)).not.toContain('hunter2');
  });

  it('in exclusive mode a key added by hand is changed-outside (apply will delete it)', async () => {
    const fp = await fingerprinter();
    const report = classifyDrift({
      desired: state([desiredApp('shop', { configMode: 'exclusive', fieldLocs: { config: loc(5, 5) } })]),
      live: live([liveApp('shop', { config: { vars: { HAND_SET: 'x' } } })]),
      inventory: inventory([invApp('shop')]),
      fingerprint: fp,
    });
    expect(brief(report.items)).toEqual(['changed-outside app.shop/config.HAND_SET']);
    expect(report.items[0]!.loc).toEqual(loc(5, 5));
    expect(report.items[0]!.message).toContain('exclusive');
  });
});

describe('classifyDrift: add-ons', () => {
  const pg = (over: Record<string, unknown> = {}) => ({
    id: 'a1', name: 'pg-1', plan: 'heroku-postgresql:essential-0', service: 'heroku-postgresql', state: 'provisioned' as const,
    appId: 'id-shop', appName: 'shop', configVars: ['DATABASE_URL'], attachments: [{ id: 'at1', name: 'DATABASE', appId: 'id-shop', appName: 'shop' }],
    ...over,
  });
  const owned = { db: { id: 'a1', name: 'pg-1', plan: 'heroku-postgresql:essential-0', attachment: 'DATABASE' } };

  it('deleted outside is missing; moved to another plan outside is changed-outside; re-attached under another name too', async () => {
    const fp = await fingerprinter();
    const dec = { db: { key: 'db', plan: 'heroku-postgresql:essential-0', as: 'DATABASE', loc: loc(12) } };
    const gone = classifyDrift({
      desired: state([desiredApp('shop', { addons: dec })]),
      live: live([liveApp('shop')]),
      inventory: inventory([invApp('shop', { addons: owned })]),
      fingerprint: fp,
    });
    expect(brief(gone.items)).toEqual(['missing app.shop/addon.db']);
    expect(gone.items[0]!.loc).toEqual(loc(12));

    const moved = classifyDrift({
      desired: state([desiredApp('shop', { addons: dec })]),
      live: live([liveApp('shop', { addons: [pg({ plan: 'heroku-postgresql:standard-0', attachments: [{ id: 'at1', name: 'PRIMARY', appId: 'id-shop', appName: 'shop' }] })] })]),
      inventory: inventory([invApp('shop', { addons: owned })]),
      fingerprint: fp,
    });
    expect(brief(moved.items)).toEqual(['changed-outside app.shop/addon.db as', 'changed-outside app.shop/addon.db plan']);
    expect(moved.items[1]).toMatchObject({ before: 'heroku-postgresql:essential-0', after: 'heroku-postgresql:standard-0' });
  });

  it('a plan changed in the YAML is pending; a declared add-on not created is pending; an undeclared one is unmanaged', async () => {
    const fp = await fingerprinter();
    const report = classifyDrift({
      desired: state([
        desiredApp('shop', {
          addons: {
            db: { key: 'db', plan: 'heroku-postgresql:standard-0', as: 'DATABASE', loc: loc(12) },
            cache: { key: 'cache', plan: 'heroku-redis:mini', loc: loc(14) },
          },
        }),
      ]),
      live: live([
        liveApp('shop', {
          addons: [
            pg(),
            { id: 'a2', name: 'papertrail-1', plan: 'papertrail:choklad', service: 'papertrail', state: 'provisioned', appId: 'id-shop', appName: 'shop', configVars: [], attachments: [{ id: 'at2', name: 'PAPERTRAIL', appId: 'id-shop', appName: 'shop' }] },
          ],
        }),
      ]),
      inventory: inventory([invApp('shop', { addons: owned })]),
      fingerprint: fp,
    });
    expect(brief(report.items)).toEqual(['pending app.shop/addon.cache', 'pending app.shop/addon.db plan', 'unmanaged app.shop/addon.papertrail']);
    expect(report.items[2]).toMatchObject({ after: 'papertrail:choklad', loc: loc(3, 3) });
  });

  it('a declared add-on that exists live with the same plan will only be adopted: no drift', async () => {
    const fp = await fingerprinter();
    const report = classifyDrift({
      desired: state([desiredApp('shop', { addons: { db: { key: 'db', plan: 'heroku-postgresql:essential-0', as: 'DATABASE' } } })]),
      live: live([liveApp('shop', { addons: [pg()] })]),
      inventory: inventory([invApp('shop')]),
      fingerprint: fp,
    });
    expect(report.items).toEqual([]);
  });

  it('an owned add-on removed from the YAML is pending', async () => {
    const fp = await fingerprinter();
    const report = classifyDrift({
      desired: state([desiredApp('shop')]),
      live: live([liveApp('shop', { addons: [pg()] })]),
      inventory: inventory([invApp('shop', { addons: owned })]),
      fingerprint: fp,
    });
    expect(brief(report.items)).toEqual(['pending app.shop/addon.db']);
  });
});

describe('classifyDrift: formation', () => {
  it('scaled or resized outside is changed-outside; a new declaration is pending; sizes compare case-insensitively', async () => {
    const fp = await fingerprinter();
    const report = classifyDrift({
      desired: state([
        desiredApp('shop', {
          formation: {
            web: { type: 'web', quantity: 2, size: 'standard-1X', loc: loc(20) },
            worker: { type: 'worker', quantity: 3, size: 'standard-2X', loc: loc(21) },
          },
        }),
      ]),
      live: live([
        liveApp('shop', {
          formation: [
            { id: 'f1', type: 'web', quantity: 5, size: 'Standard-2X' },
            { id: 'f2', type: 'worker', quantity: 1, size: 'Standard-2X' },
          ],
        }),
      ]),
      inventory: inventory([invApp('shop', { formation: { web: { quantity: 2, size: 'standard-1X' }, worker: { quantity: 1, size: 'standard-2x' } } })]),
      fingerprint: fp,
    });
    expect(brief(report.items)).toEqual([
      'changed-outside app.shop/formation.web quantity',
      'changed-outside app.shop/formation.web size',
      'pending app.shop/formation.worker quantity',
    ]);
    expect(report.items[0]).toMatchObject({ before: 2, after: 5, loc: loc(20) });
    expect(report.items[2]).toMatchObject({ before: 1, after: 3, loc: loc(21) });
  });

  it('a declared type the release lacks is pending (waiting); an owned one that vanished is missing; undeclared types are unmanaged', async () => {
    const fp = await fingerprinter();
    const report = classifyDrift({
      desired: state([
        desiredApp('shop', {
          formation: { web: { type: 'web', quantity: 1, loc: loc(20) }, clock: { type: 'clock', quantity: 1, loc: loc(22) } },
        }),
      ]),
      live: live([liveApp('shop', { formation: [{ id: 'f3', type: 'release', quantity: 0, size: 'Basic' }] })]),
      inventory: inventory([invApp('shop', { formation: { web: { quantity: 1 } } })]),
      fingerprint: fp,
    });
    expect(brief(report.items)).toEqual(['pending app.shop/formation.clock', 'unmanaged app.shop/formation.release', 'missing app.shop/formation.web']);
    expect(report.items[0]!.message).toContain('waiting for a release');
  });
});

describe('classifyDrift: domains and drains', () => {
  it('domains: deleted outside is missing, added by hand is unmanaged, declared but absent is pending; the heroku domain is ignored', async () => {
    const fp = await fingerprinter();
    const report = classifyDrift({
      desired: state([desiredApp('shop', { domains: [{ hostname: 'www.example.com', loc: loc(30) }, { hostname: 'new.example.com', loc: loc(31) }] })]),
      live: live([
        liveApp('shop', {
          domains: [
            { id: 'h', hostname: 'shop.herokuapp.com', kind: 'heroku', sniEndpoint: null, cname: null },
            { id: 'd9', hostname: 'hand.example.com', kind: 'custom', sniEndpoint: null, cname: null },
          ],
        }),
      ]),
      inventory: inventory([invApp('shop', { domains: { 'www.example.com': { id: 'd1', hostname: 'www.example.com' } } })]),
      fingerprint: fp,
    });
    expect(brief(report.items)).toEqual(['unmanaged app.shop/domain.hand.example.com', 'pending app.shop/domain.new.example.com', 'missing app.shop/domain.www.example.com']);
    expect(report.items.find((i) => i.class === 'missing')!.loc).toEqual(loc(30));
  });

  it('drains: credentials never appear; add-on drains are ignored; a URL changed by hand shows as missing + unmanaged', async () => {
    const secretUrl = 'https://user:pa55word@logs.example.com/in';
    const fp = await fingerprinter([secretUrl]);
    const report = classifyDrift({
      desired: state([desiredApp('shop', { drains: [{ url: secretUrl, secret: true, loc: loc(40) }] })]),
      live: live([
        liveApp('shop', {
          drains: [
            { id: 'x2', url: 'https://other:topsecret@logs.example.com/in2', token: 't' },
            { id: 'x3', url: 'syslog://addon.example.com', token: 't', addonId: 'a9' },
          ],
        }),
      ]),
      inventory: inventory([invApp('shop', { drains: { x1: { id: 'x1', urlFingerprint: fp.sync(secretUrl, true), maskedUrl: 'https://***@logs.example.com/in' } } })]),
      fingerprint: fp,
    });
    expect(brief(report.items)).toEqual(['missing app.shop/drain.https://***@logs.example.com/in', 'unmanaged app.shop/drain.https://***@logs.example.com/in2']);
    expect(report.items[0]!.loc).toEqual(loc(40));
    const text = JSON.stringify(report);
    expect(text).not.toContain('pa55word');
    expect(text).not.toContain('topsecret');
  });

  it('drains: a declared drain not yet added is pending; one removed from the YAML is pending', async () => {
    const fp = await fingerprinter();
    const report = classifyDrift({
      desired: state([desiredApp('shop', { drains: [{ url: 'https://b.example.com/', secret: false, loc: loc(41) }] })]),
      live: live([liveApp('shop', { drains: [{ id: 'x1', url: 'https://a.example.com/', token: 't' }] })]),
      inventory: inventory([invApp('shop', { drains: { x1: { id: 'x1', urlFingerprint: fingerprintLiteral('https://a.example.com/'), maskedUrl: 'https://a.example.com/' } } })]),
      fingerprint: fp,
    });
    expect(brief(report.items)).toEqual(['pending app.shop/drain.https://a.example.com/', 'pending app.shop/drain.https://b.example.com/']);
  });
});

describe('classifyDrift: apps', () => {
  it('an owned app deleted outside is missing; a declared app never created is pending', async () => {
    const fp = await fingerprinter();
    const report = classifyDrift({
      desired: state([desiredApp('gone'), desiredApp('fresh')]),
      live: live([]),
      inventory: inventory([invApp('gone')]),
      fingerprint: fp,
    });
    expect(brief(report.items)).toEqual(['pending app.fresh', 'missing app.gone']);
  });

  it('an owned app removed from the YAML is pending even when the reader did not read it', async () => {
    const fp = await fingerprinter();
    const report = classifyDrift({
      desired: state([]),
      live: live([], { old: 'id-old' }),
      inventory: inventory([invApp('old')]),
      fingerprint: fp,
    });
    expect(brief(report.items)).toEqual(['pending app.old']);
    expect(report.items[0]!.loc).toBeUndefined();
  });

  it('a declared app that exists but is not owned is pending adoption', async () => {
    const fp = await fingerprinter();
    const report = classifyDrift({ desired: state([desiredApp('shop')]), live: live([liveApp('shop')]), inventory: inventory([]), fingerprint: fp });
    expect(brief(report.items)).toEqual(['pending app.shop']);
    expect(report.items[0]!.message).toContain('dynoform import shop');
  });

  it('maintenance toggled by hand is changed-outside; a new stack in the YAML is pending; an app re-created by hand is changed-outside', async () => {
    const fp = await fingerprinter();
    const report = classifyDrift({
      desired: state([desiredApp('shop', { maintenance: false, stack: 'heroku-24', fieldLocs: { maintenance: loc(4), stack: loc(5) } })]),
      live: live([liveApp('shop', { id: 'new-id', maintenance: true, buildStack: 'heroku-22' })]),
      inventory: inventory([invApp('shop', { maintenance: false, stack: 'heroku-22' })]),
      fingerprint: fp,
    });
    expect(brief(report.items)).toEqual(['changed-outside app.shop id', 'changed-outside app.shop maintenance', 'pending app.shop stack']);
    expect(report.items[1]).toMatchObject({ before: false, after: true, loc: loc(4) });
    expect(report.items[2]).toMatchObject({ before: 'heroku-22', after: 'heroku-24', loc: loc(5) });
  });

  it('a region that differs is pending (the API cannot move an app)', async () => {
    const fp = await fingerprinter();
    const report = classifyDrift({
      desired: state([desiredApp('shop', { region: 'eu' })]),
      live: live([liveApp('shop')]),
      inventory: inventory([invApp('shop', { region: 'us' })]),
      fingerprint: fp,
    });
    expect(brief(report.items)).toEqual(['pending app.shop region']);
  });
});

describe('classifyDrift: notes', () => {
  it('warns when the state manages nothing (a wrong --state makes everything pending)', async () => {
    const fp = await fingerprinter();
    const report = classifyDrift({ desired: state([desiredApp('shop')]), live: live([liveApp('shop')]), inventory: inventory([]), fingerprint: fp });
    expect(report.diagnostics.map((d) => d.code)).toEqual(['drift-empty-state']);
    const managed = classifyDrift({ desired: state([desiredApp('shop')]), live: live([liveApp('shop')]), inventory: inventory([invApp('shop')]), fingerprint: fp });
    expect(managed.diagnostics).toEqual([]);
  });

  it('notes an owned add-on that is still provisioning', async () => {
    const fp = await fingerprinter();
    const addon = {
      id: 'a1', name: 'pg-1', plan: 'heroku-postgresql:essential-0', service: 'heroku-postgresql', state: 'provisioning' as const,
      appId: 'id-shop', appName: 'shop', configVars: [], attachments: [{ id: 't', name: 'DATABASE', appId: 'id-shop', appName: 'shop' }], provisionMessage: 'almost there',
    };
    const report = classifyDrift({
      desired: state([desiredApp('shop', { addons: { db: { key: 'db', plan: 'heroku-postgresql:essential-0', as: 'DATABASE' } } })]),
      live: live([liveApp('shop', { addons: [addon] })]),
      inventory: inventory([invApp('shop', { addons: { db: { id: 'a1', name: 'pg-1', plan: 'heroku-postgresql:essential-0', attachment: 'DATABASE' } } })]),
      fingerprint: fp,
    });
    expect(report.items).toEqual([]);
    expect(report.diagnostics).toEqual([
      { severity: 'info', code: 'drift-addon-provisioning', message: 'add-on pg-1 is still provisioning: almost there', address: 'app.shop/addon.db' },
    ]);
  });
});
