/**
 * What the Platform API says exists, as read by the live reader. Every
 * object carries the ETag of the response it came from, so that apply can
 * guard its write with `If-Match`.
 */
export interface LiveConfig {
  vars: Record<string, string>;
  etag?: string;
  /** The server's `Date` of the read (second granularity), when it sent one. */
  readAt?: string;
  /**
   * Set when the vars were not read but taken from the state's record of an
   * earlier read, because the app's release did not move since (issue 20).
   * Then only the declared keys hold their values (proven equal by
   * fingerprint); every other key holds UNREAD_VALUE: its name is known,
   * its value was not read and is never compared or shown.
   */
  fromRecord?: { readAt: string; releasedAt: string };
}

/** The value of a live key whose value was not read (see LiveConfig.fromRecord). */
export const UNREAD_VALUE = '\u0000(not read: the release did not move)';

/** Why an app's config vars were read although the state has a record of them. */
export type ConfigReadReason =
  /** `refresh: 'full'` (`--refresh=full`). */
  | 'refresh-full'
  /** The state has no record of a read (never applied since this version, or created in the last apply). */
  | 'no-record'
  /** The app was released since the recorded read (a config change, an add-on attached or detached, a rollback, a deploy). */
  | 'released'
  /** The recorded read was in the same second as the release: a second release in that second would not show. */
  | 'same-second'
  /** The declared config differs from the record, or the record cannot tell (no DYNOFORM_FINGERPRINT_KEY): the plan needs the values. */
  | 'needs-values';

/** How a live read went: how many config reads the released_at check saved, and why the others were made. */
export interface ConfigReads {
  read: number;
  skipped: number;
  /** The reads made, by reason (apps without a state record count as `no-record`). */
  reasons: Partial<Record<ConfigReadReason, number>>;
}

export interface LiveAddonAttachment {
  id: string;
  name: string;
  appId: string;
  appName: string;
}

export interface LiveAddon {
  id: string;
  name: string;
  /** `service:plan` */
  plan: string;
  service: string;
  state: 'provisioning' | 'provisioned' | 'deprovisioned';
  /** The billing app. */
  appId: string;
  appName: string;
  /** Config var names the add-on exposes to the apps it is attached to. */
  configVars: string[];
  attachments: LiveAddonAttachment[];
  provisionMessage?: string;
  etag?: string;
}

export interface LiveFormation {
  id: string;
  type: string;
  quantity: number;
  /** Dyno size name as the API returns it (`dyno_size.name`). */
  size: string;
  command?: string;
}

export interface LiveDomain {
  id: string;
  hostname: string;
  kind: 'heroku' | 'custom';
  sniEndpoint: string | null;
  cname: string | null;
  etag?: string;
}

export interface LiveDrain {
  id: string;
  url: string;
  token: string;
  /** Set for drains that an add-on created: those are never managed. */
  addonId?: string;
}

/** An app's buildpack list in order, as `buildpack-installations` shows it. */
export interface LiveBuildpacks {
  /** The buildpack of each installation: its registry name when it has one, else its URL. */
  list: string[];
  /** The URLs, in the same order (a name and a URL can denote the same buildpack). */
  urls: string[];
  etag?: string;
}

export interface LiveFeature {
  id: string;
  name: string;
  enabled: boolean;
  /** `public`, `beta`, `alpha`… as the API says. */
  state: string;
  description: string;
}

export interface LiveApp {
  id: string;
  name: string;
  region: string;
  stack: string;
  buildStack: string;
  maintenance: boolean;
  /** The owning team's name; absent for a personal app. */
  team?: string;
  /** `released_at` from the app list: the time of the app's latest release. */
  releasedAt?: string;
  etag?: string;
  config: LiveConfig;
  /** Process types of the current release, with their scale. */
  formation: LiveFormation[];
  formationEtag?: string;
  domains: LiveDomain[];
  drains: LiveDrain[];
  /** Add-ons billed to this app or attached to it. */
  addons: LiveAddon[];
  /**
   * Config var names injected by add-on attachments on this app
   * (e.g. DATABASE_URL): never planned for change.
   */
  addonConfigVars: string[];
  /** Read only when the app declares buildpacks or state owns its list. */
  buildpacks?: LiveBuildpacks;
  /** Every feature the API lists for the app; read only when the app declares features or state owns one. */
  features?: LiveFeature[];
  /** Team apps: read (GET /teams/apps/{app}) only when `locked` is declared or owned. */
  locked?: boolean;
  /** ETag of the team-app read `locked` came from: guards its PATCH. */
  lockedEtag?: string;
  /** Read only when the app declares collaborators or state owns some. */
  collaborators?: LiveCollaborator[];
  /** Read only when the app declares webhooks or state owns some. */
  webhooks?: LiveWebhook[];
}

/** An app webhook as the API shows it: never its secret or authorization. */
export interface LiveWebhook {
  id: string;
  url: string;
  /** Sorted. */
  include: string[];
  level: string;
  /** Moves on every write, including one that changed only the secret or authorization. */
  updatedAt: string;
}

export interface LiveCollaborator {
  id: string;
  /** Lower-cased. */
  email: string;
  /** `collaborator`, or a team role (`admin`, `member`…). */
  role: string;
  /** Team apps: sorted permission names; personal apps: empty. */
  permissions: string[];
}

/** An app as the account-wide app list shows it (no per-app reads). */
export type LiveAppSummary = Pick<LiveApp, 'id' | 'name' | 'region' | 'stack' | 'buildStack' | 'maintenance' | 'team' | 'releasedAt'>;

export interface LivePipeline {
  id: string;
  name: string;
  /** Null for pipelines created before owners existed. */
  owner: { id: string; type: 'user' | 'team' } | null;
}

export interface LiveCoupling {
  id: string;
  appId: string;
  pipelineId: string;
  stage: string;
}

/** A pipeline's review-app settings as the API shows them (it names the repository by id only). */
export interface LiveReviewApps {
  repoId: number | null;
  automaticReviewApps: boolean;
  destroyStaleApps: boolean;
  staleDays: number | null;
  waitForCi: boolean;
  baseName: string | null;
  deployTarget: { id: string; type: string } | null;
  etag?: string;
}

/** Read only when the YAML declares pipelines or the state owns some. */
export interface LivePipelines {
  pipelines: LivePipeline[];
  /** Every coupling visible to the account (one per app). */
  couplings: LiveCoupling[];
  /** Team name → id, read only when a declared pipeline names its team. */
  teamIds?: Record<string, string>;
  /**
   * Stage config vars by pipeline id, then stage: read only for the stages
   * a pipeline declares under `config:` or the state owns keys of.
   */
  stageConfig?: Record<string, Partial<Record<string, LiveConfig>>>;
  /** Review-app settings by pipeline id (null: review apps are not enabled); read only when declared or owned. */
  reviewApps?: Record<string, LiveReviewApps | null>;
}

export interface LiveState {
  /** Apps that were read in full (declared apps that exist). */
  apps: Record<string, LiveApp>;
  /**
   * Apps the inventory owns that are no longer declared, as the app list
   * shows them (keyed by app key): what a planned deletion is guarded with.
   */
  undeclared?: Record<string, LiveAppSummary>;
  /** Every app name visible to the account (from `GET /apps`), name → id. */
  appIds: Record<string, string>;
  pipelines?: LivePipelines;
  /** `RateLimit-Remaining` after reading. */
  rateLimitRemaining?: number;
  /** Requests the read took. */
  requests: number;
  /** Config reads made and skipped (absent when the reader was given no records to skip by). */
  configReads?: ConfigReads;
}

/**
 * Before the first live read: what the reads will cost (an upper bound: every
 * declared app existing) against the rate-limit budget, and how long the
 * client expects them to take. `paced` when the budget above the client's
 * reserve cannot hold them, so the plan will wait for the refill.
 */
export interface ReadEstimateEvent {
  type: 'read-estimate';
  requests: number;
  apps: number;
  /** Tokens left, as the API said (absent when the free read failed). */
  remaining?: number;
  /** Tokens the client keeps in hand for other clients of the account. */
  reserve: number;
  /** Refill the client paces to (learned from the headers, else the profile). */
  refillPerHour: number;
  etaMs: number;
  paced: boolean;
}

/** While the live reads run: after each app, and at each rate-limit pause. */
export interface ReadProgressEvent {
  type: 'read-progress';
  appsRead: number;
  appsTotal: number;
  /** Requests sent so far by these reads, and how many they will be (an upper bound until the app list is in). */
  requests: number;
  requestsTotal: number;
  remaining?: number;
  /** Set while the client paces itself to the refill rate: that rate. */
  pacedPerHour?: number;
  /** The client's estimate for the rest. */
  etaMs: number;
}
