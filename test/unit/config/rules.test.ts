import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { canonicalDynoSize, DYNO_SIZES, isHerokuAppName, normaliseHostname, normalisePlan } from '../../../src/config/index.js';
import * as rules from '../../../src/config/rules.js';
import { loadSchema } from '../../../src/config/schema.js';

type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking arbitrary JSON Schema
const schema = loadSchema() as Schema;
const defs = schema['definitions'] as Schema;

describe('schema/dynoform.schema.json', () => {
  it('compiles under ajv strict mode, with strict types, tuples and required', () => {
    const ajv = new Ajv({ strict: true, strictTypes: true, strictTuples: true, strictRequired: true, allowUnionTypes: true, allErrors: true });
    const warnings: unknown[] = [];
    const logger = { log: () => undefined, warn: (...a: unknown[]) => warnings.push(a), error: (...a: unknown[]) => warnings.push(a) };
    const strictAjv = new Ajv({ strict: true, strictTypes: true, strictTuples: true, strictRequired: true, allowUnionTypes: true, logger });
    expect(() => ajv.compile(schema)).not.toThrow();
    strictAjv.compile(schema);
    expect(warnings).toEqual([]);
    expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('is itself valid against the draft-07 meta-schema', () => {
    const ajv = new Ajv();
    expect(ajv.validateSchema(schema)).toBe(true);
  });

  // The schema repeats the rules for editors; these fail when the two drift apart.
  it('uses the same patterns as src/config/rules.ts', () => {
    expect(schema['properties']['apps']['propertyNames']).toEqual({ pattern: rules.APP_KEY, maxLength: rules.APP_KEY_MAX_LENGTH });
    expect(defs['app']['properties']['name']['pattern']).toBe(rules.HEROKU_APP_NAME);
    expect(defs['config']['propertyNames']['pattern']).toBe(rules.CONFIG_KEY);
    expect(defs['region']['pattern']).toBe(rules.SLUG_NAME);
    expect(defs['stack']['pattern']).toBe(rules.SLUG_NAME);
    const addon = defs['addons']['additionalProperties']['anyOf'];
    expect(defs['addons']['propertyNames']['pattern']).toBe(rules.ADDON_KEY);
    expect(addon[0]['pattern']).toBe(rules.ADDON_PLAN);
    expect(addon[1]['properties']['plan']['pattern']).toBe(rules.ADDON_PLAN);
    expect(addon[1]['properties']['as']['pattern']).toBe(rules.ATTACHMENT_NAME);
    expect(addon[1]['properties']['name']['pattern']).toBe(rules.ADDON_NAME);
    expect(addon[1]['properties']['config']['propertyNames']['pattern']).toBe(rules.ADDON_CONFIG_KEY);
    expect(defs['formation']['propertyNames']['pattern']).toBe(rules.PROCESS_TYPE);
    const formation = defs['formation']['additionalProperties']['anyOf'];
    expect(formation[0]['maximum']).toBe(rules.FORMATION_MAX_QUANTITY);
    expect(formation[1]['properties']['quantity']['maximum']).toBe(rules.FORMATION_MAX_QUANTITY);
    expect(formation[1]['properties']['size']['examples']).toEqual(DYNO_SIZES);
    const domain = defs['domains']['items']['anyOf'];
    expect(domain[0]['pattern']).toBe(rules.HOSTNAME);
    expect(domain[0]['maxLength']).toBe(rules.HOSTNAME_MAX_LENGTH);
    expect(domain[1]['properties']['hostname']['pattern']).toBe(rules.HOSTNAME);
    const drain = defs['drains']['items']['anyOf'];
    expect(drain[0]['pattern']).toBe(rules.DRAIN_URL);
    expect(drain[1]['properties']['url']['pattern']).toBe(rules.DRAIN_URL);
  });

  it('offers the same fields in defaults as in an app, except name and attachments', () => {
    // A default attachment would make the owning app attach its own add-on.
    const app = Object.keys(defs['app']['properties']).filter((k) => k !== 'name' && k !== 'attachments');
    expect(Object.keys(schema['properties']['defaults']['properties'])).toEqual(app);
  });
});

describe('canonicalDynoSize', () => {
  it('returns the spelling Heroku prints, whatever the case', () => {
    expect(canonicalDynoSize('standard-1x')).toBe('standard-1X');
    expect(canonicalDynoSize('STANDARD-2X')).toBe('standard-2X');
    expect(canonicalDynoSize('Performance-m')).toBe('performance-M');
    expect(canonicalDynoSize('performance-l-ram')).toBe('performance-L-RAM');
    expect(canonicalDynoSize(' Eco ')).toBe('eco');
    expect(canonicalDynoSize('shield-s')).toBe('shield-S');
    for (const s of DYNO_SIZES) expect(canonicalDynoSize(s.toUpperCase())).toBe(s);
  });
  it('answers undefined for unknown sizes', () => {
    expect(canonicalDynoSize('standard-3X')).toBeUndefined();
    expect(canonicalDynoSize('hobby')).toBeUndefined();
    expect(canonicalDynoSize('')).toBeUndefined();
  });
});

describe('normaliseHostname', () => {
  it('lower-cases valid hostnames, wildcards included', () => {
    expect(normaliseHostname('WWW.Example.COM')).toBe('www.example.com');
    expect(normaliseHostname('*.Example.com')).toBe('*.example.com');
    expect(normaliseHostname('xn--bcher-kva.example')).toBe('xn--bcher-kva.example');
  });
  it('refuses what is not a hostname', () => {
    for (const bad of ['localhost', 'example.com.', '-a.example.com', 'a-.example.com', 'a..b.com', 'https://a.com', 'a.com/x', 'a b.com', 'a.*.com', `${'a'.repeat(64)}.com`, `${'a.'.repeat(127)}com`, 'example.123']) {
      expect(normaliseHostname(bad), bad).toBeUndefined();
    }
  });
});

describe('normalisePlan', () => {
  it('writes service:plan in lower case', () => {
    expect(normalisePlan('Heroku-Postgresql:Essential-0')).toBe('heroku-postgresql:essential-0');
    expect(normalisePlan(' heroku-redis : mini ')).toBe('heroku-redis:mini');
  });
  it('refuses a service alone or extra colons', () => {
    expect(normalisePlan('heroku-postgresql')).toBeUndefined();
    expect(normalisePlan('a:b:c')).toBeUndefined();
    expect(normalisePlan(':mini')).toBeUndefined();
  });
});

describe('isHerokuAppName', () => {
  it('follows the Platform API pattern', () => {
    expect(isHerokuAppName('shop')).toBe(true);
    expect(isHerokuAppName('abc')).toBe(true);
    expect(isHerokuAppName('a'.repeat(30))).toBe(true);
    for (const bad of ['ab', 'a'.repeat(31), 'Shop', '1shop', 'shop-', 'shop_x']) expect(isHerokuAppName(bad), bad).toBe(false);
  });
});
