import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../src/emulator/http/errors.js';
import { applyRange, parseRange } from '../../../../src/emulator/http/ranges.js';

const shape = { ranges: ['id', 'name'] };
const items = Array.from({ length: 10 }, (_, i) => ({ id: `id-${String(i).padStart(2, '0')}`, name: `n${9 - i}` }));

function rangeError(header: string): ApiError {
  try {
    parseRange(header, shape);
  } catch (err) {
    return err as ApiError;
  }
  throw new Error(`expected ${header} to be rejected`);
}

describe('parseRange', () => {
  it('defaults to the first field, ascending, max 200', () => {
    expect(parseRange(undefined, shape)).toEqual({ field: 'id', startExclusive: false, endExclusive: false, max: 200, order: 'asc' });
    expect(parseRange('', shape).max).toBe(200);
  });

  it('accepts the forms real clients send', () => {
    expect(parseRange('id ..; max=1000;', shape)).toMatchObject({ field: 'id', max: 1000 });
    expect(parseRange('name ..; order=desc,max=1', shape)).toMatchObject({ field: 'name', order: 'desc', max: 1 });
    expect(parseRange('id ]id-03..; max=5, order=desc', shape)).toMatchObject({ start: 'id-03', startExclusive: true, max: 5, order: 'desc' });
    expect(parseRange('name', shape)).toMatchObject({ field: 'name' });
    expect(parseRange('id [id-01..id-05[', shape)).toMatchObject({ start: 'id-01', startExclusive: false, end: 'id-05', endExclusive: true });
  });

  it('caps max at 1000', () => {
    expect(parseRange('id ..; max=5000', shape).max).toBe(1000);
  });

  it('rejects what the API rejects with 416', () => {
    for (const bad of ['nope ..', 'id ..; max=0', 'id ..; max=ten', 'id ..; order=sideways', 'id ..; page=2', 'id ..id-05', 'id abc', '!!']) {
      const err = rangeError(bad);
      expect(err.status, bad).toBe(416);
      expect(err.id).toBe('requested_range_not_satisfiable');
    }
  });
});

describe('applyRange', () => {
  it('pages with 206 and Next-Range only while items remain', () => {
    const first = applyRange(items, parseRange('id ..; max=4', shape), shape);
    expect(first.status).toBe(206);
    expect(first.items.map((i) => i.id)).toEqual(['id-00', 'id-01', 'id-02', 'id-03']);
    expect(first.headers['Next-Range']).toBe('id ]id-03..; max=4');
    expect(first.headers['Content-Range']).toBe('id id-00..id-03; max=4');
    expect(first.headers['Accept-Ranges']).toBe('id, name');

    const second = applyRange(items, parseRange(first.headers['Next-Range'], shape), shape);
    expect(second.items.map((i) => i.id)).toEqual(['id-04', 'id-05', 'id-06', 'id-07']);
    const third = applyRange(items, parseRange(second.headers['Next-Range'], shape), shape);
    expect(third.status).toBe(200);
    expect(third.items.map((i) => i.id)).toEqual(['id-08', 'id-09']);
    expect(third.headers['Next-Range']).toBeUndefined();
  });

  it('gives 200 without Next-Range when the page holds exactly the rest', () => {
    const r = applyRange(items, parseRange('id ..; max=10', shape), shape);
    expect(r.status).toBe(200);
    expect(r.headers['Next-Range']).toBeUndefined();
  });

  it('breaks ties by id, so a walk by Next-Range on a non-unique field never skips an item', () => {
    const tied = Array.from({ length: 9 }, (_, i) => ({ id: `id-${i}`, updated_at: i < 7 ? '2026-01-01T00:00:00Z' : '2026-01-01T00:00:01Z' }));
    const tiedShape = { ranges: ['id', 'updated_at'] };
    for (const order of ['asc', 'desc']) {
      const seen: string[] = [];
      let range: string | undefined = `updated_at ..; max=2, order=${order}`;
      while (range !== undefined) {
        const page = applyRange(tied, parseRange(range, tiedShape), tiedShape);
        seen.push(...page.items.map((i) => String(i.id)));
        range = page.headers['Next-Range'];
      }
      expect(new Set(seen).size).toBe(9);
      expect(seen).toHaveLength(9);
    }
  });

  it('sorts by another field, descending, and keeps order in Next-Range', () => {
    const r = applyRange(items, parseRange('name ..; max=3, order=desc', shape), shape);
    expect(r.items.map((i) => i.name)).toEqual(['n9', 'n8', 'n7']);
    expect(r.headers['Next-Range']).toBe('name ]n7..; max=3, order=desc, after_id=id-02');
    const next = applyRange(items, parseRange(r.headers['Next-Range'], shape), shape);
    expect(next.items.map((i) => i.name)).toEqual(['n6', 'n5', 'n4']);
  });

  it('honours inclusive and exclusive bounds', () => {
    const ids = (h: string) => applyRange(items, parseRange(h, shape), shape).items.map((i) => i.id);
    expect(ids('id id-02..id-04')).toEqual(['id-02', 'id-03', 'id-04']);
    expect(ids('id ]id-02..id-04')).toEqual(['id-03', 'id-04']);
    expect(ids('id id-02..id-04[')).toEqual(['id-02', 'id-03']);
    expect(ids('id id-07..; order=desc')).toEqual(['id-07', 'id-06', 'id-05', 'id-04', 'id-03', 'id-02', 'id-01', 'id-00']);
  });

  it('compares numeric fields as numbers', () => {
    const releases = [1, 2, 10, 11].map((version) => ({ id: `r${version}`, version }));
    const s = { ranges: ['version', 'id'] };
    const r = applyRange(releases, parseRange('version ..; order=desc,max=1', s), s);
    expect(r.items).toEqual([{ id: 'r11', version: 11 }]);
    const after = applyRange(releases, parseRange('version ]2..', s), s);
    expect(after.items.map((x) => x.version)).toEqual([10, 11]);
  });

  it('describes an empty list', () => {
    const r = applyRange([], parseRange(undefined, shape), shape);
    expect(r).toEqual({ status: 200, items: [], headers: { 'Accept-Ranges': 'id, name', 'Content-Range': 'id ..; max=200' } });
  });
});
