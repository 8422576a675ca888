import { describe, expect, it } from 'vitest';
import { parseDesiredState } from '../../../src/config/index.js';

/**
 * One row per bad input: the exact diagnostics it must produce (line, col,
 * code, message) and nothing else. `app(...)` puts its body under
 * `apps: shop:`, so the body's first line is line 4 and its keys start at
 * column 5.
 */
const app = (body: string): string => `version: 1\napps:\n  shop:\n${body.replace(/^/gm, '    ')}\n`;

type Expected = [line: number | undefined, col: number | undefined, code: string, message: string];

interface Case {
  name: string;
  files: string | Record<string, string>;
  env?: Record<string, string>;
  expect: Expected[];
}

const billionLaughs = (() => {
  const lines = ['version: 1', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
  return lines.join('\n') + '\n';
})();

const cases: Case[] = [
  // YAML syntax and safety
  {
    name: 'unclosed flow sequence',
    files: 'version: 1\napps: [\n',
    expect: [[3, 1, 'yaml-syntax', 'YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]']],
  },
  { name: 'unclosed quote', files: app('region: "us'), expect: [[4, 13, 'yaml-syntax', 'the quoted string that starts here has no closing "']] },
  {
    name: 'duplicate top-level key',
    files: 'version: 1\nversion: 1\napps: {}\n',
    expect: [[2, 1, 'yaml-duplicate-key', 'the key "version" is declared twice in the same map (first at line 1, column 1)']],
  },
  {
    name: 'the same app twice in one file',
    files: 'version: 1\napps:\n  shop: {}\n  shop: {}\n',
    expect: [[4, 3, 'yaml-duplicate-key', 'the key "shop" is declared twice in the same map (first at line 3, column 3)']],
  },
  {
    name: 'billion laughs',
    files: billionLaughs,
    expect: [[3, 10, 'yaml-alias-limit', 'aliases refer to aliases too many times (a "billion laughs" document?): refusing to expand them']],
  },
  {
    name: 'an alias inside its own anchor',
    files: 'version: 1\napps: &a\n  shop: *a\n',
    expect: [[3, 9, 'yaml-bad-alias', 'alias *a refers to a value that contains it']],
  },
  {
    name: 'an alias without anchor',
    files: 'version: 1\napps: *nope\n',
    expect: [[2, 7, 'yaml-bad-alias', '*nope is read as a YAML alias, and no anchor &nope comes before it: if you meant the text *nope, quote it ("*nope")']],
  },
  {
    // Issue 15 §5: a wildcard domain written unquoted.
    name: 'an unquoted wildcard hostname',
    files: app('domains:\n  - *.shop.test'),
    expect: [[5, 9, 'yaml-bad-alias', '*.shop.test is read as a YAML alias, and no anchor &.shop.test comes before it: if you meant a wildcard hostname *.shop.test, quote it ("*.shop.test")']],
  },
  { name: '__proto__ key', files: app('config:\n  __proto__: x'), expect: [[5, 7, 'forbidden-key', 'the key "__proto__" is not allowed']] },
  { name: 'constructor key', files: 'version: 1\napps:\n  constructor: {}\n', expect: [[3, 3, 'forbidden-key', 'the key "constructor" is not allowed']] },
  { name: 'prototype key', files: app('prototype: {}'), expect: [[4, 5, 'forbidden-key', 'the key "prototype" is not allowed']] },
  {
    name: 'two merge keys in one map',
    files: 'version: 1\napps:\n  shop: &a {}\n  other:\n    <<: *a\n    <<: *a\n',
    expect: [[6, 5, 'yaml-duplicate-key', 'the key "<<" is declared twice in the same map (first at line 5, column 5): list the maps in one, <<: [*a, *b]']],
  },
  {
    name: 'too many aliases',
    files: 'version: 1\nx: &a x\napps:\n  shop:\n    config:\n' + Array.from({ length: 10_001 }, (_, i) => `      K${i}: *a\n`).join(''),
    expect: [[6, 11, 'yaml-alias-limit', 'the file has more than 10000 aliases: refusing to expand them']],
  },
  { name: 'merge key on a number', files: app('<<: 5'), expect: [[4, 5, 'yaml-merge-key', 'a "<<" merge key needs a map or an alias to one (e.g. <<: *defaults)']] },
  { name: 'NUL byte', files: 'version: 1\napps:\n  sh\0op: {}\n', expect: [[3, 5, 'file-binary', 'the file holds binary data (a NUL byte), not YAML text']] },
  { name: 'tab indentation', files: 'version: 1\napps:\n\tshop: {}\n', expect: [[3, 1, 'yaml-tab-indent', 'a tab is used for indentation: YAML indents with spaces only']] },
  {
    name: 'several documents',
    files: 'version: 1\napps: {}\n---\nversion: 1\n',
    expect: [[3, 1, 'yaml-multiple-documents', 'the file holds more than one YAML document (---): use one document per file']],
  },
  { name: 'deep flow nesting', files: 'version: 1\napps: ' + '['.repeat(5000) + '\n', expect: [[2, 71, 'yaml-too-complex', 'the YAML is nested more than 64 levels deep']] },
  {
    name: 'a flow list too long for the parser',
    files: 'version: 1\napps: [' + '1,'.repeat(20001) + '1]\n',
    expect: [[2, 40009, 'yaml-too-complex', 'a flow collection ([…] or {…}) has more than 20000 items: write it in block style']],
  },
  {
    name: 'deep block nesting',
    files: 'version: 1\napps:\n' + Array.from({ length: 80 }, (_, i) => ' '.repeat(2 * i + 2) + `k${i}:`).join('\n') + ' x\n',
    expect: [[67, 131, 'yaml-too-complex', 'the YAML is nested more than 64 levels deep']],
  },
  { name: 'unsupported tag', files: app('config:\n  A: !!binary aGk='), expect: [[5, 10, 'yaml-unsupported-tag', 'the YAML tag !!binary is not supported: remove it']] },
  { name: 'complex key', files: 'version: 1\napps:\n  ? [a, b]\n  : {}\n', expect: [[3, 5, 'yaml-complex-key', 'map keys must be plain strings, not lists or maps']] },
  {
    name: 'a file too large',
    files: { 'big.yaml': 'version: 1\n' + '#'.repeat(10 * 1024 * 1024) },
    expect: [[undefined, undefined, 'file-too-large', 'the file is 10 MB, over the 10 MB limit for one YAML file']],
  },

  // Shape of the file
  { name: 'empty file', files: '', expect: [[1, 1, 'empty-file', 'the file is empty: it needs at least "version: 1" and "apps:" or "defaults:"']] },
  { name: 'only comments', files: '# nothing\n', expect: [[1, 1, 'empty-file', 'the file is empty: it needs at least "version: 1" and "apps:" or "defaults:"']] },
  { name: 'top-level list', files: '- version: 1\n', expect: [[1, 1, 'top-level-not-map', 'the top level must be a map with version, apps and defaults, not a list']] },
  { name: 'top-level string', files: 'hello\n', expect: [[1, 1, 'top-level-not-map', 'the top level must be a map with version, apps and defaults, not a string']] },
  { name: 'no version', files: 'apps: {}\n', expect: [[1, 1, 'missing-key', 'the file needs "version: 1" at the top level']] },
  { name: 'version 2', files: 'version: 2\napps: {}\n', expect: [[1, 1, 'unsupported-version', 'version 2 is not supported: this dynoform reads version 1']] },
  { name: 'version as a string', files: 'version: "1"\napps: {}\n', expect: [[1, 1, 'unsupported-version', 'version must be the number 1, not a string']] },
  { name: 'misspelt top-level key', files: 'version: 1\napp: {}\n', expect: [[2, 1, 'unknown-key', 'unknown top-level key "app": did you mean "apps"?']] },
  { name: 'neither apps nor defaults', files: 'version: 1\n', expect: [[1, 1, 'no-apps', 'the file declares none of apps:, defaults:, pipelines:, teams: and account:']] },
  { name: 'apps as a list', files: 'version: 1\napps:\n  - shop\n', expect: [[2, 1, 'wrong-type', "apps must be a map from each app's key to its settings, not a list"]] },
  {
    name: 'an app without settings',
    files: 'version: 1\napps:\n  shop:\n',
    expect: [[3, 3, 'wrong-type', 'app "shop" is empty: it must be a map (write {} for an app with no settings)']],
  },

  // Apps
  { name: 'misspelt app field', files: app('regoin: eu'), expect: [[4, 5, 'unknown-key', 'unknown key "regoin" in app "shop": did you mean "region"?']] },
  {
    name: 'app key with capitals',
    files: 'version: 1\napps:\n  Shop_Staging: {}\n',
    expect: [[3, 3, 'invalid-app-key', 'app key "Shop_Staging" is not valid: use lower-case letters, digits and dashes, starting with a letter: did you mean "shop-staging"?']],
  },
  {
    name: 'app key too long',
    files: `version: 1\napps:\n  ${'a'.repeat(70)}: { name: shop }\n`,
    expect: [[3, 3, 'invalid-app-key', 'app key "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa..." is longer than 63 characters']],
  },
  {
    name: 'app key that is no Heroku name',
    files: 'version: 1\napps:\n  db: {}\n',
    expect: [
      [3, 3, 'invalid-app-name', 'app key "db" is not a valid Heroku app name (3 to 30 lower-case letters, digits and dashes, starting with a letter and not ending with a dash): rename it, or set name:'],
    ],
  },
  {
    name: 'invalid name',
    files: app('name: My App'),
    expect: [[4, 5, 'invalid-app-name', 'name "My App" is not a valid Heroku app name: 3 to 30 lower-case letters, digits and dashes, starting with a letter and not ending with a dash']],
  },
  {
    name: 'two apps with one Heroku name',
    files: 'version: 1\napps:\n  shop:\n    name: shop-one\n  other:\n    name: shop-one\n',
    expect: [[6, 5, 'duplicate-app-name', 'app "other" has the Heroku name "shop-one", as app "shop" does (at x.yaml:3:3)']],
  },
  {
    name: 'region in capitals',
    files: app('region: EU'),
    expect: [[4, 5, 'invalid-value', 'region "EU" is not valid: use lower-case letters, digits and dashes ("eu"?)']],
  },
  { name: 'maintenance quoted', files: app('maintenance: "true"'), expect: [[4, 5, 'wrong-type', 'maintenance of app "shop" must be true or false, without quotes']] },
  { name: 'protect as a number', files: app('protect: 0'), expect: [[4, 5, 'wrong-type', 'protect of app "shop" must be true or false, not a number']] },
  {
    name: 'misspelt config_mode',
    files: app('config_mode: exlusive'),
    expect: [[4, 5, 'invalid-value', 'config_mode of app "shop" must be "merge" or "exclusive": did you mean "exclusive"?']],
  },

  // Config
  { name: 'number as config value', files: app('config:\n  PORT: 5000'), expect: [[5, 7, 'config-value-not-string', 'config value for PORT must be a string: quote it ("5000")']] },
  { name: 'boolean as config value', files: app('config:\n  DEBUG: true'), expect: [[5, 7, 'config-value-not-string', 'config value for DEBUG must be a string: quote it ("true")']] },
  { name: 'float keeps its spelling', files: app('config:\n  RATIO: 1.10'), expect: [[5, 7, 'config-value-not-string', 'config value for RATIO must be a string: quote it ("1.10")']] },
  {
    name: 'null as config value',
    files: app('config:\n  EMPTY:'),
    expect: [[5, 7, 'config-value-not-string', 'config value for EMPTY is empty: write "" for an empty string, or remove the key']],
  },
  { name: 'map as config value', files: app('config:\n  NESTED: { a: b }'), expect: [[5, 7, 'config-value-not-string', 'config value for NESTED must be a string, not a map']] },
  {
    name: 'config key with a dash',
    files: app('config:\n  MY-KEY: x'),
    expect: [[5, 7, 'invalid-config-key', 'config key "MY-KEY" is not valid: use letters, digits and "_", not starting with a digit']],
  },
  {
    name: 'config key starting with a digit',
    files: app('config:\n  1ABC: x'),
    expect: [[5, 7, 'invalid-config-key', 'config key "1ABC" is not valid: use letters, digits and "_", not starting with a digit']],
  },
  { name: 'missing environment variable', files: app('config:\n  SECRET: ${env:NOPE}'), expect: [[5, 7, 'missing-env', 'config value for SECRET reads ${env:NOPE}, which is not set']] },
  {
    name: 'interpolation without env:',
    files: app('config:\n  URL: ${DATABASE_URL}'),
    expect: [[5, 7, 'invalid-interpolation', 'config value for URL has ${DATABASE_URL}: did you mean ${env:DATABASE_URL}? (write $${ for a literal "${")']],
  },
  {
    name: 'unterminated interpolation',
    files: app('config:\n  URL: ${env:FOO'),
    expect: [[5, 7, 'invalid-interpolation', 'config value for URL has ${env:FOO: it has no closing "}" (write $${ for a literal "${")']],
  },
  {
    name: 'empty variable name',
    files: app('config:\n  URL: ${env:}'),
    expect: [[5, 7, 'invalid-interpolation', 'config value for URL has ${env:}: an environment variable name is letters, digits and "_", not starting with a digit']],
  },

  // Add-ons
  {
    name: 'plan without service',
    files: app('addons:\n  db: heroku-postgresql'),
    expect: [[5, 7, 'invalid-plan', 'plan "heroku-postgresql" of add-on "db" must be written as "service:plan", e.g. "heroku-postgresql:essential-0" ("heroku-postgresql:<plan>"?)']],
  },
  {
    name: 'add-on without plan',
    files: app('addons:\n  db: { as: DATABASE }'),
    expect: [[5, 7, 'missing-key', 'add-on "db" needs a plan ("service:plan", e.g. "heroku-postgresql:essential-0")']],
  },
  {
    name: 'misspelt plan key',
    files: app('addons:\n  db: { plna: heroku-postgresql:essential-0 }'),
    expect: [[5, 13, 'unknown-key', 'unknown key "plna" in add-on "db": did you mean "plan"?']],
  },
  {
    name: 'add-on as a number',
    files: app('addons:\n  db: 5'),
    expect: [[5, 7, 'wrong-type', 'add-on "db" must be a "service:plan" string or a map with plan:, not a number']],
  },
  {
    name: 'attachment name used twice',
    files: app('addons:\n  db: { plan: heroku-postgresql:essential-0, as: DATABASE }\n  db2: { plan: heroku-postgresql:essential-0, as: database }'),
    expect: [[6, 51, 'duplicate-attachment', 'attachment name DATABASE is already used by add-on "db" (at x.yaml:5:50): attachment names must be unique in an app']],
  },
  {
    name: 'environment in provisioning options',
    files: app('addons:\n  db: { plan: a:b, config: { KEY: "${env:X}" } }'),
    expect: [
      [5, 34, 'interpolation-not-allowed', 'provisioning option KEY of add-on "db" cannot use ${…}: only config values and drain URLs read the environment (write $${ for a literal "${")'],
    ],
  },
  {
    name: 'one add-on name in two apps',
    files: 'version: 1\napps:\n  shop:\n    addons: { db: { plan: a:b, name: shared-db } }\n  other:\n    addons: { db: { plan: a:b, name: shared-db } }\n',
    expect: [[6, 15, 'duplicate-addon-name', 'add-on name "shared-db" is also used in app "shop" (at x.yaml:4:15): add-on names are unique across Heroku']],
  },

  // Formation
  { name: 'quantity over 100', files: app('formation:\n  web: 150'), expect: [[5, 7, 'invalid-formation-quantity', 'quantity of formation "web" must be from 0 to 100 (got 150)']] },
  {
    name: 'negative quantity',
    files: app('formation:\n  web: { quantity: -1 }'),
    expect: [[5, 14, 'invalid-formation-quantity', 'quantity of formation "web" must be from 0 to 100 (got -1)']],
  },
  {
    name: 'fractional quantity',
    files: app('formation:\n  web: 2.5'),
    expect: [[5, 7, 'invalid-formation-quantity', 'quantity of formation "web" must be a whole number from 0 to 100 (got 2.5)']],
  },
  {
    name: 'quoted quantity',
    files: app('formation:\n  web: "2"'),
    expect: [[5, 7, 'wrong-type', 'formation "web" must be a quantity (0 to 100), a map with quantity and size, or null (to opt out of the defaults), not a string (write 2 without quotes)']],
  },
  {
    name: 'unknown dyno size',
    files: app('formation:\n  web: { quantity: 1, size: standard-3X }'),
    expect: [[5, 27, 'unknown-dyno-size', 'dyno size "standard-3X" of formation "web" is not known: did you mean "standard-1X"?']],
  },
  { name: 'retired dyno size', files: app('formation:\n  web: { size: Hobby }'), expect: [[5, 14, 'unknown-dyno-size', 'dyno size "Hobby" of formation "web" was retired by Heroku: use "basic"']] },
  { name: 'empty formation entry', files: app('formation:\n  web: {}'), expect: [[5, 7, 'empty-formation', 'formation "web" needs a quantity or a size']] },
  {
    name: 'invalid process type',
    files: app('formation:\n  web app: 1'),
    expect: [[5, 7, 'invalid-process-type', 'process type "web app" is not valid: use letters, digits, "_" and "-" (at most 128)']],
  },

  // Domains and drains
  { name: 'invalid hostname', files: app('domains:\n  - -bad-.example.com'), expect: [[5, 9, 'invalid-hostname', '"-bad-.example.com" is not a valid hostname']] },
  {
    name: 'hostname with scheme',
    files: app('domains:\n  - https://www.example.com'),
    expect: [[5, 9, 'invalid-hostname', '"https://www.example.com" is not a valid hostname: write the hostname alone, without a scheme']],
  },
  {
    name: 'herokuapp.com domain',
    files: app('domains:\n  - shop.herokuapp.com'),
    expect: [[5, 9, 'heroku-domain', '"shop.herokuapp.com" is a domain Heroku manages itself: declare custom domains only']],
  },
  {
    name: 'the same domain twice, in any case',
    files: app('domains:\n  - www.example.com\n  - WWW.Example.com'),
    expect: [[6, 9, 'duplicate-domain', 'domain "www.example.com" is listed twice (first at x.yaml:5:9)']],
  },
  {
    name: 'one domain in two apps',
    files: 'version: 1\napps:\n  shop:\n    domains: [www.example.com]\n  other:\n    domains: [www.example.com]\n',
    expect: [[6, 15, 'duplicate-domain', 'domain "www.example.com" is also declared by app "shop" (at x.yaml:4:15): a hostname belongs to one app']],
  },
  {
    name: 'sni_endpoint as a number',
    files: app('domains:\n  - { hostname: a.example.com, sni_endpoint: 5 }'),
    expect: [[5, 36, 'wrong-type', 'sni_endpoint of domains entry 1 must be a string or null, not a number']],
  },
  {
    name: 'plain http drain (credentials masked)',
    files: app('drains:\n  - http://user:pw@logs.example.com'),
    expect: [[5, 9, 'invalid-drain-url', 'drain URL "http://***@logs.example.com" must start with https://, syslog:// or syslog+tls://']],
  },
  {
    name: 'drain from the environment with a wrong scheme (value not shown)',
    files: app('drains:\n  - ${env:DRAIN}'),
    env: { DRAIN: 'ftp://user:hunter2@logs.example.com' },
    expect: [[5, 9, 'invalid-drain-url', 'drain URL built from ${env:DRAIN} is not a valid https://, syslog:// or syslog+tls:// URL']],
  },
  {
    name: 'the same drain twice',
    files: app('drains:\n  - https://a.example.com\n  - { url: https://a.example.com }'),
    expect: [[6, 9, 'duplicate-drain', 'drains entry 2 is the same URL as entry 1 (at line 5)']],
  },

  // Sets of files
  {
    name: 'one app in two files',
    files: { 'a.yaml': 'version: 1\napps:\n  shop: {}\n', 'b.yaml': 'version: 1\napps:\n  other: {}\n  shop: {}\n' },
    expect: [[4, 3, 'duplicate-app', 'app "shop" is declared twice (first at a.yaml:3:3)']],
  },
  {
    name: 'one default set in two files',
    files: { 'a.yaml': 'version: 1\ndefaults:\n  region: us\n', 'b.yaml': 'version: 1\ndefaults:\n  region: eu\n' },
    expect: [[3, 3, 'conflicting-defaults', 'defaults.region is also set in the defaults at a.yaml:3:3: set each default once']],
  },
  { name: 'defaults with a name', files: 'version: 1\ndefaults:\n  name: shop\n', expect: [[3, 3, 'unknown-key', 'defaults cannot set name: every app has its own']] },
  // Issue 15 §5: one mistake, one diagnostic; every mistake at once.
  {
    name: 'children of config: at its own indentation',
    files: app('config:\nRAILS_ENV: production\nLOG_LEVEL: info'),
    expect: [
      [
        4,
        5,
        'mis-indented',
        'config of app "shop" is empty, and the keys below it (RAILS_ENV, LOG_LEVEL) are read as keys of the app: they are indented as far as config: is; indent them under it (two more spaces)',
      ],
    ],
  },
  {
    name: 'children of a defaults field at its own indentation',
    files: 'version: 1\ndefaults:\n  addons:\n  db: heroku-postgresql:essential-0\napps:\n  shop: {}\n',
    expect: [
      [
        3,
        3,
        'mis-indented',
        'addons of defaults is empty, and the keys below it (db) are read as keys of the defaults: they are indented as far as addons: is; indent them under it (two more spaces)',
      ],
    ],
  },
  {
    name: 'a bad quantity and a bad size in one formation entry',
    files: app('formation:\n  web: { quantity: -1, size: huge-9 }'),
    expect: [
      [5, 14, 'invalid-formation-quantity', 'quantity of formation "web" must be from 0 to 100 (got -1)'],
      [5, 28, 'unknown-dyno-size', expect.stringMatching(/^dyno size "huge-9" of formation "web" is not known \(known sizes: eco, basic, standard-1X/) as unknown as string],
    ],
  },
  {
    name: 'a missing variable in defaults, inherited by two apps',
    files: 'version: 1\ndefaults:\n  config:\n    DSN: ${env:NOPE}\napps:\n  api: {}\n  web: {}\n  own:\n    config: { DSN: x }\n',
    expect: [[4, 5, 'missing-env', 'config value for DSN reads ${env:NOPE}, which is not set (in apps api and web, from defaults)']],
  },
];

describe('bad inputs: one clear diagnostic each, at its line and column', () => {
  it('has at least 40 rows', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const sources = typeof c.files === 'string' ? [{ file: 'x.yaml', text: c.files }] : Object.entries(c.files).map(([file, text]) => ({ file, text }));
    const result = parseDesiredState(sources, { env: c.env ?? {} });
    const got = result.diagnostics.map((d) => [d.line, d.col, d.code, d.message]);
    expect(got).toEqual(c.expect);
    expect(result.diagnostics.every((d) => d.severity === 'error')).toBe(true);
    expect(result.desired).toBeUndefined();
    // Each names its file, and the file is one of those given.
    for (const d of result.diagnostics) expect(sources.map((s) => s.file)).toContain(d.file);
  });
});
