import { createHash } from 'node:crypto';
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
      out.push({
        id: derivedId(app.id, f.type, String(i), f.updatedAt),
        name: `${f.type}.${i}`,
        type: f.type,
        command: f.command,
        sizeId: f.sizeId,
        releaseId: current?.id ?? derivedId(app.id, 'release'),
        version: app.version,
        createdAt: f.updatedAt,
        updatedAt: f.updatedAt,
      });
    }
  }
  return out;
}
