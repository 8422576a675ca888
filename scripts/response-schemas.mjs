#!/usr/bin/env node
// Derives the JSON schemas that src/providers/heroku checks API responses
// against from the official Platform API schema, keeping only the fields
// dynoform reads (NEEDS below). Types and enums come from the official
// schema; formats and patterns are left out (the API's own values do not
// always meet them, and a value dynoform does not interpret cannot hurt it).
//
//   node scripts/response-schemas.mjs            rewrite src/providers/heroku/response-schemas.ts
//   node scripts/response-schemas.mjs --check    exit 1 when that file is out of date
//
// A provider module that reads a new resource or field adds it to NEEDS and
// runs the script; test/unit/providers/heroku/response-schemas.test.ts fails
// when the file and the official schema disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'src/providers/heroku/response-schemas.ts');
const SCHEMA = join(root, 'test/fixtures/heroku-api/schema.json');

/**
 * shape name → official definition and the fields dynoform reads:
 * `req` must be there with the official type; `opt` may be missing;
 * `opt-null` may also be null (the API sends null where the schema is silent).
 */
export const NEEDS = {
  app: {
    definition: 'app',
    fields: { id: 'req', name: 'req', 'region.name': 'req', 'stack.name': 'req', 'build_stack.name': 'opt', maintenance: 'req', team: 'opt-null', 'team.name': 'opt', released_at: 'opt-null', acm: 'opt' },
  },
  addon: {
    definition: 'add-on',
    fields: {
      id: 'req',
      name: 'req',
      'plan.name': 'req',
      'addon_service.name': 'req',
      state: 'req',
      'app.id': 'req',
      'app.name': 'req',
      config_vars: 'opt-null',
      provision_message: 'opt-null',
    },
  },
  attachment: {
    definition: 'add-on-attachment',
    fields: { id: 'req', name: 'req', 'addon.id': 'req', 'addon.name': 'req', 'addon.app.id': 'req', 'app.id': 'req', 'app.name': 'req' },
  },
  'config-vars': { definition: 'config-var', map: 'config_vars' },
  // Not in the official schema: the repositories-api variant (`GET /pipelines/{id}/repo`) that the Heroku
  // CLI reads for a pipeline's GitHub repository, the only place its name shows. Written by hand.
  'pipeline-repo': { literal: { type: 'object', required: ['full_name'], properties: { full_name: { type: ['string'], minLength: 1 } } } },
  'pipeline-config-vars': { definition: 'pipeline-config-var', map: 'config_vars' },
  'review-app-config': {
    definition: 'review-app-config',
    fields: {
      'repo.id': 'opt',
      automatic_review_apps: 'req',
      destroy_stale_apps: 'req',
      stale_days: 'opt-null',
      wait_for_ci: 'req',
      base_name: 'opt-null',
      deploy_target: 'opt-null',
      'deploy_target.id': 'opt',
      'deploy_target.type': 'opt',
    },
  },
  formation: {
    definition: 'formation',
    fields: { id: 'req', type: 'req', quantity: 'req', size: 'opt', 'dyno_size.name': 'opt', command: 'opt-null' },
  },
  domain: {
    definition: 'domain',
    fields: { id: 'req', hostname: 'req', kind: 'req', cname: 'req', sni_endpoint: 'opt', 'sni_endpoint.id': 'opt', 'sni_endpoint.name': 'opt' },
  },
  drain: {
    definition: 'log-drain',
    fields: { id: 'req', url: 'req', token: 'req', addon: 'opt', 'addon.id': 'opt' },
  },
  'rate-limit': { definition: 'rate-limit', fields: { remaining: 'req' } },
  pipeline: { definition: 'pipeline', fields: { id: 'req', name: 'req', owner: 'opt-null', 'owner.id': 'opt', 'owner.type': 'opt' } },
  'pipeline-coupling': { definition: 'pipeline-coupling', fields: { id: 'req', stage: 'req', 'app.id': 'req', 'pipeline.id': 'req' } },
  team: { definition: 'team', fields: { id: 'req', name: 'req' } },
  buildpack: {
    definition: 'buildpack-installation',
    fields: { ordinal: 'req', buildpack: 'req', 'buildpack.url': 'req', 'buildpack.name': 'opt-null' },
  },
  'team-app': { definition: 'team-app', fields: { id: 'req', name: 'req', locked: 'opt', team: 'opt-null', 'team.name': 'opt' } },
  collaborator: {
    definition: 'team-app-collaborator',
    fields: { id: 'req', 'user.email': 'req', role: 'opt-null', permissions: 'opt' },
  },
  webhook: {
    definition: 'app-webhook#app_webhook',
    fields: { id: 'req', url: 'req', include: 'req', level: 'req', updated_at: 'req' },
  },
  'sni-endpoint': {
    definition: 'sni-endpoint',
    fields: { id: 'req', name: 'req', certificate_chain: 'req', ssl_cert: 'opt', 'ssl_cert.cert_domains': 'opt', 'ssl_cert.expires_at': 'opt' },
  },
  feature: {
    definition: 'app-feature',
    fields: { id: 'req', name: 'req', enabled: 'req', state: 'opt', description: 'opt' },
  },
  // The catalogue a plan checks names against (issue 15 §2).
  region: { definition: 'region', fields: { name: 'req', private_capable: 'req' } },
  stack: { definition: 'stack', fields: { name: 'req', state: 'req' } },
  'dyno-size': { definition: 'dyno-size', fields: { name: 'req', private_space_only: 'opt' } },
  plan: { definition: 'plan', fields: { name: 'req', installable_outside_private_network: 'opt' } },
  'addon-service': { definition: 'add-on-service', fields: { name: 'req', supports_multiple_installations: 'opt' } },
  // `role` without its enum: the schema's response enum (admin, collaborator, member, owner) lacks
  // `viewer`, which its own create link accepts and the API answers; the planner checks roles itself.
  account: { definition: 'account', fields: { id: 'req', email: 'req' } },
  'team-member': { definition: 'team-member', fields: { id: 'req', email: 'req', role: 'req-no-enum' } },
};

const official = JSON.parse(readFileSync(SCHEMA, 'utf8'));

function resolve(node) {
  let n = node;
  for (let i = 0; n && n.$ref && i < 20; i++) {
    n = n.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((acc, p) => acc?.[p.replace(/~1/g, '/').replace(/~0/g, '~')], official);
  }
  if (!n) throw new Error(`unresolvable ${JSON.stringify(node)}`);
  return n;
}

function property(def, path) {
  // `app-webhook#app_webhook`: a definition whose properties live in one of its own definitions.
  const [top, sub] = def.split('#');
  let node = resolve(sub === undefined ? official.definitions[top] : official.definitions[top].definitions[sub]);
  for (const part of path) {
    node = resolve(node.properties?.[part] ?? (() => { throw new Error(`${def}: no property ${path.join('.')} in the official schema`); })());
  }
  return node;
}

/** The checked part of one leaf: its type(s) and enum. */
function leaf(node, mode) {
  const types = [].concat(node.type ?? []);
  const out = {};
  if (types.length) out.type = mode === 'opt-null' && !types.includes('null') ? [...types, 'null'] : types;
  if (node.enum && mode !== 'req-no-enum') out.enum = mode === 'opt-null' && !node.enum.includes(null) ? [...node.enum, null] : node.enum;
  if (node.items && types.includes('array')) out.items = leaf(resolve(node.items), 'req');
  // An id, name or URL that is there but empty would read as a rename or a removal.
  if (mode === 'req' && types.length === 1 && types[0] === 'string' && !node.enum) out.minLength = 1;
  return out;
}

function build(name, need) {
  if (need.literal) return need.literal;
  if (need.map) {
    const node = resolve(official.definitions[need.definition].definitions[need.map]);
    const values = Object.values(node.patternProperties ?? {})[0] ?? {};
    // Names are not checked: a var the pattern does not foresee is still a var.
    return { type: 'object', additionalProperties: leaf(resolve(values), 'req') };
  }
  const rootSchema = { type: 'object', properties: {}, required: [] };
  const paths = Object.entries(need.fields).sort(([a], [b]) => a.split('.').length - b.split('.').length);
  for (const [field, mode] of paths) {
    const parts = field.split('.');
    let at = rootSchema;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      const last = i === parts.length - 1;
      if (last) {
        const officialNode = property(need.definition, parts);
        const existing = at.properties[p];
        at.properties[p] = { ...leaf(officialNode, mode), ...(existing?.properties ? { properties: existing.properties, required: existing.required } : {}) };
        if ((mode === 'req' || mode === 'req-no-enum') && !at.required.includes(p)) at.required.push(p);
      } else {
        if (!at.properties[p]) {
          const officialNode = property(need.definition, parts.slice(0, i + 1));
          at.properties[p] = { ...leaf(officialNode, 'req'), properties: {}, required: [] };
          // A parent of a required field is itself required.
          if (mode === 'req' && !at.required.includes(p)) at.required.push(p);
        } else {
          at.properties[p].properties ??= {};
          at.properties[p].required ??= [];
          if (mode === 'req' && !at.required.includes(p)) at.required.push(p);
        }
        at = at.properties[p];
      }
    }
  }
  const prune = (s) => {
    if (s.required && s.required.length === 0) delete s.required;
    for (const v of Object.values(s.properties ?? {})) prune(v);
    return s;
  };
  void name;
  return prune(rootSchema);
}

const schemas = Object.fromEntries(Object.entries(NEEDS).map(([name, need]) => [name, build(name, need)]));
const text =
  `// Generated by scripts/response-schemas.mjs from the official Platform API schema\n` +
  `// (test/fixtures/heroku-api/schema.json): only the fields dynoform reads. Do not edit.\n\n` +
  `export const RESPONSE_SCHEMAS = ${JSON.stringify(schemas, null, 1)} as const;\n\n` +
  `export type ResponseShape = keyof typeof RESPONSE_SCHEMAS;\n`;

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(OUT, 'utf8');
  } catch {
    // missing counts as out of date
  }
  if (current !== text) {
    console.error(`${OUT} is out of date: run node scripts/response-schemas.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}`);
}
