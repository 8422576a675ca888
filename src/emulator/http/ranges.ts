import { rangeNotSatisfiable } from './errors.js';

/**
 * `Range` on list endpoints, as the Platform API reference describes it:
 *
 *   Range: <field> [[|]]<start>..[<end>[[|]]][; max=<n>[, order=asc|desc]]
 *
 * A `]` before the start (or `[` after the end) makes that bound exclusive;
 * parameters may be separated by `,` or `;` and a trailing `;` is fine (the
 * Heroku CLI sends `id ..; max=1000;` and `version ..; order=desc,max=1`).
 * A range with only an end bound was rejected by Heroku from 2013-08 on, and
 * is here too.
 *
 * Next-Range is a cursor: on a field other than `id` (values can tie:
 * `updated_at` has one-second granularity) it carries `after_id=<id>`, the
 * last item's id, and items equal to the exclusive start bound count only
 * when their id comes after it, in the sort's order. So walking a list by
 * Next-Range never skips nor repeats an item.
 */
export interface RangeSpec {
  field: string;
  start?: string;
  startExclusive: boolean;
  end?: string;
  endExclusive: boolean;
  max: number;
  order: 'asc' | 'desc';
  /** With an exclusive start: ties with the start value count only after this id. */
  afterId?: string;
}

export const DEFAULT_MAX = 200;
export const MAX_MAX = 1000;

export interface ListShape {
  /** Fields a client may sort on (`Accept-Ranges`); the first is the default. */
  ranges: readonly string[];
}

export function parseRange(header: string | undefined, shape: ListShape): RangeSpec {
  const defaultField = shape.ranges[0] ?? 'id';
  const spec: RangeSpec = { field: defaultField, startExclusive: false, endExclusive: false, max: DEFAULT_MAX, order: 'asc' };
  const text = (header ?? '').trim();
  if (text === '') return spec;

  const semi = text.indexOf(';');
  const head = (semi === -1 ? text : text.slice(0, semi)).trim();
  const params = semi === -1 ? '' : text.slice(semi + 1);

  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s+(\S.*))?$/.exec(head);
  if (!m) throw rangeNotSatisfiable(`Invalid Range header: ${JSON.stringify(text)}.`);
  const field = m[1] ?? defaultField;
  if (!shape.ranges.includes(field)) {
    throw rangeNotSatisfiable(`Invalid Range: ${field} is not a sortable field here (Accept-Ranges: ${shape.ranges.join(', ')}).`);
  }
  spec.field = field;

  const bounds = (m[2] ?? '').trim();
  if (bounds !== '') {
    const dots = bounds.indexOf('..');
    if (dots === -1) throw rangeNotSatisfiable(`Invalid Range: expected <start>..<end>, got ${JSON.stringify(bounds)}.`);
    let start = bounds.slice(0, dots).trim();
    let end = bounds.slice(dots + 2).trim();
    if (start.startsWith(']')) {
      spec.startExclusive = true;
      start = start.slice(1);
    } else if (start.startsWith('[')) {
      start = start.slice(1);
    }
    if (end.endsWith('[')) {
      spec.endExclusive = true;
      end = end.slice(0, -1);
    } else if (end.endsWith(']')) {
      end = end.slice(0, -1);
    }
    if (/\s/.test(start) || /\s/.test(end)) throw rangeNotSatisfiable(`Invalid Range: ${JSON.stringify(bounds)}.`);
    if (start === '' && end !== '') {
      throw rangeNotSatisfiable('Invalid Range: a range needs a start value when it has an end value.');
    }
    if (start !== '') spec.start = start;
    if (end !== '') spec.end = end;
  }

  for (const raw of params.split(/[;,]/)) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = (eq === -1 ? part : part.slice(0, eq)).trim();
    const value = eq === -1 ? '' : part.slice(eq + 1).trim();
    if (key === 'max') {
      if (!/^\d+$/.test(value) || Number(value) < 1) {
        throw rangeNotSatisfiable(`Invalid Range: max must be a positive integer, got ${JSON.stringify(value)}.`);
      }
      spec.max = Math.min(Number(value), MAX_MAX);
    } else if (key === 'order') {
      if (value !== 'asc' && value !== 'desc') {
        throw rangeNotSatisfiable(`Invalid Range: order must be asc or desc, got ${JSON.stringify(value)}.`);
      }
      spec.order = value;
    } else if (key === 'after_id' && value !== '') {
      spec.afterId = value;
    } else {
      throw rangeNotSatisfiable(`Invalid Range: unknown parameter ${JSON.stringify(key)}.`);
    }
  }
  return spec;
}

type Item = Record<string, unknown>;

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = a === null || a === undefined ? '' : String(a);
  const sb = b === null || b === undefined ? '' : String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** A bound from the header compared like the field's values (versions are numbers). */
function boundValue(sample: unknown, bound: string): unknown {
  if (typeof sample === 'number') {
    const n = Number(bound);
    if (!Number.isFinite(n)) throw rangeNotSatisfiable(`Invalid Range: ${JSON.stringify(bound)} is not a number.`);
    return n;
  }
  return bound;
}

export interface RangedList {
  status: 200 | 206;
  items: Item[];
  headers: Record<string, string>;
}

/** Sorts, bounds and pages `items`; 206 with `Next-Range` only while more items remain. */
export function applyRange(items: Item[], spec: RangeSpec, shape: ListShape): RangedList {
  const { field } = spec;
  const sign = spec.order === 'desc' ? -1 : 1;
  const sorted = [...items].sort((x, y) => sign * (compare(x[field], y[field]) || compare(x.id, y.id)));
  const sample = sorted[0]?.[field];
  const start = spec.start === undefined ? undefined : boundValue(sample, spec.start);
  const end = spec.end === undefined ? undefined : boundValue(sample, spec.end);

  const inRange = sorted.filter((item) => {
    const v = item[field];
    if (start !== undefined) {
      const c = sign * compare(v, start);
      if (c < 0) return false;
      if (c === 0 && spec.startExclusive && (spec.afterId === undefined || sign * compare(item.id, spec.afterId) <= 0)) return false;
    }
    if (end !== undefined) {
      const c = sign * compare(v, end);
      if (c > 0 || (c === 0 && spec.endExclusive)) return false;
    }
    return true;
  });

  const page = inRange.slice(0, spec.max);
  const more = inRange.length > page.length;
  const params = `max=${spec.max}${spec.order === 'desc' ? ', order=desc' : ''}`;
  const first = page[0]?.[field];
  const last = page[page.length - 1]?.[field];
  const headers: Record<string, string> = {
    'Accept-Ranges': shape.ranges.join(', '),
    'Content-Range': `${field} ${first === undefined ? '' : String(first)}..${last === undefined ? '' : String(last)}; ${params}`,
  };
  if (more) {
    const endPart = spec.end === undefined ? '' : `${spec.end}${spec.endExclusive ? '[' : ''}`;
    const lastId = page[page.length - 1]?.id;
    const cursor = field !== 'id' && lastId !== undefined ? `, after_id=${String(lastId)}` : '';
    headers['Next-Range'] = `${field} ]${String(last)}..${endPart}; ${params}${cursor}`;
  }
  return { status: more ? 206 : 200, items: page, headers };
}
