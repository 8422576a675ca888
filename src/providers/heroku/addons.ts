import type { LiveAddon, LiveAddonAttachment } from '../../model/live.js';
import type { ApiAddon, ApiAttachment } from './api-types.js';
import type { HerokuClient } from './client.js';
import { AbortedError, ProvisioningError } from './errors.js';
import { orUndefined, seg, type WriteOptions } from './paths.js';
import { setTimeout as sleep } from 'node:timers/promises';

/** An attachment as listed account-wide: which add-on it belongs to, and the app it injects vars into. */
export interface AttachmentRecord extends LiveAddonAttachment {
  addonId: string;
  addonName: string;
  /** The add-on's billing app. */
  addonAppId: string;
}

export function toLiveAddon(a: ApiAddon, etag?: string): LiveAddon {
  return {
    id: a.id,
    name: a.name,
    plan: a.plan?.name ?? '',
    service: a.addon_service?.name ?? (a.plan?.name ?? '').split(':')[0] ?? '',
    state: a.state,
    appId: a.app?.id ?? '',
    appName: a.app?.name ?? '',
    configVars: Array.isArray(a.config_vars) ? [...a.config_vars] : [],
    attachments: [],
    ...(a.provision_message ? { provisionMessage: a.provision_message } : {}),
    ...(etag ? { etag } : {}),
  };
}

export function toAttachment(a: ApiAttachment): AttachmentRecord {
  return {
    id: a.id,
    name: a.name,
    appId: a.app?.id ?? '',
    appName: a.app?.name ?? '',
    addonId: a.addon?.id ?? '',
    addonName: a.addon?.name ?? '',
    addonAppId: a.addon?.app?.id ?? '',
  };
}

/** Every add-on of the account (paged); `attachments` are empty until joined with listAttachments. */
export async function listAddons(client: HerokuClient, opts: { signal?: AbortSignal } = {}): Promise<LiveAddon[]> {
  const { items } = await client.list<ApiAddon>('/addons', { ...opts, shape: 'addon' });
  return items.map((a) => toLiveAddon(a));
}

/** Every add-on attachment of the account (paged). */
export async function listAttachments(client: HerokuClient, opts: { signal?: AbortSignal } = {}): Promise<AttachmentRecord[]> {
  const { items } = await client.list<ApiAttachment>('/addon-attachments', { ...opts, shape: 'attachment' });
  return items.map(toAttachment);
}

/** Fills each add-on's `attachments` from the account-wide attachment list. */
export function joinAttachments(addons: LiveAddon[], attachments: AttachmentRecord[]): LiveAddon[] {
  const byAddon = new Map<string, LiveAddonAttachment[]>();
  for (const at of attachments) {
    const list = byAddon.get(at.addonId) ?? [];
    list.push({ id: at.id, name: at.name, appId: at.appId, appName: at.appName });
    byAddon.set(at.addonId, list);
  }
  return addons.map((a) => ({ ...a, attachments: byAddon.get(a.id) ?? [] }));
}

/** One add-on as the app sees it (with its ETag); `attachments` are not part of this response. */
export async function getAddon(
  client: HerokuClient,
  app: string,
  addonIdOrName: string,
  opts: { signal?: AbortSignal } = {},
): Promise<LiveAddon> {
  const res = await client.get<ApiAddon>(`/apps/${seg(app)}/addons/${seg(addonIdOrName)}`, { ...opts, shape: 'addon' });
  return toLiveAddon(res.body, res.etag);
}

export interface AddonSpec {
  /** `service:plan` */
  plan: string;
  /** Attachment name (config-var prefix). */
  as?: string;
  /** Globally unique add-on name. */
  name?: string;
  /** Provisioning options. */
  config?: Record<string, string>;
}

const serviceOf = (plan: string): string => plan.split(':')[0] ?? plan;

/**
 * Provisions an add-on on `app`. A create is never sent twice blindly:
 * after an ambiguous failure the client looks for it by add-on name, else by
 * attachment name, else among the app's add-ons that were not there before
 * (that snapshot costs one request, and only when neither name is given).
 * The add-on may come back `provisioning`: see waitProvisioned.
 */
export async function createAddon(client: HerokuClient, app: string, spec: AddonSpec, opts: WriteOptions = {}): Promise<LiveAddon> {
  const signal = opts.signal;
  const appPath = `/apps/${seg(app)}`;
  const matches = (a: ApiAddon | undefined): a is ApiAddon =>
    a !== undefined && (a.plan?.name === spec.plan || a.addon_service?.name === serviceOf(spec.plan));

  let readBack: () => Promise<ApiAddon | undefined>;
  if (spec.name) {
    const name = spec.name;
    readBack = async () => {
      const got = (await orUndefined(() => client.get<ApiAddon>(`/addons/${seg(name)}`, { signal, shape: 'addon' })))?.body;
      return matches(got) ? got : undefined;
    };
  } else if (spec.as) {
    const as = spec.as;
    readBack = async () => {
      const at = await orUndefined(() => client.get<ApiAttachment>(`${appPath}/addon-attachments/${seg(as)}`, { signal, shape: 'attachment' }));
      if (!at) return undefined;
      const got = (await orUndefined(() => client.get<ApiAddon>(`${appPath}/addons/${seg(at.body.addon.id)}`, { signal, shape: 'addon' })))?.body;
      return matches(got) ? got : undefined;
    };
  } else {
    const before = new Set((await client.list<ApiAddon>(`${appPath}/addons`, { signal, shape: 'addon' })).items.map((a) => a.id));
    readBack = async () => {
      const now = (await client.list<ApiAddon>(`${appPath}/addons`, { signal, shape: 'addon' })).items;
      return now.find((a) => !before.has(a.id) && matches(a));
    };
  }

  const body: Record<string, unknown> = { plan: spec.plan };
  if (spec.as) body.attachment = { name: spec.as };
  if (spec.name) body.name = spec.name;
  if (spec.config && Object.keys(spec.config).length) body.config = spec.config;
  const res = await client.request<ApiAddon>('POST', `${appPath}/addons`, { body, shape: 'addon', ...opts, readBack });
  return toLiveAddon(res.body, res.etag);
}

/** Changes the plan (the API's only in-place add-on change). */
export async function updateAddonPlan(
  client: HerokuClient,
  app: string,
  addonId: string,
  plan: string,
  ifMatch?: string,
  opts: WriteOptions = {},
): Promise<LiveAddon> {
  const path = `/apps/${seg(app)}/addons/${seg(addonId)}`;
  let readBackEtag: string | undefined;
  const res = await client.request<ApiAddon>('PATCH', path, {
    body: { plan },
    shape: 'addon',
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...opts,
    readBack: async () => {
      const got = await orUndefined(() => client.get<ApiAddon>(path, { signal: opts.signal, shape: 'addon' }));
      readBackEtag = got?.etag;
      return got?.body.plan?.name === plan ? got.body : undefined;
    },
  });
  return toLiveAddon(res.body, res.recovered ? readBackEtag : res.etag);
}

/** Deprovisions an add-on; resolves also when a retry finds it already gone. */
export async function deleteAddon(
  client: HerokuClient,
  app: string,
  addonId: string,
  ifMatch?: string,
  opts: WriteOptions = {},
): Promise<void> {
  await client.request<ApiAddon>('DELETE', `/apps/${seg(app)}/addons/${seg(addonId)}`, {
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...opts,
  });
}

export interface WaitOptions {
  /** Give up after this long. */
  timeoutMs: number;
  /** Called before each pause, e.g. to report progress. */
  onWait?: (ms: number, addon: LiveAddon) => void;
  /** First pause (doubles up to maxIntervalMs). Default 1 s. */
  intervalMs?: number;
  /** Default 15 s. */
  maxIntervalMs?: number;
  signal?: AbortSignal;
}

/**
 * Polls an add-on until it is `provisioned`. A provider failure
 * (`deprovisioned`) or the timeout raises ProvisioningError carrying the
 * provider's `provision_message`.
 */
export async function waitProvisioned(client: HerokuClient, app: string, addonId: string, opts: WaitOptions): Promise<LiveAddon> {
  const start = performance.now();
  let interval = opts.intervalMs ?? 1000;
  const maxInterval = opts.maxIntervalMs ?? 15_000;
  for (;;) {
    const addon = await getAddon(client, app, addonId, { signal: opts.signal });
    if (addon.state === 'provisioned') return addon;
    const why = addon.provisionMessage ? `: ${addon.provisionMessage}` : '';
    if (addon.state === 'deprovisioned') {
      throw new ProvisioningError(`add-on ${addon.name} (${addon.plan}) failed to provision${why}`, addon.id, addon.name, addon.state, addon.provisionMessage, false);
    }
    const elapsed = performance.now() - start;
    if (elapsed >= opts.timeoutMs) {
      throw new ProvisioningError(
        `add-on ${addon.name} (${addon.plan}) is still ${addon.state} after ${Math.round(elapsed / 1000)}s${why}; ` +
          `it may finish later — run plan again to check`,
        addon.id,
        addon.name,
        addon.state,
        addon.provisionMessage,
        true,
      );
    }
    const ms = Math.min(interval, Math.max(0, opts.timeoutMs - elapsed));
    opts.onWait?.(ms, addon);
    try {
      await sleep(ms, undefined, opts.signal ? { signal: opts.signal } : undefined);
    } catch {
      throw new AbortedError();
    }
    interval = Math.min(maxInterval, interval * 2);
  }
}
