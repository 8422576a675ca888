import type { SourceLocation } from './diagnostic.js';

/**
 * A config value as declared. `secret` is true when any part of it came from
 * `${env:…}`: such a value is never printed, stored, or written to a plan.
 */
export interface DesiredConfigValue {
  value: string;
  secret: boolean;
  /** Names of the environment variables it was built from (safe to print). */
  envRefs?: string[];
  /** The values of those variables (secret, in memory only): redacted as substrings of any output. */
  secretParts?: string[];
  /**
   * Referenced variables that were not set (only when loaded with
   * `allowMissingEnv`): the value is then incomplete and must not be applied.
   */
  missingEnvRefs?: string[];
  loc?: SourceLocation;
}

export interface DesiredAddon {
  /** The key under `addons:` (e.g. `db`); the add-on's stable handle in dynoform. */
  key: string;
  /** Normalised `service:plan`, e.g. `heroku-postgresql:essential-0`. */
  plan: string;
  /** Attachment name (config-var prefix), upper-case, e.g. `DATABASE`. */
  as?: string;
  /** Optional globally unique add-on name. */
  name?: string;
  /** Provisioning options, sent once at create. */
  config?: Record<string, string>;
  loc?: SourceLocation;
  /** Where `plan:` is written (the catalogue check reports there). */
  planLoc?: SourceLocation;
}

export interface DesiredFormation {
  type: string;
  quantity?: number;
  /** Canonical dyno size name, e.g. `standard-1X`, `basic`, `performance-m`. */
  size?: string;
  loc?: SourceLocation;
  /** Where `size:` is written. */
  sizeLoc?: SourceLocation;
}

export interface DesiredDomain {
  /** Lower-cased hostname. */
  hostname: string;
  /**
   * `null` = no certificate; undefined = not managed; else a key under the
   * app's `certificates:` or the name or id of an SNI endpoint.
   */
  sniEndpoint?: string | null;
  loc?: SourceLocation;
}

export interface DesiredDrain {
  /** The drain URL; may contain credentials (then `secret` is true). */
  url: string;
  secret: boolean;
  /** Names of the environment variables the URL was built from (safe to print). */
  envRefs?: string[];
  /** The values of those variables (secret, in memory only). */
  secretParts?: string[];
  /** As on DesiredConfigValue: set only with `allowMissingEnv`; such a drain must not be applied. */
  missingEnvRefs?: string[];
  loc?: SourceLocation;
}

/** One entry of an app's buildpack list: a registry name (`heroku/nodejs`), a URL, or a `urn:buildpack:` URN. */
export interface DesiredBuildpack {
  buildpack: string;
  loc?: SourceLocation;
}

/** A collaborator by e-mail (lower-cased); `permissions` only on team apps (`view` implied). */
export interface DesiredCollaborator {
  email: string;
  permissions?: string[];
  loc?: SourceLocation;
}

/**
 * An app webhook, identified by its URL (a literal: it is shown in plans).
 * `secret` and `authorization` come from `${env:…}` only: the API never
 * returns them, so state keeps their keyed fingerprints.
 */
export interface DesiredWebhook {
  url: string;
  /** Entity names, sorted and unique (`api:release`, `dyno`…). */
  include: string[];
  level: 'notify' | 'sync';
  secret?: DesiredConfigValue;
  authorization?: DesiredConfigValue;
  loc?: SourceLocation;
}

/**
 * An attachment of an add-on another app of the same environment declares:
 * `app` and `addon` are that app's YAML key and add-on key.
 */
export interface DesiredAttachment {
  /** Attachment name on this app (upper-case): its config var prefix and its identity. */
  name: string;
  app: string;
  addon: string;
  loc?: SourceLocation;
}

/**
 * An SNI endpoint by its YAML key (`certificates: { www: … }`): the chain
 * from a file beside the YAML, the private key from `${env:…}` or a file.
 * The key is a secret everywhere (as config secrets are).
 */
export interface DesiredCertificate {
  key: string;
  /** The chain file as written, and its absolute path (relative paths resolve against the declaring YAML file). */
  chainFile: string;
  chainPath: string;
  /** The chain's PEM text, read by the loader (undefined when only parsed, or the file failed). */
  chain?: string;
  /** What the loader read from the leaf, for plans: its DNS names and expiry. */
  certDomains?: string[];
  expiresAt?: string;
  /** The private key: `secret` always; `envRefs` when from `${env:…}`, `file` when from `private_key_file`. */
  privateKey?: DesiredConfigValue & { file?: string; path?: string };
  loc?: SourceLocation;
  /** Where `certificate_chain`, `private_key` and `private_key_file` are written. */
  fieldLocs?: Record<string, SourceLocation>;
}

export type ConfigMode = 'merge' | 'exclusive';

export interface DesiredApp {
  /** The key under `apps:`: the app's stable handle in state and addresses (`app.<key>`). */
  key: string;
  /** The Heroku app name: the optional `name:` field, else the key. Changing it renames the app. */
  name: string;
  region?: string;
  stack?: string;
  maintenance?: boolean;
  /** Default true: deleting the app or its add-ons needs `protect: false` applied first. */
  protect: boolean;
  config: Record<string, DesiredConfigValue>;
  configMode: ConfigMode;
  addons: Record<string, DesiredAddon>;
  formation: Record<string, DesiredFormation>;
  domains: DesiredDomain[];
  drains: DesiredDrain[];
  /** The ordered buildpack list; undefined = not managed (left as it is), `[]` = none (cleared). */
  buildpacks?: DesiredBuildpack[];
  /**
   * App features (Heroku Labs) by name → enabled. Only the features named
   * are managed; the others are left as they are.
   */
  features?: Record<string, { enabled: boolean; loc?: SourceLocation }>;
  /** The owning team; undefined = who owns the app is not managed. A change is a transfer. */
  team?: string;
  /** Team apps: locked (members need an explicit collaborator entry); undefined = not managed. */
  locked?: boolean;
  /** Collaborators by e-mail; undefined = not managed. */
  collaborators?: DesiredCollaborator[];
  /** App webhooks by URL; undefined = not managed. */
  webhooks?: DesiredWebhook[];
  /** Attachments of other apps' add-ons, by attachment name; undefined = none managed. */
  attachments?: Record<string, DesiredAttachment>;
  /** SNI endpoints by YAML key; undefined = certificates are not managed. */
  certificates?: Record<string, DesiredCertificate>;
  /** Automated Certificate Management; undefined = not managed. */
  acm?: boolean;
  /** Where the app is declared (the `name:` key under `apps:`). */
  loc?: SourceLocation;
  /** Locations of individual fields, keyed by field path, e.g. `region`, `stack`, `maintenance`, `config`, `addons`. */
  fieldLocs?: Record<string, SourceLocation>;
}

/** The stages an app can be coupled in, in pipeline order. */
export const PIPELINE_STAGES = ['review', 'development', 'staging', 'production'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

export interface DesiredCoupling {
  /** The key of the app under `apps:` (the coupling's handle). */
  app: string;
  stage: PipelineStage;
  /** The list entry naming the app. */
  loc?: SourceLocation;
}

/** The stages whose config vars a pipeline holds: review apps and Heroku CI (the others' apps have their own config). */
export const CONFIG_STAGES = ['review', 'test'] as const;
export type ConfigStage = (typeof CONFIG_STAGES)[number];

/**
 * A pipeline's review-app settings (`/pipelines/{id}/review-app-config`).
 * `repo` is given when review apps are enabled and cannot change in place;
 * every other field is managed only when declared.
 */
export interface DesiredReviewApps {
  /** GitHub `owner/name`. */
  repo: string;
  automaticReviewApps?: boolean;
  destroyStaleApps?: boolean;
  staleDays?: number;
  waitForCi?: boolean;
  /** `null` clears it. */
  baseName?: string | null;
  /** `null` = the common runtime's default. */
  deployTarget?: { id: string; type: 'region' | 'space' } | null;
  loc?: SourceLocation;
  /** Locations of the fields, by their YAML name. */
  fieldLocs?: Record<string, SourceLocation>;
}

export interface DesiredPipeline {
  /** The key under `pipelines:`: its stable handle in state and addresses (`pipeline.<key>`). */
  key: string;
  /** The Heroku pipeline name: the optional `name:` field, else the key. Changing it renames the pipeline. */
  name: string;
  /** Owning team by name; undefined = the owner is not managed (a new pipeline belongs to the account's user). */
  team?: string;
  /** Default true: deleting the pipeline needs `protect: false` applied first (as an app). */
  protect: boolean;
  /** Keyed by app key: one coupling per app. */
  couplings: Record<string, DesiredCoupling>;
  /** Stage config vars by stage; a stage absent here is not managed. */
  config?: Partial<Record<ConfigStage, Record<string, DesiredConfigValue>>>;
  /** As an app's: `exclusive` also deletes undeclared keys of the stages declared under `config:`. */
  configMode: ConfigMode;
  /** Undefined = review apps are not managed (an owned configuration removed from the YAML is disabled). */
  reviewApps?: DesiredReviewApps;
  loc?: SourceLocation;
  /** Locations of `name`, `team`, `protect`, `stages`, `stages.<stage>`, `config`, `config.<stage>`, `config_mode` and `review_apps`. */
  fieldLocs?: Record<string, SourceLocation>;
}

/** The roles a team member can be given (the team-member create link's enum). */
export const TEAM_ROLES = ['admin', 'member', 'viewer'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export interface DesiredMember {
  /** Lower-cased. */
  email: string;
  role: TeamRole;
  loc?: SourceLocation;
}

/** One `teams:` entry: an existing team whose members dynoform manages (it does not create teams). */
export interface DesiredTeam {
  /** The Heroku team name (the key). */
  name: string;
  /** Keyed by lower-cased e-mail. Only these are managed; other members are left alone. */
  members: Record<string, DesiredMember>;
  loc?: SourceLocation;
  /** Location of `members`. */
  membersLoc?: SourceLocation;
}

/** `account:`: settings of the account the token belongs to. */
export interface DesiredAccount {
  /** Account features (Heroku Labs) by name → enabled; only those named are managed. */
  features: Record<string, { enabled: boolean; loc?: SourceLocation }>;
  loc?: SourceLocation;
}

export interface DesiredState {
  /** Keyed by app key. */
  apps: Record<string, DesiredApp>;
  /** Keyed by pipeline key; absent when the files declare no `pipelines:`. */
  pipelines?: Record<string, DesiredPipeline>;
  /** Keyed by team name; absent when the files declare no `teams:`. */
  teams?: Record<string, DesiredTeam>;
  /** Absent when the files declare no `account:`. */
  account?: DesiredAccount;
  /** The files that were read, in order. */
  files: string[];
  /** The environment the files name (`environment:` at the top of a file), if any. */
  environment?: string;
  environmentLoc?: SourceLocation;
}
