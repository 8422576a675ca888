import type { Inventory, InventoryApp } from '../../../src/model/inventory.js';
import { fingerprintLiteral } from '../../../src/util/fingerprint.js';

/** A small but complete app entry: every kind present. */
export function sampleApp(key: string, overrides: Partial<InventoryApp> = {}): InventoryApp {
  return {
    key,
    id: `id-${key}`,
    name: key,
    protect: true,
    created: true,
    region: 'us',
    stack: 'heroku-24',
    config: {
      RAILS_ENV: { fingerprint: fingerprintLiteral('staging'), secret: false },
      SECRET_KEY_BASE: { fingerprint: 'scrypt:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', secret: true },
    },
    addons: { db: { id: `addon-${key}`, name: `postgresql-${key}`, plan: 'heroku-postgresql:essential-0', attachment: 'DATABASE' } },
    domains: { 'www.example.com': { id: `dom-${key}`, hostname: 'www.example.com' } },
    drains: {
      [`drain-${key}`]: { id: `drain-${key}`, urlFingerprint: 'scrypt:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', maskedUrl: 'https://***@logs.example.com/ingest' },
    },
    formation: { web: { quantity: 2, size: 'standard-1X' }, worker: { quantity: 1 } },
    ...overrides,
  };
}

export function sampleInventory(lineage = '00000000-0000-4000-8000-000000000001', serial = 3): Inventory {
  return { version: 1, lineage, serial, apps: { shop: sampleApp('shop'), blog: sampleApp('blog') } };
}
