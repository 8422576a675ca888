import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesiredState, SCHEMA_URL } from '../../../src/config/index.js';
import { fileURLToPath } from 'node:url';

const root = resolve(import.meta.dirname, '../../..');
const examples = join(root, 'examples');
const files = readdirSync(examples).filter((f) => /\.ya?ml$/.test(f)).sort();

/** Every variable the examples read, with a made-up value. */
const env = Object.fromEntries(
  files.flatMap((f) => [...readFileSync(join(examples, f), 'utf8').matchAll(/(?<!\$)\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => [m[1]!, `syslog+tls://u:p@${m[1]!.toLowerCase().replace(/_/g, '-')}.example.com:6514`])),
);

describe('examples/', () => {
  it('has the first set: defaults, staging, production', () => {
    expect(files).toEqual(expect.arrayContaining(['defaults.yaml', 'staging.yaml', 'production.yaml']));
  });

  it.each(files)('%s validates on its own', async (file) => {
    const r = await loadDesiredState([join('examples', file)], { env, cwd: root });
    expect(r.diagnostics).toEqual([]);
    expect(r.desired).toBeDefined();
  });

  it('validates each environment with the shared defaults merged; the folder as one set is two environments, refused', async () => {
    const staging = await loadDesiredState(['examples/defaults.yaml', 'examples/staging.yaml'], { env, cwd: root });
    expect(staging.diagnostics).toEqual([]);
    expect(staging.desired!.environment).toBe('staging');
    const apps = staging.desired!.apps;
    expect(Object.keys(apps)).toEqual(['shop-staging']);
    expect(apps['shop-staging']!.formation['web']).toMatchObject({ quantity: 1, size: 'basic' });
    expect(apps['shop-staging']!.config['LANG']?.loc?.file).toBe('examples/defaults.yaml');
    const production = await loadDesiredState(['examples/defaults.yaml', 'examples/production.yaml'], { env, cwd: root });
    expect(production.diagnostics).toEqual([]);
    expect(Object.keys(production.desired!.apps).sort()).toEqual(['shop-admin', 'shop-production']);
    const both = await loadDesiredState(['examples'], { env, cwd: root });
    expect(both.diagnostics.map((d) => d.code)).toEqual(['conflicting-environments']);
  });

  it.each(files)('%s points editors at the schema', (file) => {
    const first = readFileSync(join(examples, file), 'utf8').split('\n')[0]!;
    const m = /^# yaml-language-server: \$schema=(.+)$/.exec(first);
    expect(m).not.toBeNull();
    expect(resolve(dirname(join(examples, file)), m![1]!)).toBe(fileURLToPath(SCHEMA_URL));
  });
});
