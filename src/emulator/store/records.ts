/**
 * What the emulator remembers. Records hold ids, never rendered objects:
 * the resource modules render them in the API's shape on every read, so a
 * rename shows everywhere at once. Times are ISO-8601 strings in whole
 * seconds, as the API returns them.
 */

export interface AccountRecord {
  id: string;
  email: string;
  name: string | null;
  allowTracking: boolean;
  beta: boolean;
  /** Account features (Heroku Labs) switched by name; absent = all at their default (off). */
  features?: Record<string, { enabled: boolean; updatedAt: string }>;
  createdAt: string;
  updatedAt: string;
}

export interface AppRecord {
  id: string;
  name: string;
  ownerId: string;
  regionId: string;
  stackId: string;
  buildStackId: string;
  maintenance: boolean;
  acm: boolean;
  createdAt: string;
  updatedAt: string;
  releasedAt: string | null;
  /** Every config var of the app, the ones add-on attachments inject included. */
  config: Record<string, string>;
  /** Process types of the current release's slug (empty until a slug is released). */
  processTypes: Record<string, string>;
  slugId: string | null;
  /** Version of the latest release. */
  version: number;
  /** The owning team; absent or null for a personal app (owned by `ownerId`). */
  teamId?: string | null;
  /** Team apps: when locked, team members need an explicit collaborator entry. */
  locked?: boolean;
  /** App features switched from their default (off), by name; absent in older data files. */
  features?: Record<string, { enabled: boolean; updatedAt: string }>;
  /** Buildpacks in order (`PUT /apps/{app}/buildpack-installations`); absent in older data files. */
  buildpacks?: BuildpackRef[];
  /** When each dyno (`web.1`) was last restarted or stopped, if after its formation last changed. */
  dynoStarts?: Record<string, string>;
}

/** A buildpack as the API names it: a registry name (`heroku/nodejs`) or a URL, in both fields. */
export interface BuildpackRef {
  url: string;
  name: string;
}

export interface ReleaseRecord {
  id: string;
  appId: string;
  version: number;
  description: string;
  slugId: string | null;
  /** The app's config vars as of this release. */
  config: Record<string, string>;
  addonPlanNames: string[];
  userId: string;
  userEmail: string;
  status: 'succeeded';
  createdAt: string;
  updatedAt: string;
}

export interface SlugRecord {
  id: string;
  appId: string;
  processTypes: Record<string, string>;
  stackId: string;
  commit: string | null;
  commitDescription: string | null;
  checksum: string | null;
  buildpackProvidedDescription: string | null;
  size: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface FormationRecord {
  id: string;
  appId: string;
  type: string;
  quantity: number;
  sizeId: string;
  command: string;
  createdAt: string;
  updatedAt: string;
}

export type AddonState = 'provisioning' | 'provisioned' | 'deprovisioned';

export interface AddonRecord {
  id: string;
  name: string;
  /** The billing app. */
  appId: string;
  planId: string;
  serviceId: string;
  state: AddonState;
  providerId: string;
  provisionMessage: string;
  /** Provisioning options the client gave (`config` on create). */
  options: Record<string, string>;
  /** Values behind each config var suffix (URL → postgres://…), set once provisioned. */
  values: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface AttachmentRecord {
  id: string;
  addonId: string;
  appId: string;
  name: string;
  namespace: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DomainRecord {
  id: string;
  appId: string;
  hostname: string;
  kind: 'heroku' | 'custom';
  cname: string | null;
  status: string;
  sniEndpointId: string | null;
  acmStatus: string | null;
  acmStatusReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/** An SNI endpoint: a certificate chain served for the domains that name it. */
export interface SniEndpointRecord {
  id: string;
  appId: string;
  /** Generated, unique, never changes (domains name the endpoint by it). */
  name: string;
  certificateChain: string;
  /** SHA-256 of the private key as sent: the key itself is never kept (the API never returns it). */
  keyDigest: string;
  /** `ssl_cert.id`: new with every certificate uploaded. */
  certId: string;
  createdAt: string;
  updatedAt: string;
}

export interface DrainRecord {
  id: string;
  appId: string;
  url: string;
  token: string;
  /** Set when an add-on created the drain: then only removing the add-on removes it. */
  addonId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** An app webhook; `secret` and `authorization` are kept but never rendered, as on Heroku. */
export interface WebhookRecord {
  id: string;
  appId: string;
  url: string;
  include: string[];
  level: 'notify' | 'sync';
  secret: string;
  authorization: string | null;
  createdAt: string;
  updatedAt: string;
}

export type TeamRole = 'admin' | 'member' | 'viewer' | 'collaborator';

export interface TeamRecord {
  id: string;
  name: string;
  /** The account's default team for new apps (per team here: the emulator keeps one flag). */
  default: boolean;
  /** Team features switched on, e.g. `org-access-controls` (fine-grained app permissions). */
  features: string[];
  createdAt: string;
  updatedAt: string;
}

/** One member of a team: its role decides what it may do with the team's apps. */
export interface TeamMemberRecord {
  id: string;
  teamId: string;
  accountId: string;
  role: TeamRole;
  createdAt: string;
  updatedAt: string;
}

export type AppPermission = 'view' | 'deploy' | 'operate' | 'manage';

/** A collaborator on an app (personal or team); the owner and team admins are never records here. */
export interface CollaboratorRecord {
  id: string;
  appId: string;
  accountId: string;
  /** Team apps: what the collaborator may do (`view` always included); personal apps: all but manage. */
  permissions: AppPermission[];
  createdAt: string;
  updatedAt: string;
}

/** The persisted form (`--data FILE`). */
export interface PipelineRecord {
  id: string;
  /** Unique per owner. */
  name: string;
  ownerId: string;
  ownerType: 'user' | 'team';
  createdAt: string;
  updatedAt: string;
  /** Config vars of the pipeline's stages (review apps, CI), by stage. */
  stageConfig?: Record<string, Record<string, string>>;
  /** The GitHub repository the pipeline is connected to (the first enabling of review apps connects it). */
  repo?: { id: number; fullName: string };
  /** Review-app settings while review apps are enabled. */
  reviewApps?: ReviewAppsRecord;
}

export interface ReviewAppsRecord {
  automaticReviewApps: boolean;
  destroyStaleApps: boolean;
  staleDays: number;
  waitForCi: boolean;
  baseName: string | null;
  deployTarget: { id: string; type: 'region' | 'space' } | null;
}

export interface CouplingRecord {
  id: string;
  /** One coupling per app. */
  appId: string;
  pipelineId: string;
  stage: 'test' | 'review' | 'development' | 'staging' | 'production';
  createdAt: string;
  updatedAt: string;
}

export interface StoreSnapshot {
  format: 'dynoform-emulator';
  version: 1;
  savedAt: string;
  /** The first journal (`FILE.journal.N`) that applies on top of this snapshot. */
  journal?: number;
  accounts: AccountRecord[];
  apps: AppRecord[];
  releases: ReleaseRecord[];
  slugs: SlugRecord[];
  formations: FormationRecord[];
  addons: AddonRecord[];
  attachments: AttachmentRecord[];
  domains: DomainRecord[];
  drains: DrainRecord[];
  /** Absent in data files written before teams existed. */
  teams?: TeamRecord[];
  teamMembers?: TeamMemberRecord[];
  collaborators?: CollaboratorRecord[];
  /** Absent in data files written before pipelines existed. */
  pipelines?: PipelineRecord[];
  couplings?: CouplingRecord[];
  /** Absent in data files written before certificates existed. */
  sniEndpoints?: SniEndpointRecord[];
  /** Absent in data files written before webhooks existed. */
  webhooks?: WebhookRecord[];
}
