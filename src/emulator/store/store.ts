import type {
  AccountRecord,
  AddonRecord,
  AppRecord,
  AttachmentRecord,
  CouplingRecord,
  DomainRecord,
  DrainRecord,
  FormationRecord,
  PipelineRecord,
  ReleaseRecord,
  SlugRecord,
  StoreSnapshot,
  TeamRecord,
  TeamMemberRecord,
  CollaboratorRecord,
  SniEndpointRecord,
  WebhookRecord,
} from './records.js';

/** The persisted collections, by their name in the snapshot. */
export const COLLECTIONS = ['accounts', 'apps', 'releases', 'slugs', 'formations', 'addons', 'attachments', 'domains', 'drains', 'teams', 'teamMembers', 'collaborators', 'pipelines', 'couplings', 'sniEndpoints', 'webhooks'] as const;
export type Collection = (typeof COLLECTIONS)[number];

/**
 * A map that remembers which ids were set or deleted since persistence last
 * took them (`takeDirty`), so that a save writes only what changed. A record
 * changed in place must be `set` again to count.
 */
export class TrackedMap<T> extends Map<string, T> {
  dirty = new Set<string>();

  override set(id: string, value: T): this {
    this.dirty?.add(id);
    return super.set(id, value);
  }

  override delete(id: string): boolean {
    this.dirty.add(id);
    return super.delete(id);
  }

  takeDirty(): Set<string> {
    const d = this.dirty;
    this.dirty = new Set();
    return d;
  }
}

/**
 * The emulator's data: maps keyed by id, plus the few indexes the hot paths
 * need (app by name). No HTTP and no business rules here — those live in
 * resources/<resource>/rules.ts — so that persistence is a straight copy of
 * the maps, or of the records that changed.
 */
export class Store {
  readonly accounts = new TrackedMap<AccountRecord>();
  readonly apps = new TrackedMap<AppRecord>();
  readonly appIdsByName = new Map<string, string>();
  readonly releases = new TrackedMap<ReleaseRecord>();
  readonly slugs = new TrackedMap<SlugRecord>();
  readonly formations = new TrackedMap<FormationRecord>();
  readonly addons = new TrackedMap<AddonRecord>();
  readonly attachments = new TrackedMap<AttachmentRecord>();
  readonly domains = new TrackedMap<DomainRecord>();
  readonly drains = new TrackedMap<DrainRecord>();
  readonly teams = new TrackedMap<TeamRecord>();
  readonly teamMembers = new TrackedMap<TeamMemberRecord>();
  readonly collaborators = new TrackedMap<CollaboratorRecord>();
  readonly pipelines = new TrackedMap<PipelineRecord>();
  readonly couplings = new TrackedMap<CouplingRecord>();
  readonly sniEndpoints = new TrackedMap<SniEndpointRecord>();
  readonly webhooks = new TrackedMap<WebhookRecord>();

  collection(name: Collection): TrackedMap<{ id: string }> {
    return this[name] as TrackedMap<{ id: string }>;
  }

  /** Forgets what changed (after loading: everything loaded is saved already). */
  clearDirty(): void {
    for (const name of COLLECTIONS) this.collection(name).takeDirty();
  }

  /** Bumped on every change, so persistence knows when there is something to save. */
  generation = 0;
  /** Called after every change (persistence schedules a save). */
  onTouch: (() => void) | undefined;

  touch(): void {
    this.generation += 1;
    this.onTouch?.();
  }

  putApp(app: AppRecord, previousName?: string): void {
    if (previousName !== undefined && previousName !== app.name) this.appIdsByName.delete(previousName);
    this.apps.set(app.id, app);
    this.appIdsByName.set(app.name, app.id);
  }

  deleteApp(app: AppRecord): void {
    this.apps.delete(app.id);
    this.appIdsByName.delete(app.name);
  }

  appByName(name: string): AppRecord | undefined {
    const id = this.appIdsByName.get(name);
    return id === undefined ? undefined : this.apps.get(id);
  }

  countObjects(): number {
    return (
      this.accounts.size +
      this.apps.size +
      this.releases.size +
      this.slugs.size +
      this.formations.size +
      this.addons.size +
      this.attachments.size +
      this.domains.size +
      this.drains.size +
      this.teams.size +
      this.teamMembers.size +
      this.collaborators.size +
      this.pipelines.size +
      this.couplings.size +
      this.sniEndpoints.size +
      this.webhooks.size
    );
  }

  snapshot(now: string): StoreSnapshot {
    return {
      format: 'dynoform-emulator',
      version: 1,
      savedAt: now,
      accounts: [...this.accounts.values()],
      apps: [...this.apps.values()],
      releases: [...this.releases.values()],
      slugs: [...this.slugs.values()],
      formations: [...this.formations.values()],
      addons: [...this.addons.values()],
      attachments: [...this.attachments.values()],
      domains: [...this.domains.values()],
      drains: [...this.drains.values()],
      teams: [...this.teams.values()],
      teamMembers: [...this.teamMembers.values()],
      collaborators: [...this.collaborators.values()],
      pipelines: [...this.pipelines.values()],
      couplings: [...this.couplings.values()],
      sniEndpoints: [...this.sniEndpoints.values()],
      webhooks: [...this.webhooks.values()],
    };
  }

  static fromSnapshot(s: StoreSnapshot): Store {
    if (s.format !== 'dynoform-emulator' || s.version !== 1) {
      throw new Error(`not an emulator data file (format ${String(s.format)}, version ${String(s.version)})`);
    }
    const store = new Store();
    const fill = <T extends { id: string }>(map: Map<string, T>, list: T[] | undefined): void => {
      for (const item of list ?? []) map.set(item.id, item);
    };
    fill(store.accounts, s.accounts);
    for (const app of s.apps ?? []) store.putApp(app);
    fill(store.releases, s.releases);
    fill(store.slugs, s.slugs);
    fill(store.formations, s.formations);
    fill(store.addons, s.addons);
    fill(store.attachments, s.attachments);
    fill(store.domains, s.domains);
    fill(store.drains, s.drains);
    fill(store.teams, s.teams);
    fill(store.teamMembers, s.teamMembers);
    fill(store.collaborators, s.collaborators);
    fill(store.pipelines, s.pipelines);
    fill(store.couplings, s.couplings);
    fill(store.sniEndpoints, s.sniEndpoints);
    fill(store.webhooks, s.webhooks);
    store.clearDirty();
    return store;
  }
}
