import type { Address, ParsedAddress, ResourceKind } from '../model/address.js';

const KINDS: readonly ResourceKind[] = ['config', 'addon', 'formation', 'domain', 'drain', 'buildpacks', 'feature'];

/** `app.shop`, or `app.shop/<kind>` for a grouped change, or `app.shop/<kind>.<key>`. */
export function formatAddress(app: string, kind: ResourceKind = 'app', key?: string): Address {
  if (kind === 'app') return `app.${app}`;
  return key === undefined ? `app.${app}/${kind}` : `app.${app}/${kind}.${key}`;
}

/** Inverse of formatAddress; undefined when the text is not an address. */
export function parseAddress(address: string): ParsedAddress | undefined {
  const m = /^app\.([a-z][a-z0-9-]*)(?:\/([a-z]+)(?:\.(.+))?)?$/.exec(address);
  if (!m) return undefined;
  const app = m[1]!;
  if (m[2] === undefined) return { app, kind: 'app' };
  const kind = m[2] as ResourceKind;
  if (!KINDS.includes(kind)) return undefined;
  return m[3] === undefined ? { app, kind } : { app, kind, key: m[3] };
}
