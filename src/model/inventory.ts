import type { ReviewAppSettings } from './plan.js';

/**
 * The ownership inventory (the "state"): what dynoform created or was told
 * to own, plus a fingerprint of each last-applied value. It never holds a
 * secret value: only fingerprints (see src/util/fingerprint.ts).
 */
export interface InventoryConfigKey {
  /** Fingerprint of the value dynoform last applied. */
  fingerprint: string;
  secret: boolean;
}

export interface InventoryAddon {
  id: string;
  name: string;
  /** `service:plan` last applied. */
  plan: string;
  /** Attachment name on this app, e.g. `DATABASE`. */
  attachment?: string;
}

export interface InventoryDomain {
  id: string;
  hostname: string;
}

export interface InventoryDrain {
  id: string;
  /** Fingerprint of the URL (it may hold credentials). */
  urlFingerprint: string;
  /** URL with userinfo replaced by `***`, for display. */
  maskedUrl: string;
}

export interface InventoryFormation {
  quantity?: number;
  size?: string;
}

export interface InventoryApp {
  /** The YAML key of the app (its stable handle); the name may change. */
  key: string;
  id: string;
  name: string;
  /** Consent to deletion lives here so that it survives removal from YAML. */
  protect: boolean;
  /** True when dynoform created the app, false when it adopted it. */
  created: boolean;
  region?: string;
  stack?: string;
  maintenance?: boolean;
  config: Record<string, InventoryConfigKey>;
  /** Keyed by the add-on key under `addons:`. */
  addons: Record<string, InventoryAddon>;
  /** Keyed by hostname. */
  domains: Record<string, InventoryDomain>;
  /** Keyed by drain id. */
  drains: Record<string, InventoryDrain>;
  /** Keyed by process type: last applied scale. */
  formation: Record<string, InventoryFormation>;
  /** The buildpack list dynoform last set, in order; absent = the list is not managed. */
  buildpacks?: string[];
  /**
   * SNI endpoints dynoform owns, by YAML key: the endpoint, the chain's
   * fingerprint and the keyed fingerprint of the private key last applied.
   */
  certificates?: Record<string, InventoryCertificate>;
  /** The ACM setting dynoform last applied; absent = not managed. */
  acm?: boolean;
  /** Features dynoform manages, by name: the `enabled` it last applied. */
  features?: Record<string, { enabled: boolean }>;
  /** The team dynoform last put the app in (created it in, or transferred it to). */
  team?: string;
  /** `locked` last applied (team apps). */
  locked?: boolean;
  /** Collaborators dynoform added or adopted, by lower-cased e-mail. */
  collaborators?: Record<string, InventoryCollaborator>;
  /** Webhooks dynoform created or adopted, by URL. */
  webhooks?: Record<string, InventoryWebhook>;
  /** Attachments of other apps' add-ons dynoform made or adopted, by attachment name. */
  attachments?: Record<string, InventoryAttachment>;
  /** What the last full read of the app's config saw, written by apply: lets a plan skip that read while the app's release has not moved. */
  observed?: InventoryObservedConfig;
}

export interface InventoryWebhook {
  id: string;
  /** What dynoform last applied (sorted), so that drift tells an outside edit from a pending one. */
  include: string[];
  level: string;
  /** Keyed fingerprints of the secret and authorization last sent; absent = none sent. */
  secret?: string;
  authorization?: string;
  /** `updated_at` after dynoform's last write: a later one means someone else wrote (perhaps the secret). */
  updatedAt: string;
}

export interface InventoryAttachment {
  id: string;
  /** The add-on attached, and the owning app's YAML key and add-on key it was declared by. */
  addonId: string;
  app: string;
  addon: string;
}

/**
 * A record of one read of an app's whole config (issue 20). Every config
 * change on Heroku cuts a release, so while `GET /apps` shows the same
 * `released_at` and the read happened in a later second than that release,
 * the config is still what this records. Holds no value: only fingerprints.
 */
export interface InventoryObservedConfig {
  /** The app's `released_at` when the read was made. */
  releasedAt: string;
  /** The server's `Date` of the read. */
  readAt: string;
  /** The config ETag of the read: the If-Match of a write made from this record. */
  etag?: string;
  /**
   * Every live key: a keyed fingerprint of its value (`hmac:`), the literal
   * fingerprint (`sha256:`) when it was the declared literal, or null when
   * neither can be recorded safely (no fingerprint key).
   */
  vars: Record<string, string | null>;
  /** The keys add-on attachments injected at that read (never planned; exclusive mode leaves them alone). */
  addonVars?: string[];
}

export interface InventoryCollaborator {
  id: string;
  /** Team apps: the permissions last applied, sorted. */
  permissions?: string[];
}

export interface InventoryCoupling {
  id: string;
  appId: string;
  /** Stage last applied. */
  stage: string;
}

export interface InventoryPipeline {
  /** The YAML key of the pipeline; the name may change. */
  key: string;
  id: string;
  name: string;
  /** Consent to deletion, as for apps. */
  protect: boolean;
  created: boolean;
  /** Keyed by the app's YAML key. */
  couplings: Record<string, InventoryCoupling>;
  /** Stage config keys dynoform owns, by stage (`review`, `test`), as for an app's config. */
  stageConfig?: Record<string, Record<string, InventoryConfigKey>>;
  /** Review apps dynoform enabled or adopted, with the settings it last applied. */
  reviewApps?: InventoryReviewApps;
}

export interface InventoryReviewApps {
  /** The repository as declared when enabled or adopted, and its id as the API then said. */
  repo: string;
  repoId: number | null;
  /** True when dynoform enabled them (false: adopted). */
  created: boolean;
  /** The declared fields as last applied, by their API name (the others are not managed). */
  applied: ReviewAppSettings;
}

export interface InventoryCertificate {
  id: string;
  name: string;
  fingerprint: string;
  /** Absent when adopted by import (the key is never readable from the API). */
  keyFingerprint?: string;
}

/** A team member dynoform added or adopted; only these are ever removed. */
export interface InventoryMember {
  id: string;
  /** Role last applied. */
  role: string;
}

export interface InventoryTeam {
  /** Keyed by lower-cased e-mail. */
  members: Record<string, InventoryMember>;
}

export interface InventoryAccount {
  /** Account features dynoform manages, by name: the `enabled` it last applied. */
  features: Record<string, { enabled: boolean }>;
}

export const INVENTORY_VERSION = 1;

export interface Inventory {
  version: number;
  /** Random id fixed when the state is first created; a plan is tied to it. */
  lineage: string;
  /** Incremented on every write. */
  serial: number;
  /**
   * The environment this state belongs to (`environment:` in the YAML, or
   * `--env`). A run for another environment refuses the state. Absent in
   * states written before environments existed: those are the `default`
   * environment's (see docs/environments.md for moving them).
   */
  environment?: string;
  /** Keyed by the app's YAML key. */
  apps: Record<string, InventoryApp>;
  /** Keyed by the pipeline's YAML key; absent until one is owned. */
  pipelines?: Record<string, InventoryPipeline>;
  /** Keyed by team name; absent until a member is owned. */
  teams?: Record<string, InventoryTeam>;
  /** Absent until an account feature is owned. */
  account?: InventoryAccount;
}

/**
 * An app another state owns (a sibling state in the same folder or
 * database, usually another environment's): never adopted or deleted by
 * this one. Read by the state backend, passed to the planner.
 */
export interface ForeignApp {
  id: string;
  name: string;
  /** Its YAML key in that state. */
  key: string;
  /** That state's environment (`default` for a state written before environments existed). */
  environment: string;
  /** Where that state is, safe to print. */
  state: string;
}
