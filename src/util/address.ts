import type { Address, AppChildKind, ParsedAddress } from '../model/address.js';

const KINDS: readonly AppChildKind[] = ['config', 'addon', 'formation', 'domain', 'drain', 'buildpacks', 'feature', 'team', 'collaborator', 'webhook', 'attachment'];

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

/** `pipeline.shop`, or `pipeline.shop/coupling.<app key>` for one of its couplings. */
export function formatPipelineAddress(pipeline: string, couplingApp?: string): Address {
  return couplingApp === undefined ? `pipeline.${pipeline}` : `pipeline.${pipeline}/coupling.${couplingApp}`;
}

/** Inverse of formatPipelineAddress; undefined when the text is not a pipeline address. */
export function parsePipelineAddress(address: string): { pipeline: string; coupling?: string } | undefined {
  const m = /^pipeline\.([a-z][a-z0-9-]*)(?:\/coupling\.([a-z][a-z0-9-]*))?$/.exec(address);
  if (!m) return undefined;
  return m[2] === undefined ? { pipeline: m[1]! } : { pipeline: m[1]!, coupling: m[2] };
}
