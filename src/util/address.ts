import type { Address, AppChildKind, ParsedAddress } from '../model/address.js';

const KINDS: readonly AppChildKind[] = ['config', 'addon', 'formation', 'domain', 'drain', 'buildpacks', 'feature', 'certificate', 'acm', 'team', 'collaborator', 'webhook', 'attachment'];

/** `app.shop`, or `app.shop/<kind>` for a grouped change, or `app.shop/<kind>.<key>`. */
export function formatAddress(app: string, kind: 'app' | AppChildKind = 'app', key?: string): Address {
  if (kind === 'app') return `app.${app}`;
  return key === undefined ? `app.${app}/${kind}` : `app.${app}/${kind}.${key}`;
}

/** Inverse of formatAddress; undefined when the text is not an address. */
export function parseAddress(address: string): ParsedAddress | undefined {
  const m = /^app\.([a-z][a-z0-9-]*)(?:\/([a-z]+)(?:\.(.+))?)?$/.exec(address);
  if (!m) return undefined;
  const app = m[1]!;
  if (m[2] === undefined) return { app, kind: 'app' };
  const kind = m[2] as AppChildKind;
  if (!KINDS.includes(kind)) return undefined;
  return m[3] === undefined ? { app, kind } : { app, kind, key: m[3] };
}

/** A pipeline's own address, or one of its parts: a coupling (by app key), a stage's config, its review apps. */
export type PipelinePart = { coupling: string } | { config: string } | { reviewApps: true };

/** `pipeline.shop`, `pipeline.shop/coupling.<app key>`, `pipeline.shop/config.<stage>` or `pipeline.shop/review-apps`. */
export function formatPipelineAddress(pipeline: string, part?: string | PipelinePart): Address {
  if (part === undefined) return `pipeline.${pipeline}`;
  if (typeof part === 'string') return `pipeline.${pipeline}/coupling.${part}`;
  if ('coupling' in part) return `pipeline.${pipeline}/coupling.${part.coupling}`;
  if ('config' in part) return `pipeline.${pipeline}/config.${part.config}`;
  return `pipeline.${pipeline}/review-apps`;
}

/** Inverse of formatPipelineAddress; undefined when the text is not a pipeline address. */
export function parsePipelineAddress(address: string): { pipeline: string; coupling?: string; config?: string; reviewApps?: true } | undefined {
  const m = /^pipeline\.([a-z][a-z0-9-]*)(?:\/(?:coupling\.([a-z][a-z0-9-]*)|config\.(review|test)|(review-apps)))?$/.exec(address);
  if (!m) return undefined;
  const pipeline = m[1]!;
  if (m[2] !== undefined) return { pipeline, coupling: m[2] };
  if (m[3] !== undefined) return { pipeline, config: m[3] };
  if (m[4] !== undefined) return { pipeline, reviewApps: true };
  return { pipeline };
}

/** `team.acme` (its members as a group), or `team.acme/member.<e-mail>` for one member. */
export function formatMemberAddress(team: string, email?: string): Address {
  return email === undefined ? `team.${team}` : `team.${team}/member.${email}`;
}

/** Inverse of formatMemberAddress; undefined when the text is not a team address. */
export function parseMemberAddress(address: string): { team: string; email?: string } | undefined {
  const m = /^team\.([a-z][a-z0-9-]*)(?:\/member\.([^\s/]+@[^\s/]+))?$/.exec(address);
  if (!m) return undefined;
  return m[2] === undefined ? { team: m[1]! } : { team: m[1]!, email: m[2].toLowerCase() };
}

/** `account` (its features as a group), or `account/feature.<name>`. */
export function formatAccountAddress(feature?: string): Address {
  return feature === undefined ? 'account' : `account/feature.${feature}`;
}

/** Inverse of formatAccountAddress; undefined when the text is not an account address. */
export function parseAccountAddress(address: string): { feature?: string } | undefined {
  const m = /^account(?:\/feature\.([a-z0-9][a-z0-9._-]*))?$/.exec(address);
  if (!m) return undefined;
  return m[1] === undefined ? {} : { feature: m[1] };
}
