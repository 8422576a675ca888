import type { Diagnostic } from '../model/diagnostic.js';
import { Code } from './codes.js';
import { entryLoc, type PEntry, type PMap, type PNode } from './tree.js';

function mapOf(entries: Map<string, PEntry>, like: PNode): PMap {
  return { kind: 'map', entries, src: like.src, offset: like.offset };
}

/**
 * Rewrites the short forms into the long ones, so that defaults and apps
 * merge field by field whichever form each used: `web: 2` becomes
 * `web: {quantity: 2}` and `db: heroku-redis:mini` becomes
 * `db: {plan: heroku-redis:mini}`. Positions stay those of the short form.
 */
export function expandShorthands(app: PMap): PMap {
  const formation = app.entries.get('formation');
  const addons = app.entries.get('addons');
  if (!formation && !addons) return app;
  const entries = new Map(app.entries);
  if (formation && formation.node.kind === 'map') {
    entries.set('formation', { ...formation, node: expandField(formation.node, 'quantity') });
  }
  if (addons && addons.node.kind === 'map') {
    entries.set('addons', { ...addons, node: expandField(addons.node, 'plan') });
  }
  return mapOf(entries, app);
}

function expandField(map: PMap, field: string): PMap {
  let changed = false;
  const entries = new Map<string, PEntry>();
  for (const [k, e] of map.entries) {
    // `web: null` is an opt-out (see mergeUnder), not a short form.
    if (e.node.kind === 'scalar' && e.node.value !== null) {
      changed = true;
      const inner = new Map<string, PEntry>([[field, { key: field, src: e.src, keyOffset: e.keyOffset, node: e.node }]]);
      entries.set(k, { ...e, node: { kind: 'map', entries: inner, src: e.src, offset: e.keyOffset } });
    } else entries.set(k, e);
  }
  return changed ? mapOf(entries, map) : map;
}

/**
 * Defaults under an app (DESIGN.md §2): maps merge key by key with the
 * app's value winning; lists and plain values of the app replace the
 * default's. Neither input is changed: defaults are shared by every app.
 */
export function mergeUnder(defaults: PMap, app: PMap, path: readonly string[] = []): PMap {
  const entries = new Map(defaults.entries);
  for (const [k, e] of app.entries) {
    const base = entries.get(k);
    // `formation: { web: null }` takes a process type of the defaults out of this app: a
    // worker-only app must not be held to (and drift-reported for) a web it never runs.
    if (path.length === 1 && path[0] === 'formation' && e.node.kind === 'scalar' && e.node.value === null) entries.delete(k);
    else if (base && base.node.kind === 'map' && e.node.kind === 'map') entries.set(k, { ...e, node: mergeUnder(base.node, e.node, [...path, k]) });
    else entries.set(k, e);
  }
  return mapOf(entries, app);
}

/**
 * Defaults from several files of one set combine key by key. The same
 * default set in two files is an error: which one wins would depend on the
 * order of -f flags.
 */
export function combineDefaults(first: PMap, second: PMap, diagnostics: Diagnostic[], path: string[] = ['defaults']): PMap {
  const entries = new Map(first.entries);
  for (const [k, e] of second.entries) {
    const prior = entries.get(k);
    if (!prior) {
      entries.set(k, e);
    } else if (prior.node.kind === 'map' && e.node.kind === 'map') {
      entries.set(k, { ...prior, node: combineDefaults(prior.node, e.node, diagnostics, [...path, k]) });
    } else {
      const at = entryLoc(prior);
      diagnostics.push({
        severity: 'error',
        code: Code.conflictingDefaults,
        message: `${[...path, k].join('.')} is also set in the defaults at ${at.file}:${at.line}:${at.col}: set each default once`,
        ...entryLoc(e),
        related: [at],
      });
    }
  }
  return mapOf(entries, first);
}
