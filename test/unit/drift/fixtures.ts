import type { DesiredApp, DesiredState } from '../../../src/model/desired.js';
import type { Inventory, InventoryApp } from '../../../src/model/inventory.js';
import type { LiveApp, LiveState } from '../../../src/model/live.js';
import type { Fingerprinter } from '../../../src/util/fingerprint.js';
import { testFingerprinter } from '../../helpers/fingerprint-key.js';

export const FILE = '/repo/apps/staging.yaml';

export function loc(line: number, col = 5) {
  return { file: FILE, line, col };
}

export function desiredApp(key: string, over: Partial<DesiredApp> = {}): DesiredApp {
  return {
    key,
    name: key,
    protect: true,
    config: {},
    configMode: 'merge',
    addons: {},
    formation: {},
    domains: [],
    drains: [],
    loc: loc(3, 3),
    ...over,
  };
}

export function liveApp(name: string, over: Partial<LiveApp> = {}): LiveApp {
  return {
    id: `id-${name}`,
    name,
    region: 'us',
    stack: 'heroku-24',
    buildStack: 'heroku-24',
    maintenance: false,
    config: { vars: {} },
    formation: [],
    domains: [{ id: `dom-${name}`, hostname: `${name}.herokuapp.com`, kind: 'heroku', sniEndpoint: null, cname: null }],
    drains: [],
    addons: [],
    addonConfigVars: [],
    ...over,
  };
}

export function invApp(key: string, over: Partial<InventoryApp> = {}): InventoryApp {
  return {
    key,
    id: `id-${key}`,
    name: key,
    protect: true,
    created: true,
    config: {},
    addons: {},
    domains: {},
    drains: {},
    formation: {},
    ...over,
  };
}

export function state(apps: DesiredApp[]): DesiredState {
  return { apps: Object.fromEntries(apps.map((a) => [a.key, a])), files: [FILE] };
}

export function live(apps: LiveApp[], extraNames: Record<string, string> = {}): LiveState {
  const byKey = Object.fromEntries(apps.map((a) => [a.name, a]));
  return { apps: byKey, appIds: { ...Object.fromEntries(apps.map((a) => [a.name, a.id])), ...extraNames }, requests: 0 };
}

export function inventory(apps: InventoryApp[]): Inventory {
  return { version: 1, lineage: 'lin-test', serial: 3, apps: Object.fromEntries(apps.map((a) => [a.key, a])) };
}

/** A fingerprinter with the given secret values prepared, as the CLI does before classifying. */
export async function fingerprinter(secrets: string[] = []): Promise<Fingerprinter> {
  const fp = testFingerprinter('dynoform:lin-test');
  await fp.prepare(secrets.map((value) => ({ value, secret: true })));
  return fp;
}
