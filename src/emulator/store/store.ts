import type {
  AccountRecord,
  AddonRecord,
  AppRecord,
  AttachmentRecord,
  DomainRecord,
  DrainRecord,
  FormationRecord,
  ReleaseRecord,
  SlugRecord,
  StoreSnapshot,
} from './records.js';

/**
 * The emulator's data: plain maps keyed by id, plus the few indexes the hot
 * paths need (app by name). No HTTP and no business rules here — those live
 * in platform.ts — so that persistence is a straight copy of the maps.
 */
export class Store {
  readonly accounts = new Map<string, AccountRecord>();
  readonly apps = new Map<string, AppRecord>();
  readonly appIdsByName = new Map<string, string>();
  readonly releases = new Map<string, ReleaseRecord>();
  readonly slugs = new Map<string, SlugRecord>();
  readonly formations = new Map<string, FormationRecord>();
  readonly addons = new Map<string, AddonRecord>();
  readonly attachments = new Map<string, AttachmentRecord>();
  readonly domains = new Map<string, DomainRecord>();
  readonly drains = new Map<string, DrainRecord>();

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
      this.drains.size
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
    return store;
  }
}
