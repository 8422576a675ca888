import type {
  Inventory,
  InventoryAddon,
  InventoryApp,
  InventoryCertificate,
  InventoryConfigKey,
  InventoryCoupling,
  InventoryDomain,
  InventoryDrain,
  InventoryCollaborator,
  InventoryWebhook,
  InventoryAttachment,
  InventoryReviewApps,
  InventoryMember,
} from '../model/inventory.js';
import type { Change, FormationUpdate } from '../model/plan.js';
import { forgetAddress } from '../state/inventory.js';
import { parseAccountAddress, parseAddress, parseMemberAddress, parsePipelineAddress } from '../util/address.js';

/**
 * What a successful change established, as learned from the API responses:
 * everything the state must remember about it. Never holds a secret value,
 * only fingerprints.
 */
export type AppliedEffect =
  | {
      type: 'app';
      id: string;
      name: string;
      /** True when dynoform created the app; an adopted app keeps false. */
      created: boolean;
      region?: string;
      stack?: string;
      maintenance?: boolean;
      /** Declared consent to deletion; undefined leaves the recorded value. */
      protect?: boolean;
      /** The team the app was created in (and its lock), to record as owned. */
      team?: string;
      locked?: boolean;
    }
  | { type: 'app-deleted' }
  | {
      type: 'config';
      /** Keys set or adopted, with the fingerprint of the value now live. */
      set: Record<string, InventoryConfigKey>;
      /** Keys deleted live, or forgotten: no longer owned. */
      remove: string[];
    }
  | { type: 'addon'; key: string; addon: InventoryAddon }
  | { type: 'addon-deleted'; key: string }
  | { type: 'formation'; updates: FormationUpdate[]; record?: Record<string, { quantity?: number; size?: string }> }
  | { type: 'domain'; domain: InventoryDomain }
  | { type: 'domain-deleted'; hostname: string }
  | { type: 'drain'; drain: InventoryDrain }
  | { type: 'drain-deleted'; id: string }
  | { type: 'buildpacks'; buildpacks: string[] }
  | { type: 'feature'; name: string; enabled: boolean }
  | { type: 'certificate'; key: string; certificate: InventoryCertificate }
  | { type: 'certificate-deleted'; key: string }
  | { type: 'acm'; enabled: boolean }
  | { type: 'pipeline'; key: string; id: string; name: string; created: boolean; protect: boolean }
  | { type: 'pipeline-deleted'; key: string }
  | { type: 'coupling'; key: string; app: string; coupling: InventoryCoupling }
  | { type: 'coupling-deleted'; key: string; app: string }
  | { type: 'stage-config'; key: string; stage: string; set: Record<string, InventoryConfigKey>; remove: string[] }
  | { type: 'review-apps'; key: string; reviewApps: InventoryReviewApps }
  | { type: 'review-apps-disabled'; key: string }
  | { type: 'team'; team: string; locked?: boolean }
  | { type: 'collaborator'; email: string; collaborator: InventoryCollaborator }
  | { type: 'collaborator-deleted'; email: string }
  | { type: 'webhook'; url: string; webhook: InventoryWebhook }
  | { type: 'webhook-deleted'; url: string }
  | { type: 'attachment'; name: string; attachment: InventoryAttachment }
  | { type: 'attachment-deleted'; name: string }
  | { type: 'member'; team: string; email: string; member: InventoryMember }
  | { type: 'member-deleted'; team: string; email: string }
  | { type: 'account-feature'; name: string; enabled: boolean }
  /** Drop whatever the change's address names from state (it vanished outside dynoform). */
  | { type: 'forget' };

/** The inventory is inconsistent with the change (e.g. a child of an app that state does not know). */
export class InventoryUpdateError extends Error {
  override readonly name = 'InventoryUpdateError';
}

function emptyApp(key: string, id: string, name: string, created: boolean): InventoryApp {
  return { key, id, name, protect: true, created, config: {}, addons: {}, domains: {}, drains: {}, formation: {} };
}

/**
 * The inventory after a successful change. Pure: returns a new inventory
 * (apps that did not change are shared) and leaves `serial` to the state
 * backend, which bumps it on every write.
 */
export function applyToInventory(inv: Inventory, change: Change, effect: AppliedEffect): Inventory {
  if (
    effect.type === 'pipeline' ||
    effect.type === 'pipeline-deleted' ||
    effect.type === 'coupling' ||
    effect.type === 'coupling-deleted' ||
    effect.type === 'stage-config' ||
    effect.type === 'review-apps' ||
    effect.type === 'review-apps-disabled'
  ) {
    return applyToPipelines(inv, change, effect);
  }
  if (effect.type === 'member' || effect.type === 'member-deleted') {
    const teams = { ...(inv.teams ?? {}) };
    const members = { ...(teams[effect.team]?.members ?? {}) };
    if (effect.type === 'member') members[effect.email] = { ...effect.member };
    else delete members[effect.email];
    teams[effect.team] = { members };
    return { ...inv, teams };
  }
  if (effect.type === 'account-feature') {
    return { ...inv, account: { features: { ...(inv.account?.features ?? {}), [effect.name]: { enabled: effect.enabled } } } };
  }
  if (effect.type === 'forget' && (parsePipelineAddress(change.address) || parseMemberAddress(change.address) || parseAccountAddress(change.address))) {
    const { inventory } = forgetAddress(inv, change.address);
    return inventory;
  }
  const apps = { ...inv.apps };
  const next: Inventory = { ...inv, apps };
  const key = change.app;

  if (effect.type === 'app') {
    const prev = apps[key];
    const app: InventoryApp = prev ? cloneApp(prev) : emptyApp(key, effect.id, effect.name, effect.created);
    app.id = effect.id;
    app.name = effect.name;
    // Adopting an app we created earlier (e.g. after a lost state write) keeps `created`.
    app.created = prev ? prev.created || effect.created : effect.created;
    if (effect.region !== undefined) app.region = effect.region;
    if (effect.stack !== undefined) app.stack = effect.stack;
    if (effect.maintenance !== undefined) app.maintenance = effect.maintenance;
    if (effect.protect !== undefined) app.protect = effect.protect;
    if (effect.team !== undefined) app.team = effect.team;
    if (effect.locked !== undefined) app.locked = effect.locked;
    apps[key] = app;
    return next;
  }
  if (effect.type === 'app-deleted') {
    delete apps[key];
    return next;
  }
  if (effect.type === 'forget') return forget(next, change);

  const prev = apps[key];
  if (!prev) throw new InventoryUpdateError(`${change.address}: app.${key} is not in state, so ${change.action} cannot be recorded`);
  const app = cloneApp(prev);
  apps[key] = app;
  switch (effect.type) {
    case 'config':
      for (const [k, v] of Object.entries(effect.set)) app.config[k] = { ...v };
      for (const k of effect.remove) delete app.config[k];
      // The write cut a release: the record of the last read no longer holds (the next full read records anew).
      delete app.observed;
      break;
    case 'addon':
      app.addons[effect.key] = { ...effect.addon };
      break;
    case 'addon-deleted':
      delete app.addons[effect.key];
      break;
    case 'formation':
      for (const u of effect.updates) {
        const f = { ...(app.formation[u.type] ?? {}) };
        if (u.quantity !== undefined) f.quantity = u.quantity;
        if (u.size !== undefined) f.size = u.size;
        app.formation[u.type] = f;
      }
      // The declared scale of every type the release defines is what was applied.
      for (const [type, scale] of Object.entries(effect.record ?? {})) app.formation[type] = { ...scale };
      break;
    case 'domain':
      app.domains[effect.domain.hostname] = { ...effect.domain };
      break;
    case 'domain-deleted':
      delete app.domains[effect.hostname];
      break;
    case 'drain':
      app.drains[effect.drain.id] = { ...effect.drain };
      break;
    case 'drain-deleted':
      delete app.drains[effect.id];
      break;
    case 'buildpacks':
      app.buildpacks = [...effect.buildpacks];
      break;
    case 'feature':
      app.features = { ...app.features, [effect.name]: { enabled: effect.enabled } };
      break;
    case 'certificate':
      app.certificates = { ...app.certificates, [effect.key]: { ...effect.certificate } };
      break;
    case 'certificate-deleted':
      if (app.certificates) {
        const { [effect.key]: _gone, ...rest } = app.certificates;
        app.certificates = rest;
      }
      break;
    case 'acm':
      app.acm = effect.enabled;
      break;
    case 'team':
      app.team = effect.team;
      if (effect.locked !== undefined) app.locked = effect.locked;
      break;
    case 'collaborator':
      app.collaborators = { ...app.collaborators, [effect.email]: { ...effect.collaborator } };
      break;
    case 'webhook':
      app.webhooks = { ...app.webhooks, [effect.url]: { ...effect.webhook, include: [...effect.webhook.include] } };
      break;
    case 'webhook-deleted':
      if (app.webhooks) {
        const { [effect.url]: _gone, ...rest } = app.webhooks;
        app.webhooks = rest;
      }
      break;
    case 'attachment':
      app.attachments = { ...app.attachments, [effect.name]: { ...effect.attachment } };
      break;
    case 'attachment-deleted':
      if (app.attachments) {
        const { [effect.name]: _gone, ...rest } = app.attachments;
        app.attachments = rest;
      }
      break;
    case 'collaborator-deleted':
      if (app.collaborators) {
        const { [effect.email]: _gone, ...rest } = app.collaborators;
        app.collaborators = rest;
      }
      break;
  }
  return next;
}

type PipelineEffect = Extract<AppliedEffect, { type: 'pipeline' | 'pipeline-deleted' | 'coupling' | 'coupling-deleted' | 'stage-config' | 'review-apps' | 'review-apps-disabled' }>;

function applyToPipelines(inv: Inventory, change: Change, effect: PipelineEffect): Inventory {
  const pipelines = { ...(inv.pipelines ?? {}) };
  const next: Inventory = { ...inv, pipelines };
  const prev = pipelines[effect.key];
  switch (effect.type) {
    case 'pipeline':
      pipelines[effect.key] = {
        key: effect.key,
        id: effect.id,
        name: effect.name,
        protect: effect.protect,
        created: prev ? prev.created || effect.created : effect.created,
        // A pipeline adopted under a new id starts without couplings: the old ones belonged to the vanished one.
        couplings: prev && prev.id === effect.id ? { ...prev.couplings } : {},
        ...(prev && prev.id === effect.id && prev.stageConfig ? { stageConfig: structuredClone(prev.stageConfig) } : {}),
        ...(prev && prev.id === effect.id && prev.reviewApps ? { reviewApps: { ...prev.reviewApps } } : {}),
      };
      return next;
    case 'stage-config':
    case 'review-apps':
    case 'review-apps-disabled': {
      if (!prev) throw new InventoryUpdateError(`${change.address}: pipeline.${effect.key} is not in state, so ${change.action} cannot be recorded`);
      const p = { ...prev };
      if (effect.type === 'stage-config') {
        const stages = structuredClone(prev.stageConfig ?? {});
        const keys = { ...(stages[effect.stage] ?? {}) };
        for (const [k, v] of Object.entries(effect.set)) keys[k] = { ...v };
        for (const k of effect.remove) delete keys[k];
        // A stage with no owned key left is no longer managed at all.
        if (Object.keys(keys).length > 0) stages[effect.stage] = keys;
        else delete stages[effect.stage];
        if (Object.keys(stages).length > 0) p.stageConfig = stages;
        else delete p.stageConfig;
      } else if (effect.type === 'review-apps') {
        p.reviewApps = { ...effect.reviewApps };
      } else {
        delete p.reviewApps;
      }
      pipelines[effect.key] = p;
      return next;
    }
    case 'pipeline-deleted':
      delete pipelines[effect.key];
      return next;
    case 'coupling':
    case 'coupling-deleted': {
      if (!prev) throw new InventoryUpdateError(`${change.address}: pipeline.${effect.key} is not in state, so ${change.action} cannot be recorded`);
      const p = { ...prev, couplings: { ...prev.couplings } };
      if (effect.type === 'coupling') p.couplings[effect.app] = { ...effect.coupling };
      else delete p.couplings[effect.app];
      pipelines[effect.key] = p;
      return next;
    }
  }
}

function cloneApp(a: InventoryApp): InventoryApp {
  return {
    ...a,
    config: { ...a.config },
    addons: { ...a.addons },
    domains: { ...a.domains },
    drains: { ...a.drains },
    formation: { ...a.formation },
    ...(a.features ? { features: { ...a.features } } : {}),
    ...(a.certificates ? { certificates: { ...a.certificates } } : {}),
    ...(a.collaborators ? { collaborators: { ...a.collaborators } } : {}),
    ...(a.webhooks ? { webhooks: { ...a.webhooks } } : {}),
    ...(a.attachments ? { attachments: { ...a.attachments } } : {}),
    ...(a.buildpacks ? { buildpacks: [...a.buildpacks] } : {}),
  };
}

/** Removes the object the change's address names; unknown addresses leave the inventory as it is. */
function forget(inv: Inventory, change: Change): Inventory {
  const parsed = parseAddress(change.address);
  const key = parsed?.app ?? change.app;
  const prev = inv.apps[key];
  if (!prev) return inv;
  if (!parsed || parsed.kind === 'app') {
    delete inv.apps[key];
    return inv;
  }
  const app = cloneApp(prev);
  inv.apps[key] = app;
  const k = parsed.key;
  switch (parsed.kind) {
    case 'config':
      if (k !== undefined) delete app.config[k];
      break;
    case 'addon':
      if (k !== undefined) delete app.addons[k];
      break;
    case 'formation':
      if (k !== undefined) delete app.formation[k];
      break;
    case 'domain':
      if (k !== undefined) delete app.domains[k];
      break;
    case 'buildpacks':
      delete app.buildpacks;
      break;
    case 'team':
      delete app.team;
      delete app.locked;
      break;
    case 'collaborator':
      if (k !== undefined && app.collaborators) {
        const { [k]: _gone, ...rest } = app.collaborators;
        app.collaborators = rest;
      }
      break;
    case 'feature':
      if (k !== undefined && app.features) {
        const { [k]: _gone, ...rest } = app.features;
        app.features = rest;
      }
      break;
    case 'webhook':
      if (k !== undefined && app.webhooks) {
        const { [k]: _gone, ...rest } = app.webhooks;
        app.webhooks = rest;
      }
      break;
    case 'attachment':
      if (k !== undefined && app.attachments) {
        const { [k]: _gone, ...rest } = app.attachments;
        app.attachments = rest;
      }
      break;
    case 'certificate':
      if (k !== undefined && app.certificates) {
        const { [k]: _gone, ...rest } = app.certificates;
        app.certificates = rest;
      }
      break;
    case 'acm':
      delete app.acm;
      break;
    case 'drain':
      // Drains are keyed by id; the address carries the masked URL (or the id when the planner had to disambiguate).
      for (const [id, d] of Object.entries(app.drains)) if (id === k || d.maskedUrl === k) delete app.drains[id];
      break;
  }
  return inv;
}
