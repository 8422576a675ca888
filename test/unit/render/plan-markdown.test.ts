import { describe, expect, it } from 'vitest';
import type { DesiredApp } from '../../../src/model/desired.js';
import { renderPlanMarkdown } from '../../../src/render/index.js';
import { desiredApp, managed, plan } from '../planner/fixtures.js';
import { richPlan } from './scenario.js';

function hugePlan(apps: number, keys: number) {
  const desired: DesiredApp[] = [];
  for (let i = 0; i < apps; i++) {
    const config: Record<string, string> = {};
    for (let k = 0; k < keys; k++) config[`KEY_${k}`] = `value-${i}-${k}`;
    desired.push(desiredApp(`app-${String(i).padStart(4, '0')}`, { config }));
  }
  return plan({ desired });
}

describe('renderPlanMarkdown', () => {
  it('is a PR comment: summary, table, a collapsed section per app', () => {
    const md = renderPlanMarkdown(richPlan());
    expect(md).toMatch(/^### dynoform plan: 4 apps to change\n/);
    expect(md).toContain('| ➕ create | 3 |');
    expect(md).toContain('<details><summary><b>shop</b>:');
    expect(md).toContain('```diff\n! app.shop will be updated');
    expect(md).toContain('+     + SECRET_KEY_BASE: (sensitive)');
    expect(md).not.toContain('too long for a comment');
  });

  it('says so when there are no changes', () => {
    const m = managed('shop');
    const md = renderPlanMarkdown(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }));
    expect(md).toContain('No changes. Your apps match the configuration.');
  });

  it('stays under 65,000 characters for a huge plan, with a truncation note', () => {
    const p = hugePlan(400, 40);
    const md = renderPlanMarkdown(p);
    expect(md.length).toBeLessThanOrEqual(65_000);
    expect(md.length).toBeGreaterThan(60_000); // it uses the room it has
    const m = /The plan is too long for a comment: .*?(\d+) more apps \((\d+) changes\) not shown/.exec(md);
    expect(m).not.toBeNull();
    const shown = (md.match(/<details><summary><b>/g) ?? []).length;
    expect(shown + Number(m![1])).toBe(400);
    // Sections are whole: every opened block is closed.
    expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
  });

  it('never exceeds any budget', () => {
    const p = hugePlan(30, 30);
    for (const max of [50, 199, 200, 500, 1000, 2500, 4000, 10_000, 30_000]) {
      expect(renderPlanMarkdown(p, { maxChars: max }).length).toBeLessThanOrEqual(max);
    }
  });

  it('shows the beginning of one enormous app rather than nothing', () => {
    const p = hugePlan(1, 5000);
    const md = renderPlanMarkdown(p);
    expect(md.length).toBeLessThanOrEqual(65_000);
    expect(md).toMatch(/# … \d+ more lines not shown/);
    expect(md).toContain('KEY_0');
    expect((md.match(/```/g) ?? []).length % 2).toBe(0);
  });

  it('keeps values containing backticks inside the code block', () => {
    const m = managed('shop', { desired: { config: { TICKS: 'a```b' } } });
    const md = renderPlanMarkdown(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }));
    expect(md).toContain('````diff');
  });

  it('a new app alone renders', () => {
    expect(renderPlanMarkdown(plan({ desired: [desiredApp('x')] }))).toContain('+ app.x will be created');
  });
});
