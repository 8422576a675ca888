import { describe, expect, it } from 'vitest';
import type { DesiredApp } from '../../../src/model/desired.js';
import type { InventoryApp } from '../../../src/model/inventory.js';
import { UNREAD_VALUE, type LiveApp } from '../../../src/model/live.js';
import { configFromRecord, recordObservedConfig } from '../../../src/state/observed-config.js';
import { createFingerprinter } from '../../../src/util/fingerprint.js';
import { testFingerprinter } from '../../helpers/fingerprint-key.js';

const RELEASED = '2026-12-01T10:00:00Z';
const LATER = '2026-12-01T10:00:01Z';

function desiredApp(config: Record<string, { value: string; secret?: boolean }>, configMode: 'merge' | 'exclusive' = 'merge'): DesiredApp {
  return {
    key: 'shop',
    name: 'shop',
    protect: true,
    config: Object.fromEntries(Object.entries(config).map(([k, v]) => [k, { value: v.value, secret: v.secret === true }])),
    configMode,
    addons: {},
    formation: {},
    domains: [],
    drains: [],
  };
}

function liveApp(vars: Record<string, string>, readAt = LATER, addonConfigVars: string[] = []): LiveApp {
  return {
    id: 'id-shop',
    name: 'shop',
    region: 'us',
    stack: 'heroku-24',
    buildStack: 'heroku-24',
    maintenance: false,
    releasedAt: RELEASED,
    config: { vars, etag: '"e1"', readAt },
    formation: [],
    domains: [],
    drains: [],
    addons: [],
    addonConfigVars,
  };
}

function owned(app: LiveApp, d: DesiredApp, fp = testFingerprinter(), ownedKeys = Object.keys(d.config)): InventoryApp {
  const observed = recordObservedConfig(app, d, fp);
  return {
    key: 'shop',
    id: app.id,
    name: 'shop',
    protect: true,
    created: true,
    config: Object.fromEntries(ownedKeys.map((k) => [k, { fingerprint: fp.sync(d.config[k]!.value, d.config[k]!.secret), secret: d.config[k]!.secret }])),
    addons: {},
    domains: {},
    drains: {},
    formation: {},
    ...(observed ? { observed } : {}),
  };
}

const summary = (releasedAt = RELEASED) => ({ id: 'id-shop', name: 'shop', region: 'us', stack: 'heroku-24', buildStack: 'heroku-24', maintenance: false, releasedAt });

describe('the record of a config read', () => {
  const d = desiredApp({ MODE: { value: 'on' }, TOKEN: { value: 's3cret-value', secret: true } });
  const live = liveApp({ MODE: 'on', TOKEN: 's3cret-value', DATABASE_URL: 'postgres://u:p@h/d', HAND_SET: 'by-hand' }, LATER, ['DATABASE_URL']);

  it('holds fingerprints, never values: the declared literal by its sha256, everything else keyed', () => {
    const rec = recordObservedConfig(live, d, testFingerprinter())!;
    expect(rec).toMatchObject({ releasedAt: RELEASED, readAt: LATER, etag: '"e1"', addonVars: ['DATABASE_URL'] });
    expect(rec.vars.MODE).toMatch(/^sha256:/);
    for (const k of ['TOKEN', 'DATABASE_URL', 'HAND_SET']) expect(rec.vars[k]).toMatch(/^hmac:/);
    const text = JSON.stringify(rec);
    for (const v of ['s3cret-value', 'postgres://u:p@h/d', 'by-hand']) expect(text).not.toContain(v);
  });

  it('without a fingerprint key records only the declared literals (an unkeyed digest could be guessed)', () => {
    const rec = recordObservedConfig(live, d, createFingerprinter())!;
    expect(rec.vars.MODE).toMatch(/^sha256:/);
    expect(rec.vars.TOKEN).toBeNull();
    expect(rec.vars.HAND_SET).toBeNull();
    // So an app declaring a secret is read, every time, without a key.
    expect(configFromRecord(summary(), d, owned(live, d, createFingerprinter()), createFingerprinter())).toEqual({ reason: 'needs-values' });
  });

  it('records nothing without released_at or a server Date, or from a config that itself came from a record', () => {
    expect(recordObservedConfig({ ...live, config: { vars: {} } }, d, testFingerprinter())).toBeUndefined();
    const { releasedAt: _r, ...noRelease } = live;
    expect(recordObservedConfig(noRelease, d, testFingerprinter())).toBeUndefined();
    expect(recordObservedConfig({ ...live, config: { ...live.config, readAt: 'not a date' } }, d, testFingerprinter())).toBeUndefined();
    expect(recordObservedConfig({ ...live, config: { ...live.config, fromRecord: { readAt: LATER, releasedAt: RELEASED } } }, d, testFingerprinter())).toBeUndefined();
  });

  it('gives the config while the release has not moved and the read was in a later second: declared values, the rest unread', () => {
    const fp = testFingerprinter();
    const got = configFromRecord(summary(), d, owned(live, d, fp), fp);
    expect(got).toEqual({
      config: {
        vars: { MODE: 'on', TOKEN: 's3cret-value', DATABASE_URL: UNREAD_VALUE, HAND_SET: UNREAD_VALUE },
        etag: '"e1"',
        readAt: LATER,
        fromRecord: { readAt: LATER, releasedAt: RELEASED },
      },
    });
  });

  it('reads when anything could have moved or the plan needs values', () => {
    const fp = testFingerprinter();
    const inv = owned(live, d, fp);
    expect(configFromRecord(summary(), d, { ...inv, observed: undefined }, fp)).toEqual({ reason: 'no-record' });
    expect(configFromRecord(summary('2026-12-01T10:05:00Z'), d, inv, fp)).toEqual({ reason: 'released' });
    // A rollback can go back to an older time only with a new release, but a list without released_at proves nothing.
    const { releasedAt: _r, ...noRelease } = summary();
    expect(configFromRecord(noRelease, d, inv, fp)).toEqual({ reason: 'released' });
    // Read in the second of the release: a second release in that second would look the same.
    const sameSecond = owned(liveApp(live.config.vars, '2026-12-01T10:00:00Z', ['DATABASE_URL']), d, fp);
    expect(configFromRecord(summary(), d, sameSecond, fp)).toEqual({ reason: 'same-second' });
    // The YAML asks for another value, or a key the record does not have: the plan shows and writes values.
    expect(configFromRecord(summary(), desiredApp({ MODE: { value: 'off' }, TOKEN: { value: 's3cret-value', secret: true } }), inv, fp)).toEqual({ reason: 'needs-values' });
    expect(configFromRecord(summary(), desiredApp({ ...d.config, NEW: { value: 'x' } }), inv, fp)).toEqual({ reason: 'needs-values' });
    // An owned key removed from the YAML is deleted by the plan.
    expect(configFromRecord(summary(), desiredApp({ MODE: { value: 'on' } }), inv, fp)).toEqual({ reason: 'needs-values' });
    // Exclusive mode deletes HAND_SET (not an add-on's): the plan needs the live state.
    const exclusive = desiredApp({ MODE: { value: 'on' }, TOKEN: { value: 's3cret-value', secret: true } }, 'exclusive');
    expect(configFromRecord(summary(), exclusive, inv, fp)).toEqual({ reason: 'needs-values' });
    // Under another fingerprint key the record cannot be compared.
    const other = createFingerprinter({ keys: { current: 'another-fingerprint-key-0123456789abcdef' } });
    expect(configFromRecord(summary(), d, inv, other)).toEqual({ reason: 'needs-values' });
  });

  it('in exclusive mode, add-on vars alone do not force a read', () => {
    const fp = testFingerprinter();
    const exclusive = desiredApp({ MODE: { value: 'on' } }, 'exclusive');
    const l = liveApp({ MODE: 'on', DATABASE_URL: 'postgres://u:p@h/d' }, LATER, ['DATABASE_URL']);
    const got = configFromRecord(summary(), exclusive, owned(l, exclusive, fp), fp);
    expect(got).toMatchObject({ config: { vars: { MODE: 'on', DATABASE_URL: UNREAD_VALUE } } });
  });
});
