import { describe, expect, it } from 'vitest';
import { parseDesiredState } from '../../../src/config/index.js';

function parse(files: Record<string, string>) {
  return parseDesiredState(
    Object.entries(files).map(([file, text]) => ({ file, text })),
    { env: {} },
  );
}

const APPS = ['version: 1', 'apps:', '  shop-dev: {}', '  shop-staging: {}', '  shop-prod: {}'];

describe('pipelines: in the YAML', () => {
  it('builds a pipeline with its couplings, located at their list entries', () => {
    const r = parse({
      'a.yaml': [
        ...APPS,
        /* 6 */ 'pipelines:',
        /* 7 */ '  shop:',
        /* 8 */ '    team: acme',
        /* 9 */ '    stages:',
        /* 10 */ '      development: [shop-dev]',
        /* 11 */ '      staging:',
        /* 12 */ '        - shop-staging',
        /* 13 */ '      production: [shop-prod]',
      ].join('\n'),
    });
    expect(r.diagnostics).toEqual([]);
    const p = r.desired!.pipelines!['shop']!;
    expect(p).toMatchObject({ key: 'shop', name: 'shop', team: 'acme', protect: true });
    expect(Object.fromEntries(Object.entries(p.couplings).map(([k, c]) => [k, c.stage]))).toEqual({
      'shop-dev': 'development',
      'shop-staging': 'staging',
      'shop-prod': 'production',
    });
    expect(p.couplings['shop-staging']!.loc).toMatchObject({ file: 'a.yaml', line: 12, col: 11 });
    expect(p.loc).toMatchObject({ line: 7, col: 3 });
  });

  it('has no pipelines field when none are declared', () => {
    const r = parse({ 'a.yaml': APPS.join('\n') });
    expect(r.desired!.pipelines).toBeUndefined();
  });

  it('a file may declare only pipelines (apps in another file)', () => {
    const r = parse({
      'apps.yaml': APPS.join('\n'),
      'pipelines.yaml': ['version: 1', 'pipelines:', '  shop:', '    stages: { staging: [shop-staging] }'].join('\n'),
    });
    expect(r.diagnostics).toEqual([]);
    expect(Object.keys(r.desired!.pipelines!['shop']!.couplings)).toEqual(['shop-staging']);
  });

  it('refuses the other form: an app naming its pipeline or stage', () => {
    const r = parse({ 'a.yaml': ['version: 1', 'apps:', '  shop-dev:', '    pipeline: shop', '    stage: development'].join('\n') });
    const codes = r.diagnostics.map((d) => [d.code, d.line, d.col]);
    expect(codes).toEqual([
      ['coupling-in-app', 4, 5],
      ['coupling-in-app', 5, 5],
    ]);
    expect(r.diagnostics[0]!.message).toContain('under pipelines.<name>.stages.<stage>');
    expect(r.desired).toBeUndefined();
  });

  it('names an undeclared app, an app coupled twice, an unknown stage and a duplicate pipeline at file:line:col', () => {
    const r = parse({
      'a.yaml': [
        ...APPS,
        /* 6 */ 'pipelines:',
        /* 7 */ '  shop:',
        /* 8 */ '    stages:',
        /* 9 */ '      staging: [shop-staging, shop-stagin]',
        /* 10 */ '      production: [shop-staging]',
        /* 11 */ '  other:',
        /* 12 */ '    name: shop',
        /* 13 */ '    stages: { prod: [shop-prod] }',
      ].join('\n'),
      'b.yaml': ['version: 1', 'pipelines:', '  shop: {}'].join('\n'),
    });
    const got = r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`);
    expect(got).toEqual([
      'a.yaml:9:31 undeclared-coupling-app',
      'a.yaml:10:20 duplicate-coupling',
      'a.yaml:13:15 unknown-stage',
      'b.yaml:3:3 duplicate-pipeline',
    ]);
    expect(r.diagnostics[2]!.message).toContain('stages are review, development, staging and production');
  });

  it('two pipelines with one Heroku name are an error', () => {
    const r = parse({ 'a.yaml': ['version: 1', 'pipelines:', '  a: { name: shop }', '  shop: {}'].join('\n') });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['duplicate-pipeline-name']);
  });

  it('stage config: the app config rules (secret from ${env:}, each value at its line), review apps with only the declared fields', () => {
    const r = parseDesiredState(
      [
        {
          file: 'a.yaml',
          text: [
            ...APPS,
            /* 6 */ 'pipelines:',
            /* 7 */ '  shop:',
            /* 8 */ '    config_mode: exclusive',
            /* 9 */ '    config:',
            /* 10 */ '      review:',
            /* 11 */ '        RAILS_ENV: review',
            /* 12 */ '        TOKEN: tok-${env:REVIEW_TOKEN}',
            /* 13 */ '    review_apps:',
            /* 14 */ '      repo: acme/shop',
            /* 15 */ '      wait_for_ci: true',
            /* 16 */ '      base_name: null',
          ].join('\n'),
        },
      ],
      { env: { REVIEW_TOKEN: 'abc123' } },
    );
    expect(r.diagnostics).toEqual([]);
    const p = r.desired!.pipelines!['shop']!;
    expect(p.configMode).toBe('exclusive');
    expect(p.config?.review?.['RAILS_ENV']).toMatchObject({ value: 'review', secret: false, loc: { line: 11, col: 9 } });
    expect(p.config?.review?.['TOKEN']).toMatchObject({ value: 'tok-abc123', secret: true, envRefs: ['REVIEW_TOKEN'], secretParts: ['abc123'] });
    expect(p.config?.test).toBeUndefined();
    expect(p.reviewApps).toMatchObject({ repo: 'acme/shop', waitForCi: true, baseName: null, loc: { line: 13, col: 5 } });
    expect(p.reviewApps?.automaticReviewApps).toBeUndefined();
    expect(p.reviewApps?.fieldLocs?.['wait_for_ci']).toMatchObject({ line: 15, col: 7 });
  });

  it('stage config and review apps errors at file:line:col: a number, a stage without config, a missing env var, no repo, stale_days out of range', () => {
    const r = parse({
      'a.yaml': [
        ...APPS,
        /* 6 */ 'pipelines:',
        /* 7 */ '  shop:',
        /* 8 */ '    config:',
        /* 9 */ '      review:',
        /* 10 */ '        PORT: 5000',
        /* 11 */ '      staging:',
        /* 12 */ '        A: b',
        /* 13 */ '    review_apps:',
        /* 14 */ '      stale_days: 90',
        /* 15 */ '  other:',
        /* 16 */ '    config:',
        /* 17 */ '      test:',
        /* 18 */ '        TOKEN: ${env:NOT_SET}',
      ].join('\n'),
    });
    expect(r.desired).toBeUndefined();
    expect(r.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`)).toEqual(['wrong-type 10:9', 'unknown-key 11:7', 'missing-key 13:5', 'invalid-value 14:7', 'missing-env 18:9']);
    expect(r.diagnostics[1]!.message).toContain('expected one of: review, test');
    expect(r.diagnostics[4]!.address).toBe('pipeline.other/config.test');
  });
});
