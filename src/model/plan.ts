import type { ConfigReads } from './live.js';
import type { Address, ResourceKind } from './address.js';
import type { Diagnostic, SourceLocation } from './diagnostic.js';

export type Action =
  | 'create'
  | 'update'
  | 'delete'
  /** Exists live, not in state: take ownership (and update what differs). */
  | 'adopt'
  /** A change the API cannot make in place (e.g. region): never applied. */
  | 'replace-refused'
  /** A deletion without consent (`protect: false` in state and `--allow-destroy`). */
  | 'blocked'
  /** A process type the current release does not define yet. */
  | 'waiting'
  | 'noop';

/** JSON Patch (RFC 6902) op with secret values already masked. */
export interface PatchOp {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
}

/** A value as it may appear in a plan: literal, or a secret by fingerprint only. */
export type PlanValue =
  | { kind: 'literal'; value: string }
  | { kind: 'secret'; fingerprint: string; envRefs: string[] };

export interface FormationUpdate {
  type: string;
  quantity?: number;
  size?: string;
}

/** One config-vars PATCH: of an app, or of a pipeline stage. */
export interface ConfigPatch {
  /** Keys to set. */
  set: Record<string, PlanValue>;
  /** Owned keys to delete (sent as null). */
  unset: string[];
  /** Keys whose live value already equals the declaration: only recorded as owned. */
  own: Record<string, PlanValue>;
  /** Owned keys that are neither declared nor live any more: dropped from state, nothing sent. */
  forget?: string[];
}

/** Review-app fields as the API names them (the subset a change sends). */
export interface ReviewAppSettings {
  automatic_review_apps?: boolean;
  destroy_stale_apps?: boolean;
  stale_days?: number;
  wait_for_ci?: boolean;
  base_name?: string | null;
  deploy_target?: { id: string; type: string } | null;
}

/** Exactly what apply must do; holds no secret value. */
export type Operation =
  /** `protect` on app ops is the declared consent to deletion, recorded in state only (no request). */
  | { type: 'app.create'; name: string; region?: string; stack?: string; maintenance?: boolean; protect?: boolean; team?: string; locked?: boolean }
  | { type: 'app.update'; appId: string; name?: string; maintenance?: boolean; buildStack?: string; protect?: boolean }
  | { type: 'app.adopt'; appId: string; name?: string; maintenance?: boolean; buildStack?: string; protect?: boolean }
  | { type: 'app.delete'; appId: string }
  | ({ type: 'config.patch' } & ConfigPatch)
  /** A pipeline stage's config vars (review apps, CI); `pipelineId` is absent when the pipeline is created in the same apply. */
  | ({ type: 'stage-config.patch'; stage: string; pipelineId?: string } & ConfigPatch)
  /**
   * Review apps: `enable` POSTs with `repo`, `update` PATCHes the fields in
   * `set`, `adopt` records them (PATCHing `set` when not empty), `disable`
   * DELETEs. `pipelineId` is absent when the pipeline is created in the same apply.
   */
  | { type: 'review-apps.enable'; pipelineId?: string; repo: string; set: ReviewAppSettings }
  /** `record`: every declared field, as state records it last applied. */
  | { type: 'review-apps.update' | 'review-apps.adopt'; pipelineId: string; repo: string; repoId: number | null; set: ReviewAppSettings; record: ReviewAppSettings }
  | { type: 'review-apps.disable'; pipelineId: string }
  | {
      type: 'addon.create';
      plan: string;
      as?: string;
      name?: string;
      config?: Record<string, string>;
    }
  | { type: 'addon.update'; addonId: string; plan: string }
  | {
      type: 'addon.adopt';
      addonId: string;
      addonName: string;
      plan: string;
      as?: string;
      /** Set when the live add-on is on another plan than the declared `plan`: apply changes it (guarded by guard.fingerprint). */
      livePlan?: string;
    }
  | { type: 'addon.delete'; addonId: string }
  | {
      type: 'formation.batch';
      /** Sent in one PATCH; empty when only `record` changes (no request). */
      updates: FormationUpdate[];
      /**
       * The declared scale of every process type the release defines, to
       * record in state as last applied (so drift can tell a hand edit from
       * an unapplied YAML change). Absent in plans made before it existed.
       */
      record?: Record<string, { quantity?: number; size?: string }>;
    }
  /**
   * `certificate` (a YAML key under `certificates:`) is set when the domain
   * names a certificate of the same file: apply sends the endpoint that
   * state then records for it (one created earlier in the same run
   * included), not `sniEndpoint`.
   */
  | { type: 'domain.create'; hostname: string; sniEndpoint: string | null; certificate?: string }
  | { type: 'domain.update'; domainId: string; hostname: string; sniEndpoint: string | null; certificate?: string }
  | {
      type: 'domain.adopt';
      domainId: string;
      hostname: string;
      /** Present when the declared certificate differs from the live one: apply updates it. */
      sniEndpoint?: string | null;
      certificate?: string;
    }
  /**
   * An SNI endpoint. `chain` is the reviewed PEM chain (public) and is sent
   * as is; the private key travels only as a fingerprint and is taken from
   * the re-loaded YAML at apply, refused if its fingerprint moved.
   */
  | { type: 'certificate.create'; key: string; chain: string; fingerprint: string; privateKey: PlanValue }
  | { type: 'certificate.update'; key: string; endpointId: string; name: string; chain: string; fingerprint: string; privateKey: PlanValue }
  /** Takes ownership of a live endpoint that already holds the declared chain: no request. */
  | { type: 'certificate.adopt'; key: string; endpointId: string; name: string; fingerprint: string; privateKey?: PlanValue }
  | { type: 'certificate.delete'; key: string; endpointId: string; name: string }
  /** POST (on) or DELETE (off) /apps/{app}/acm; `send: false` only records the live setting as owned. */
  | { type: 'acm.set'; enabled: boolean; send: boolean }
  | { type: 'domain.delete'; domainId: string; hostname: string }
  | { type: 'drain.create'; url: PlanValue; maskedUrl: string }
  | { type: 'drain.adopt'; drainId: string; url: PlanValue; maskedUrl: string }
  | { type: 'drain.delete'; drainId: string; maskedUrl: string }
  /** PUT of the whole list (`buildpacks` in order); `send: false` only records an already-equal list as owned. */
  | { type: 'buildpacks.set'; buildpacks: string[]; send: boolean }
  /**
   * Team ownership: `transferTo` moves the app to that team (never a
   * re-create); `sendLocked` sets the lock to `locked`. `team` and `locked`
   * are what state records as owned.
   */
  | { type: 'team.set'; team: string; transferTo?: string; locked?: boolean; sendLocked?: boolean }
  | { type: 'collaborator.create'; email: string; permissions?: string[] }
  /** `livePermissions` is set when the permissions differ and are to be sent (team apps); without it only state learns. */
  | { type: 'collaborator.update'; collaboratorId: string; email: string; permissions?: string[]; livePermissions?: string[] }
  | { type: 'collaborator.adopt'; collaboratorId: string; email: string; permissions?: string[]; livePermissions?: string[] }
  | { type: 'collaborator.delete'; collaboratorId: string; email: string }
  /**
   * A webhook by URL. `secret` and `authorization` are fingerprints only
   * (apply takes the values from the YAML). On update and adopt, `send`
   * lists the fields to PATCH (none: only state learns); a secret not sent
   * keeps the fingerprint state has.
   */
  | { type: 'webhook.create'; url: string; include: string[]; level: string; secret?: PlanValue; authorization?: PlanValue }
  | {
      type: 'webhook.update' | 'webhook.adopt';
      webhookId: string;
      url: string;
      include: string[];
      level: string;
      secret?: PlanValue;
      authorization?: PlanValue;
      send: Array<'url' | 'include' | 'level' | 'secret' | 'authorization'>;
      /** The live `updated_at` the plan saw: recorded as it is when nothing is sent. */
      updatedAt: string;
    }
  | { type: 'webhook.delete'; webhookId: string; url: string }
  /**
   * Attaches another app's add-on: `addonId` when it existed at plan time,
   * else apply finds it in state under the owner's app and add-on keys (it
   * was created earlier in the same apply).
   */
  | { type: 'attachment.create'; name: string; owner: { app: string; addon: string }; addonId?: string }
  /** Takes ownership of a live attachment of the declared add-on (no request). */
  | { type: 'attachment.adopt'; name: string; attachmentId: string; owner: { app: string; addon: string }; addonId: string }
  /** Detaches: the add-on itself is never deleted. */
  | { type: 'attachment.delete'; name: string; attachmentId: string }
  /** PATCH of one feature; `send: false` only records an already-equal feature as owned. */
  | { type: 'feature.set'; name: string; enabled: boolean; send: boolean }
  /** `protect` is the declared consent to deletion, recorded in state only. `owner` is set when the YAML names a team. */
  | { type: 'pipeline.create'; name: string; owner?: { id: string; type: 'team' }; protect: boolean }
  /** `name` only when it changes (a rename). */
  | { type: 'pipeline.update'; pipelineId: string; name?: string; protect: boolean }
  | { type: 'pipeline.adopt'; pipelineId: string; name?: string; protect: boolean }
  | { type: 'pipeline.delete'; pipelineId: string }
  /**
   * Couples an app: the ids are those known at plan time; an app or pipeline
   * created earlier in the same apply is found in state by its key.
   */
  | { type: 'coupling.create'; app: string; stage: string; appId?: string; pipelineId?: string }
  | { type: 'coupling.update'; couplingId: string; app: string; appId: string; stage: string }
  /** `stage` is declared; the live coupling is moved to it when `liveStage` differs. */
  | { type: 'coupling.adopt'; couplingId: string; app: string; appId: string; stage: string; liveStage: string }
  | { type: 'coupling.delete'; couplingId: string; app: string }
  /** Adds a member (POST: never overwrites one added meanwhile). */
  | { type: 'member.create'; team: string; email: string; role: string }
  /** Sets the role (PATCH, guarded); `send: false` only records a member whose role already matches as owned. */
  | { type: 'member.update'; team: string; memberId: string; email: string; role: string; send: boolean }
  | { type: 'member.delete'; team: string; memberId: string; email: string }
  /** PATCH of one account feature; `send: false` only records an already-equal feature as owned. */
  | { type: 'account-feature.set'; name: string; enabled: boolean; send: boolean }
  /**
   * The object is in state but no longer exists live (deleted outside
   * dynoform) and is not to be recreated: apply only removes it from state,
   * under the change's address. No request.
   */
  | { type: 'state.forget' }
  | { type: 'none' };

/** Per-item detail of a grouped change (config keys, formation types). */
export interface ChangeItem {
  key: string;
  action: Action;
  /** Masked: a secret shows as `(secret)` / `(sensitive, changed)`. */
  before?: string | number | boolean | null;
  after?: string | number | boolean | null;
  note?: string;
  loc?: SourceLocation;
}

export interface Guard {
  /** ETag of the response the change was computed from; sent as If-Match. */
  etag?: string;
  /**
   * Fingerprint of the live fields the change was computed from, for objects
   * read from a list (no per-object ETag): apply re-reads the object, checks
   * this, and then writes with the fresh ETag as If-Match.
   */
  fingerprint?: string;
}

export interface SideEffects {
  /** New releases the change causes (each restarts the app's dynos). */
  releases: number;
}

export interface Change {
  /** Stable id within the plan (its address plus a suffix when needed). */
  id: string;
  address: Address;
  /** The app's YAML key. */
  app: string;
  kind: ResourceKind;
  action: Action;
  /** Why: for blocked, replace-refused, waiting, and adoption notes. */
  reason?: string;
  /** Masked snapshot before / after, for display and JSON output. */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  items?: ChangeItem[];
  /** JSON Patch from before to after, secrets masked. */
  patch: PatchOp[];
  guard: Guard;
  /** Ids of changes that must succeed first. */
  dependsOn: string[];
  sideEffects: SideEffects;
  /** API requests apply needs for this change (without retries or polling). */
  requests: number;
  op: Operation;
  loc?: SourceLocation;
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  adopt: number;
  blocked: number;
  replaceRefused: number;
  /** Process types waiting for a release that defines them (items of formation changes). */
  waiting: number;
  /** State entries to forget because the object was deleted outside dynoform (action `delete` with op `state.forget`; not counted in `delete`). */
  forget?: number;
  /** Releases (= dyno restarts) the apply causes, over all apps. */
  releases: number;
  /** API requests the apply needs. */
  requests: number;
  /** `RateLimit-Remaining` when the plan was made. */
  rateLimitRemaining?: number;
}

export const PLAN_FORMAT_VERSION = 1;

export interface PlanAccount {
  id: string;
  email: string;
}

export interface Plan {
  formatVersion: number;
  dynoformVersion: string;
  createdAt: string;
  apiUrl: string;
  /** The state the plan was computed against: apply refuses when it moved. */
  lineage: string;
  serial: number;
  /** The environment the plan was made for; apply refuses a state of another environment. */
  environment?: string;
  /**
   * The state it was made against, as given (a path relative to the working
   * directory, or a URL with its password masked): `apply PLANFILE` uses it
   * unless --state or DYNOFORM_STATE says otherwise.
   */
  state?: string;
  /**
   * The Heroku account the plan was made with (GET /account), recorded by a
   * saved plan: apply refuses it under another account's token, before any
   * write. Absent in a plan made in the same run as its apply.
   */
  account?: PlanAccount;
  /** `--target` app keys, when the plan was limited. */
  targets?: string[];
  /** The YAML files the plan came from. */
  files: string[];
  changes: Change[];
  /**
   * How the live read went: config reads made, and those the state's
   * records saved because the app's release had not moved (issue 20).
   * Absent when the plan's reader used no records.
   */
  configReads?: ConfigReads;
  /** Notes: unmanaged keys in merge mode, waiting process types, warnings. */
  diagnostics: Diagnostic[];
  summary: PlanSummary;
}
