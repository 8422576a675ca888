import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESPONSE_SCHEMAS, type ResponseShape } from '../../src/providers/heroku/response-schemas.js';
import type { Upstream } from '../helpers/hostile-proxy.js';
import { expectOneLineError, HostileWorld, type HostileRun } from './world.js';

/**
 * #14: a fuzzer over every response body a plan reads. For each resource,
 * each field dynoform relies on (taken from the response schemas, so a new
 * field is fuzzed as soon as it is checked) is dropped, nulled, given
 * another type or emptied, in the list item a fixed seed picks; then junk is
 * added (unknown fields, which must change nothing, and trailing garbage,
 * which must fail). Every case runs plan, apply --auto-approve and drift:
 * exit 1 with one line naming the request and the field, no stack trace,
 * no write after the bad read, the state file untouched.
 */
const ROUTES: Array<{ route: RegExp; shape: ResponseShape; name: string }> = [
  { name: 'apps', route: /^\/apps$/, shape: 'app' },
  { name: 'add-ons', route: /^\/addons$/, shape: 'addon' },
  { name: 'attachments', route: /^\/addon-attachments$/, shape: 'attachment' },
  { name: 'config vars', route: /^\/apps\/[^/]+\/config-vars$/, shape: 'config-vars' },
  { name: 'formation', route: /^\/apps\/[^/]+\/formation$/, shape: 'formation' },
  { name: 'domains', route: /^\/apps\/[^/]+\/domains$/, shape: 'domain' },
  { name: 'drains', route: /^\/apps\/[^/]+\/log-drains$/, shape: 'drain' },
];
const SEEDS = [11, 23];
const COMMANDS = [['plan'], ['apply', '--auto-approve'], ['drift']];

interface Node {
  type?: readonly string[];
  enum?: readonly unknown[];
  minLength?: number;
  properties?: Record<string, Node>;
  required?: readonly string[];
  additionalProperties?: Node;
}

type Mutation = 'drop' | 'null' | 'retype' | 'empty' | 'enum';
interface Field {
  path: string[];
  mutations: Mutation[];
}

/** Every field of a shape with the mutations its schema forbids. */
function fieldsOf(node: Node, prefix: string[] = []): Field[] {
  const out: Field[] = [];
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const path = [...prefix, name];
    const types = child.type ?? [];
    const mutations: Mutation[] = [];
    if (node.required?.includes(name)) mutations.push('drop');
    if (!types.includes('null')) mutations.push('null');
    mutations.push('retype');
    if (child.minLength) mutations.push('empty');
    if (child.enum) mutations.push('enum');
    out.push({ path, mutations }, ...fieldsOf(child, path));
  }
  return out;
}

/** A small deterministic generator (mulberry32), so every run fuzzes the same cases. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function wrongType(types: readonly string[]): unknown {
  if (!types.includes('string')) return 'x';
  if (!types.includes('integer') && !types.includes('number')) return 42;
  return [];
}

/** Applies the mutation in place; false when the field is not there to mutate (an optional field the API left out). */
function mutate(target: unknown, field: Field, m: Mutation, node: Node): boolean {
  let parent = target as Record<string, unknown>;
  for (const p of field.path.slice(0, -1)) {
    const next = parent?.[p];
    if (next === null || typeof next !== 'object') return false;
    parent = next as Record<string, unknown>;
  }
  const key = field.path.at(-1)!;
  if (parent === null || typeof parent !== 'object' || !(key in parent)) return false;
  if (m === 'null' && parent[key] === null) return false;
  const leaf = field.path.reduce<Node | undefined>((n, p) => n?.properties?.[p], node);
  switch (m) {
    case 'drop':
      delete parent[key];
      break;
    case 'null':
      parent[key] = null;
      break;
    case 'retype':
      parent[key] = wrongType(leaf?.type ?? []);
      break;
    case 'empty':
      parent[key] = '';
      break;
    case 'enum':
      parent[key] = 'not-a-state';
      break;
  }
  return true;
}

interface Scenario {
  title: string;
  route: RegExp;
  /** The rewrite; sets `applied` when it found something to change. */
  rewrite: (up: Upstream) => Upstream;
  applied: () => boolean;
  /** Before each run: the same seed picks the same item again. */
  reset: () => void;
  seed: number;
  /** undefined: the run must succeed with nothing to change. */
  field?: string;
}

function scenarios(): Scenario[] {
  const out: Scenario[] = [];
  for (const { name, route, shape } of ROUTES) {
    const schema = RESPONSE_SCHEMAS[shape] as unknown as Node;
    const cases: Array<{ label: string; field?: string; edit: (body: unknown, pick: () => number) => unknown }> = [];
    if (schema.additionalProperties) {
      // A map (config vars): a value of the wrong type, or a body that is not a map at all.
      cases.push({ label: 'a value of the wrong type', field: 'RAILS_ENV', edit: (b) => ({ ...(b as object), RAILS_ENV: 42 }) });
      for (const whole of [null, [], 'text']) cases.push({ label: `the body is ${JSON.stringify(whole)}`, edit: () => whole });
    } else {
      for (const f of fieldsOf(schema)) {
        for (const m of f.mutations) {
          cases.push({
            label: `${m} ${f.path.join('.')}`,
            field: f.path.join('.'),
            edit: (b, pick) => {
              const list = b as unknown[];
              const i = Math.floor(pick() * list.length);
              return mutate(list[i], f, m, schema) ? { index: i } : undefined;
            },
          });
        }
      }
    }
    for (const c of cases) {
      SEEDS.forEach((seed) => {
        // Map bodies and whole-body cases do not depend on the seed: run them once.
        if ((schema.additionalProperties || !c.field) && seed !== SEEDS[0]) return;
        let applied = false;
        let index = 0;
        let pick = rng(seed);
        out.push({
          title: `${name}: ${c.label} (seed ${seed})`,
          route,
          seed,
          applied: () => applied,
          reset: () => {
            applied = false;
            pick = rng(seed);
          },
          get field() {
            return c.field === undefined ? undefined : schema.additionalProperties ? c.field : `[${index}].${c.field}`;
          },
          rewrite: (up) => {
            let body: unknown;
            try {
              body = JSON.parse(up.body);
            } catch {
              return up;
            }
            const result = c.edit(body, pick);
            if (schema.additionalProperties) {
              applied = true;
              return { ...up, body: JSON.stringify(result) };
            }
            if (result === undefined) return up;
            applied = true;
            index = (result as { index: number }).index;
            return { ...up, body: JSON.stringify(body) };
          },
        });
      });
    }
    // Junk: unknown fields change nothing; trailing garbage is not JSON.
    let junkApplied = false;
    out.push({
      title: `${name}: unknown fields added`,
      route,
      seed: SEEDS[0]!,
      applied: () => junkApplied,
      reset: () => {
        junkApplied = false;
      },
      rewrite: (up) => {
        const body = JSON.parse(up.body) as unknown;
        const add = (o: unknown): void => {
          if (o && typeof o === 'object' && !Array.isArray(o)) Object.assign(o, { zz_junk: { nested: [1, 'two', null] }, zz_flag: true });
        };
        if (Array.isArray(body)) body.forEach(add);
        else if (!schema.additionalProperties) add(body);
        junkApplied = true;
        return { ...up, body: JSON.stringify(body) };
      },
    });
    let garbageApplied = false;
    out.push({
      title: `${name}: trailing garbage`,
      route,
      field: 'the body is not JSON',
      seed: SEEDS[0]!,
      applied: () => garbageApplied,
      reset: () => {
        garbageApplied = false;
      },
      rewrite: (up) => {
        garbageApplied = true;
        return { ...up, body: `${up.body}\u0000}{"junk":` };
      },
    });
  }
  return out;
}

describe('response fuzzer', () => {
  let hw: HostileWorld;
  const all = scenarios();
  beforeAll(async () => {
    hw = await HostileWorld.start();
  }, 120_000);
  afterAll(() => hw.close());

  // Commands rotate over the scenarios (and the seeds of one case), so each of plan, apply and
  // drift meets every resource and every kind of mutation while the run stays under a minute.
  it(`${all.length} scenarios over seeds ${SEEDS.join(', ')}, rotating plan / apply --auto-approve / drift: one line naming the request and field, no write, state untouched`, async () => {
    let ran = 0;
    let notApplicable = 0;
    const perCommand = new Map<string, number>();
    for (const [i, s] of all.entries()) {
      for (const args of [COMMANDS[i % COMMANDS.length]!]) {
        s.reset();
        const r: HostileRun = await hw.run(args, ({ method, path }) => (method === 'GET' && s.route.test(path) ? { type: 'rewrite', rewrite: s.rewrite } : { type: 'pass' }));
        if (!s.applied()) {
          notApplicable += 1;
          continue;
        }
        ran += 1;
        perCommand.set(args[0]!, (perCommand.get(args[0]!) ?? 0) + 1);
        try {
          if (s.field === undefined && s.title.endsWith('unknown fields added')) {
            expect(r.code, r.stderr).toBe(0);
            expect(r.writes).toEqual([]);
            expect(r.stateChanged).toBe(false);
          } else {
            expectOneLineError(r, /GET \/\S+ \(Request-Id/, s.field?.startsWith('the body') ? s.field : s.field);
          }
        } catch (err) {
          throw new Error(`${s.title} — dynoform ${args.join(' ')}: ${(err as Error).message}\n${r.stderr}`);
        }
      }
    }
    console.log(
      `fuzzer: ${all.length} scenarios, ${ran} checked (${[...perCommand].map(([c, n]) => `${c} ${n}`).join(', ')}), ` +
        `${notApplicable} skipped (an optional field the live data does not have)`,
    );
    expect(ran).toBeGreaterThan(all.length * 0.7);
    for (const [cmd] of COMMANDS) expect(perCommand.get(cmd!)).toBeGreaterThan(50);
  }, 600_000);
});
