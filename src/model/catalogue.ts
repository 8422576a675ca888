/**
 * What the Platform API's catalogue says about the names a plan uses:
 * regions, stacks, dyno sizes, add-on plans, and whether an app name is
 * free. A plan reads only the parts its changes need (`CatalogueNeeds`),
 * once per run, so that a mistake the API would refuse with a 422 halfway
 * through an apply is reported at its YAML line before anything is written.
 */

/** The parts of the catalogue a plan's changes use; empty lists and false cost no request. */
export interface CatalogueNeeds {
  regions: boolean;
  stacks: boolean;
  dynoSizes: boolean;
  /** Add-on services whose plans are named by an add-on being created or changed (sorted, distinct). */
  services: string[];
  /** App names being taken (a new app, a rename) that the account's app list does not show (sorted, distinct). */
  appNames: string[];
  /** Services an app would have two add-ons of after this apply: whether the service allows that (sorted, distinct). */
  installations: string[];
}

export interface CatalogueRegion {
  name: string;
  /** Only apps in a Private Space can run here (the API's `private_capable`). */
  privateSpaceOnly: boolean;
}

export interface CatalogueStack {
  name: string;
  /** `public`, `beta`, `deprecated`… as the API reports it. */
  state: string;
}

export interface CatalogueDynoSize {
  /** Canonical name, e.g. `standard-1X`. */
  name: string;
  privateSpaceOnly: boolean;
}

export interface CataloguePlan {
  /** `service:plan`, e.g. `heroku-redis:mini`. */
  name: string;
  /** False for plans that install only inside a Private Space. */
  outsidePrivateNetwork: boolean;
}

/**
 * An app name as the API answers `GET /apps/{name}`: `free` (404), `taken`
 * by an app this account cannot see (403), or `visible` (the app exists and
 * this account can read it, though the app list did not show it).
 */
export type AppNameStatus = 'free' | 'taken' | 'visible';

/** What was read; a part not needed is absent. */
export interface Catalogue {
  regions?: CatalogueRegion[];
  stacks?: CatalogueStack[];
  dynoSizes?: CatalogueDynoSize[];
  /** Service name → its plans; null when the API knows no such service (404). */
  plans: Record<string, CataloguePlan[] | null>;
  /** Every add-on service's name: read only when a named service does not exist, for "did you mean". */
  services?: string[];
  appNames: Record<string, AppNameStatus>;
  /** Service name → whether an app may have more than one add-on of it (`supports_multiple_installations`). */
  multipleInstallations?: Record<string, boolean>;
  /** Requests the catalogue reads took. */
  requests: number;
}
