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
}

export interface DesiredFormation {
  type: string;
  quantity?: number;
  /** Canonical dyno size name, e.g. `standard-1X`, `basic`, `performance-m`. */
  size?: string;
  loc?: SourceLocation;
}

export interface DesiredDomain {
  /** Lower-cased hostname. */
  hostname: string;
  /** `null` = no certificate; undefined = not managed. */
  sniEndpoint?: string | null;
  loc?: SourceLocation;
}

export interface DesiredDrain {
  /** The drain URL; may contain credentials (then `secret` is true). */
  url: string;
  secret: boolean;
  /** Names of the environment variables the URL was built from (safe to print). */
  envRefs?: string[];
  /** As on DesiredConfigValue: set only with `allowMissingEnv`; such a drain must not be applied. */
  missingEnvRefs?: string[];
  loc?: SourceLocation;
}

/** One entry of an app's buildpack list: a registry name (`heroku/nodejs`), a URL, or a `urn:buildpack:` URN. */
export interface DesiredBuildpack {
  buildpack: string;
  loc?: SourceLocation;
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
  /** Where the app is declared (the `name:` key under `apps:`). */
  loc?: SourceLocation;
  /** Locations of individual fields, keyed by field path, e.g. `region`, `stack`, `maintenance`, `config`, `addons`. */
  fieldLocs?: Record<string, SourceLocation>;
}

export interface DesiredState {
  /** Keyed by app key. */
  apps: Record<string, DesiredApp>;
  /** The files that were read, in order. */
  files: string[];
}
