import { afterAll, beforeAll, describe, it } from 'vitest';
import { editJson } from '../helpers/hostile-proxy.js';
import { expectOneLineError, HostileWorld } from './world.js';

// #14 §1: the repros. Each bad body ends the run with one line naming the
// request and the field; nothing is planned or written from it.

type Json = Record<string, unknown>;
const each = (f: (item: Json) => void) => editJson((body) => (Array.isArray(body) ? body.forEach((i) => f(i as Json)) : f(body as Json)));

describe('invalid response bodies', () => {
  let hw: HostileWorld;
  beforeAll(async () => {
    hw = await HostileWorld.start();
  }, 120_000);
  afterAll(() => hw.close());

  const COMMANDS = [['plan'], ['apply', '--auto-approve'], ['drift']];

  it('drains with url: null never become a deletion (plan, apply --auto-approve, drift)', async () => {
    for (const args of COMMANDS) {
      const r = await hw.run(args, ({ path }) => (path.endsWith('/log-drains') ? { type: 'rewrite', rewrite: each((d) => (d.url = null)) } : { type: 'pass' }));
      expectOneLineError(r, /GET \/apps\/[^/]+\/log-drains/, '[0].url must be string, got null');
    }
  });

  it('a null item in /apps', async () => {
    for (const args of COMMANDS) {
      const r = await hw.run(args, ({ path }) => (path === '/apps' ? { type: 'rewrite', rewrite: editJson((b) => [null, ...(b as unknown[])]) } : { type: 'pass' }));
      expectOneLineError(r, /GET \/apps \(/, '[0] must be object, got null');
    }
  });

  it('a domain without hostname', async () => {
    for (const args of COMMANDS) {
      const r = await hw.run(args, ({ path }) => (path.endsWith('/domains') ? { type: 'rewrite', rewrite: each((d) => delete d.hostname) } : { type: 'pass' }));
      expectOneLineError(r, /GET \/apps\/[^/]+\/domains/, '[0].hostname is missing');
    }
  });

  it('an app without name (no rename plan) and an add-on without plan (no plan change)', async () => {
    for (const args of COMMANDS) {
      const r = await hw.run(args, ({ path }) => (path === '/apps' ? { type: 'rewrite', rewrite: each((a) => delete a.name) } : { type: 'pass' }));
      expectOneLineError(r, /GET \/apps \(/, '[0].name is missing');
      const r2 = await hw.run(args, ({ path }) => (path === '/addons' ? { type: 'rewrite', rewrite: each((a) => delete a.plan) } : { type: 'pass' }));
      expectOneLineError(r2, /GET \/addons \(/, '[0].plan is missing');
    }
  });

  it('config vars that are not an object of strings: null, [], "str", a number value', async () => {
    for (const bad of [null, [], 'str', { RAILS_ENV: 42 }]) {
      const r = await hw.run(['plan'], ({ path }) => (path.endsWith('/config-vars') ? { type: 'rewrite', rewrite: editJson(() => bad) } : { type: 'pass' }));
      expectOneLineError(r, /GET \/apps\/[^/]+\/config-vars/);
    }
  });

  it('a body that is not JSON', async () => {
    const r = await hw.run(['plan'], ({ path }) => (path.endsWith('/formation') ? { type: 'rewrite', rewrite: (up) => ({ ...up, body: up.body + '}{junk' }) } : { type: 'pass' }));
    expectOneLineError(r, /GET \/apps\/[^/]+\/formation/, 'the body is not JSON');
  });
});
