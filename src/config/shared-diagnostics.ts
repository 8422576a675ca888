import type { Diagnostic } from '../model/diagnostic.js';
import { entryLoc, nodeLoc, type PMap, type PNode } from './tree.js';

/**
 * A mistake written once in `defaults:` is found once per app that inherits
 * it, with the same text at the same line. Said once, naming the apps
 * ("… (in apps api and web, from defaults)"), it reads as one thing to fix
 * where it was written, not as many unrelated ones.
 */
export function mergeSharedDiagnostics(diagnostics: Diagnostic[], perApp: ReadonlyArray<{ app: string; diagnostics: Diagnostic[] }>, defaults: PMap | undefined): Diagnostic[] {
  if (!defaults) return diagnostics;
  const inDefaults = locations(defaults);
  const groups = new Map<string, { first: Diagnostic; apps: string[] }>();
  const merged = new Set<Diagnostic>();
  for (const { app, diagnostics: ds } of perApp) {
    for (const d of ds) {
      if (d.file === undefined || !inDefaults.has(`${d.file}:${d.line}:${d.col}`)) continue;
      const key = [d.severity, d.code, d.message, d.file, d.line, d.col].join('\u0000');
      const g = groups.get(key);
      if (g) {
        if (!g.apps.includes(app)) g.apps.push(app);
        merged.add(d);
      } else groups.set(key, { first: d, apps: [app] });
    }
  }
  const named = new Map<Diagnostic, Diagnostic>();
  for (const { first, apps } of groups.values()) {
    const { address: _address, ...rest } = first; // the address named one app of several
    const only = apps.length === 1 ? `app ${apps[0]!}` : `apps ${apps.slice(0, -1).join(', ')} and ${apps[apps.length - 1]!}`;
    named.set(first, { ...(apps.length === 1 ? first : rest), message: `${first.message} (in ${only}, from defaults)` });
  }
  return diagnostics.filter((d) => !merged.has(d)).map((d) => named.get(d) ?? d);
}

/** `file:line:col` of every key and value under a map. */
function locations(map: PMap): Set<string> {
  const out = new Set<string>();
  const add = (l: { file: string; line: number; col: number }): void => void out.add(`${l.file}:${l.line}:${l.col}`);
  const walk = (n: PNode): void => {
    add(nodeLoc(n));
    if (n.kind === 'map') {
      for (const e of n.entries.values()) {
        add(entryLoc(e));
        walk(e.node);
      }
    } else if (n.kind === 'seq') n.items.forEach(walk);
  };
  walk(map);
  return out;
}
