import { Ajv, type ErrorObject } from 'ajv';

/**
 * The shape of a state file, checked before any of it is used. State is
 * input like any other (it may be edited by hand, merged badly in Git, or
 * planted): besides types, every map's keys are checked, so a key such as
 * `__proto__` is refused here instead of reaching code that indexes objects
 * with it. App keys follow the YAML's rule; other maps refuse only the
 * names that mean something to JavaScript objects.
 */
const SAFE_KEY = { not: { enum: ['__proto__', 'constructor', 'prototype'] } };
const map = (values: object = { type: 'object' }): object => ({ type: 'object', propertyNames: SAFE_KEY, additionalProperties: values });

export const STATE_SCHEMA = {
  type: 'object',
  required: ['version', 'lineage', 'serial', 'apps'],
  propertyNames: SAFE_KEY,
  properties: {
    version: { type: 'integer', minimum: 1 },
    lineage: { type: 'string', minLength: 1 },
    serial: { type: 'integer', minimum: 0 },
    teams: map({
      type: 'object',
      required: ['members'],
      properties: { members: map({ type: 'object', required: ['id', 'role'], properties: { id: { type: 'string', minLength: 1 }, role: { type: 'string', minLength: 1 } } }) },
    }),
    account: {
      type: 'object',
      required: ['features'],
      properties: { features: map({ type: 'object', required: ['enabled'], properties: { enabled: { type: 'boolean' } } }) },
    },
    apps: {
      type: 'object',
      propertyNames: { pattern: '^[a-z][a-z0-9-]*$', maxLength: 63 },
      additionalProperties: {
        type: 'object',
        propertyNames: SAFE_KEY,
        properties: {
          config: map(),
          addons: map(),
          domains: map(),
          drains: map(),
          formation: map(),
          features: map(),
          collaborators: map(),
          webhooks: map(),
          attachments: map(),
          // The record a plan skips a config read by: malformed, it must be refused, not trusted.
          observed: {
            type: 'object',
            required: ['releasedAt', 'readAt', 'vars'],
            propertyNames: SAFE_KEY,
            properties: {
              releasedAt: { type: 'string', minLength: 1, maxLength: 64 },
              readAt: { type: 'string', minLength: 1, maxLength: 64 },
              etag: { type: 'string', maxLength: 1024 },
              vars: map({ type: ['string', 'null'] }),
              addonVars: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
    },
    pipelines: {
      type: 'object',
      propertyNames: { pattern: '^[a-z][a-z0-9-]*$', maxLength: 63 },
      additionalProperties: {
        type: 'object',
        propertyNames: SAFE_KEY,
        properties: {
          couplings: map(),
          stageConfig: { type: 'object', propertyNames: { enum: ['review', 'test'] }, additionalProperties: map() },
          reviewApps: { type: 'object', required: ['repo'], properties: { repo: { type: 'string', minLength: 1 } } },
        },
      },
    },
  },
} as const;

let validate: ReturnType<Ajv['compile']> | undefined;

/** The first structural problem as `path: problem`, or undefined. */
export function stateSchemaProblem(value: unknown): string | undefined {
  validate ??= new Ajv({ strict: false, allErrors: false }).compile(STATE_SCHEMA);
  if (validate(value)) return undefined;
  return describe(validate.errors?.[0]);
}

function describe(e: ErrorObject | undefined): string {
  if (!e) return 'the top level: not a state file';
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
  const where = path === '' ? 'the top level' : path;
  const params = e.params as Record<string, unknown>;
  // ajv reports a bad key as the failing keyword of propertyNames (pattern, not, …) with its name.
  const keyword = e.propertyName !== undefined || params.propertyName !== undefined ? 'propertyNames' : e.keyword;
  if (params.propertyName === undefined && e.propertyName !== undefined) params.propertyName = e.propertyName;
  switch (keyword) {
    case 'propertyNames':
      return `${where}: key ${JSON.stringify(String(params.propertyName))} is not allowed${path === 'apps' ? ' (app keys are lowercase letters, digits and dashes, as in the YAML)' : ''}`;
    case 'required':
      return `${path === '' ? '' : `${path}.`}${String(params.missingProperty)}: is missing`;
    case 'type':
      return `${where}: must be ${params.type === 'integer' ? 'a whole number' : `an ${String(params.type)}`}`;
    case 'minLength':
      return `${where}: must be a non-empty string`;
    case 'minimum':
      return `${where}: must be >= ${String(params.limit)}`;
    default:
      return `${where}: ${e.message ?? 'is invalid'}`;
  }
}
