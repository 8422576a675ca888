import { describe, expect, it } from 'vitest';
import { renderPlanText } from '../../../src/render/index.js';
import { managed, plan } from '../planner/fixtures.js';
import { richPlan } from './scenario.js';

const ANSI = /\u001b\[/;

describe('renderPlanText', () => {
  it('shows each action with its Terraform-like symbol', () => {
    const text = renderPlanText(richPlan(), { color: false });
    expect(text).toMatch(/^ {2}\+ {2}app\.blog will be created$/m);
    expect(text).toMatch(/^ {2}~ {2}app\.shop will be updated$/m);
    expect(text).toMatch(/^ {2}- {2}app\.old will be deleted$/m);
    expect(text).toMatch(/^ {2}<= app\.shop\/domain\.www\.example\.com will be adopted$/m);
    expect(text).toMatch(/^ {2}! {2}app\.shop\/addon\.db is blocked$/m);
    expect(text).toMatch(/^ {2}! {2}app\.eu cannot be changed in place \(refused\)$/m);
    expect(text).toMatch(/\? {2}worker: 1 {2}\(waiting for a release that defines it\)/);
  });

  it('shows items as before → after, secrets masked, and side effects', () => {
    const text = renderPlanText(richPlan(), { color: false });
    expect(text).toContain('~  RAILS_ENV:       "development" → "staging"');
    expect(text).toContain('+  SECRET_KEY_BASE: (sensitive)');
    expect(text).toContain('-  OLD:             (hidden)  (removed from the YAML)');
    expect(text).toContain('~  web:    1 × basic → 2 × standard-1X');
    expect(text).toMatch(/app\.shop\/config will be updated \(1 release\)/);
    expect(text).toContain('# region cannot change (us → eu); it needs a new app');
  });

  it('ends with the summary line', () => {
    const lines = renderPlanText(richPlan(), { color: false }).split('\n');
    expect(lines.at(-1)).toBe(
      'Plan: 3 to create, 3 to update, 1 to delete, 1 to adopt; 1 blocked, 1 refused, 1 waiting. 3 releases (dyno restarts). Needs 9 API requests (1,180 remaining).',
    );
  });

  it('says so when there is nothing to do', () => {
    const m = managed('shop');
    const text = renderPlanText(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), { color: false });
    expect(text).toBe('No changes. Your apps match the configuration.');
  });

  it('uses ANSI colors only when asked', () => {
    const p = richPlan();
    expect(renderPlanText(p, { color: false })).not.toMatch(ANSI);
    const colored = renderPlanText(p, { color: true });
    expect(colored).toMatch(ANSI);
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(renderPlanText(p, { color: false }));
  });

  it('shortens long values to the width', () => {
    const long = 'x'.repeat(500);
    const m = managed('shop', { desired: { config: { LONG: long } } });
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    expect(renderPlanText(p, { color: false })).toContain(long);
    const narrow = renderPlanText(p, { color: false, width: 80 });
    expect(narrow).not.toContain(long);
    expect(narrow).toMatch(/LONG: "x+…/);
  });
});

describe('renderPlanText notes', () => {
  it('shows every warning but only the first informational notes', () => {
    const p = richPlan();
    for (let i = 0; i < 15; i++) p.diagnostics.push({ severity: 'info', code: 'config-unmanaged-keys', message: `info ${i}` });
    const text = renderPlanText(p, { color: false });
    expect(text).toContain('warning: process type worker');
    expect(text).toContain('info: info 9 ');
    expect(text).not.toContain('info: info 10 ');
    expect(text).toContain('… and 5 more informational notes (all of them are in --format json)');
  });
});
