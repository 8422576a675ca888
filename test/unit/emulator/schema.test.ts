import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dereference, hrefTemplate, linksFor, patchedRoot } from '../../../src/emulator/schema.js';
import { ROUTES } from '../../../src/emulator/resources/index.js';

const sha = (p: string) => createHash('sha256').update(readFileSync(new URL(p, import.meta.url))).digest('hex');

describe('the shipped schema', () => {
  it('is the same file as the conformance fixture, byte for byte, and the documented one', () => {
    const shipped = sha('../../../src/emulator/heroku-schema.json');
    expect(shipped).toBe(sha('../../fixtures/heroku-api/schema.json'));
    expect(shipped).toBe('f8954a58ad229bf95dcdbb62df1ff5a1414e6a04bdf81422e33e43faca802202');
  });

  it('resolves every reference once the two dyno_size refs are patched', () => {
    const root = patchedRoot();
    let links = 0;
    for (const def of Object.values(root.definitions as Record<string, { links?: { schema?: unknown; targetSchema?: unknown }[] }>)) {
      for (const l of def.links ?? []) {
        links += 1;
        if (l.schema) expect(() => dereference(l.schema, root)).not.toThrow();
        if (l.targetSchema) expect(() => dereference(l.targetSchema, root)).not.toThrow();
      }
    }
    expect(links).toBe(305);
  });

  it('every emulator route is a link of the official schema (except /schema and the repositories-api variant the Heroku CLI reads)', () => {
    const extra = ROUTES.filter((r) => linksFor(r.method, r.pattern).length === 0).map((r) => `${r.method} ${r.pattern}`);
    expect(extra).toEqual(['GET /schema', 'GET /pipelines/{pipeline}/repo']);
    expect(hrefTemplate('/apps/{(%23%2Fdefinitions%2Fapp%2Fdefinitions%2Fidentity)}/config-vars')).toBe('/apps/{}/config-vars');
  });
});
