import type { RouteDef } from '../resources/types.js';

interface Compiled {
  def: RouteDef;
  segments: (string | { param: string })[];
}

export interface Match {
  def: RouteDef;
  params: Record<string, string>;
}

/**
 * Routes by method and path segments. Literal segments win over parameters
 * (`/apps/{app}/formation` is never taken as an add-on named `formation`),
 * and a path that exists under another method is still a 404, as on the
 * real API.
 */
export class Router {
  private readonly byLength = new Map<number, Compiled[]>();

  constructor(defs: readonly RouteDef[]) {
    for (const def of defs) {
      const segments = def.pattern
        .split('/')
        .slice(1)
        .map((s) => (s.startsWith('{') && s.endsWith('}') ? { param: s.slice(1, -1) } : s));
      const list = this.byLength.get(segments.length) ?? [];
      list.push({ def, segments });
      this.byLength.set(segments.length, list);
    }
    for (const list of this.byLength.values()) {
      // More literal segments first; among equals, earlier literal positions first.
      list.sort((a, b) => score(b) - score(a));
    }
  }

  match(method: string, path: string): Match | undefined {
    const raw = path.split('/').slice(1);
    if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
    const candidates = this.byLength.get(raw.length);
    if (!candidates) return undefined;
    let parts: string[];
    try {
      parts = raw.map((s) => decodeURIComponent(s));
    } catch {
      return undefined;
    }
    for (const c of candidates) {
      if (c.def.method !== method) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < c.segments.length; i++) {
        const seg = c.segments[i];
        const part = parts[i] ?? '';
        if (typeof seg === 'string') {
          if (seg !== part) {
            ok = false;
            break;
          }
        } else if (seg !== undefined) {
          if (part === '') {
            ok = false;
            break;
          }
          params[seg.param] = part;
        }
      }
      if (ok) return { def: c.def, params };
    }
    return undefined;
  }
}

function score(c: Compiled): number {
  let s = 0;
  c.segments.forEach((seg, i) => {
    if (typeof seg === 'string') s += 1000 - i;
  });
  return s;
}
