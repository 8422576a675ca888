import { createHash } from 'node:crypto';
import { notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AppRecord } from '../../store/records.js';
import { formationOf } from '../formation/rules.js';
import { releasesOf } from '../releases/rules.js';

/** A running dyno as derived from the formation (dynos have no record of their own). */
export interface Dyno {
  id: string;
  name: string;
  type: string;
  command: string;
  sizeId: string;
  releaseId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A stable uuid-shaped id for a derived object. */
function derivedId(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('/')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/** Dynos follow the formation: `web.1 … web.N`, all up, on the current release. */
export function dynosOf(p: Platform, app: AppRecord): Dyno[] {
  const current = releasesOf(p, app).find((r) => r.version === app.version);
  const out: Dyno[] = [];
  for (const f of formationOf(p, app)) {
    for (let i = 1; i <= f.quantity; i++) {
      const name = `${f.type}.${i}`;
      const restarted = app.dynoStarts?.[name];
      // A restart replaces the dyno: a new id and start time.
      const started = restarted !== undefined && restarted > f.updatedAt ? restarted : f.updatedAt;
      out.push({
        id: derivedId(app.id, f.type, String(i), started),
        name,
        type: f.type,
        command: f.command,
        sizeId: f.sizeId,
        releaseId: current?.id ?? derivedId(app.id, 'release'),
        version: app.version,
        createdAt: started,
        updatedAt: started,
      });
    }
  }
  return out;
}

/** Which dynos an action applies to: one (by name or id), a process type, or all of them. */
export type DynoSelector = { dyno: string } | { type: string } | { all: true };

function select(p: Platform, app: AppRecord, which: DynoSelector): Dyno[] {
  const dynos = dynosOf(p, app);
  if ('all' in which) return dynos;
  if ('type' in which) {
    if (!formationOf(p, app).some((f) => f.type === which.type)) throw notFound(`Couldn't find that process type (${which.type}).`, 'formation');
    return dynos.filter((d) => d.type === which.type);
  }
  const one = dynos.find((d) => d.id === which.dyno || d.name === which.dyno);
  if (!one) throw notFound("Couldn't find that dyno.", 'dyno');
  return [one];
}

/**
 * `ps:restart` and `ps:stop`: the selected dynos are replaced by new ones
 * (a stopped dyno of a formation is started again by the dyno manager, as on
 * Heroku; only scaling removes it). No release is cut.
 */
export function restartDynos(p: Platform, app: AppRecord, which: DynoSelector): void {
  const chosen = select(p, app, which);
  if (chosen.length === 0) return;
  const now = p.now();
  const starts = { ...(app.dynoStarts ?? {}) };
  for (const d of chosen) starts[d.name] = now;
  app.dynoStarts = starts;
  p.store.putApp(app);
  p.changed();
}
