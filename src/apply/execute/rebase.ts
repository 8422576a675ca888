import type { Change } from '../../model/plan.js';
import { ConflictError } from './context.js';

/**
 * ETags describe a whole representation, so our own earlier changes in a
 * run can invalidate the ETag a later change was planned with: attaching an
 * add-on adds DATABASE_URL to the config vars, renaming an app changes the
 * app name inside every formation entry. Sending the plan's ETag then would
 * fail with 412 for a change nobody else made.
 *
 * So for such a guarded change, before the first sibling that disturbs it
 * runs, we read the guarded object once and check its ETag against the
 * plan's (someone else's edit is still caught), keeping the fields the
 * change relies on. When the change itself runs we read again, require
 * those fields to be unchanged, and write with the fresh ETag. Nothing a
 * reviewer did not see is overwritten; our own side effects do not count as
 * conflicts.
 */
export interface Snapshot<F> {
  etag?: string;
  fields: F;
}

export interface RebaseSpec<F> {
  /** Reads the guarded object now. */
  read(): Promise<Snapshot<F>>;
  /** True when the fields the change relies on are the same in both reads. */
  same(before: F, after: F): boolean;
}

class Rebase<F> {
  /** The first read, or why it could not be used (a conflict, or the read's own error). */
  private taken: Promise<Snapshot<F> | Error> | undefined;
  constructor(
    private readonly change: Change,
    private readonly spec: RebaseSpec<F>,
  ) {}

  /** Memoised: every disturbing sibling awaits the same first read. */
  snapshot(): Promise<unknown> {
    this.taken ??= this.spec.read().then(
      (s) =>
        this.change.guard.etag !== undefined && s.etag !== this.change.guard.etag
          ? new ConflictError(`${this.change.address} changed since the plan was made`)
          : s,
      // A failed read fails the guarded change when it runs, not the sibling that asked.
      (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
    );
    return this.taken;
  }

  /** The ETag to write with now, or a ConflictError thrown. */
  async ifMatch(): Promise<string | undefined> {
    if (!this.taken) return this.change.guard.etag; // nothing disturbed it after all
    const before = await this.taken;
    if (before instanceof Error) throw before;
    const now = await this.spec.read();
    if (!this.spec.same(before.fields, now.fields)) throw new ConflictError(`${this.change.address} changed since the plan was made`);
    return now.etag;
  }
}

/** The rebases of one run, keyed by the id of the guarded change. */
export class Rebases {
  private readonly byChange = new Map<string, Rebase<unknown>>();
  /** Disturbing change id → guarded change ids it disturbs. */
  private readonly disturbs = new Map<string, string[]>();

  register<F>(guarded: Change, disturbers: readonly Change[], spec: RebaseSpec<F>): void {
    if (disturbers.length === 0 || guarded.guard.etag === undefined) return;
    this.byChange.set(guarded.id, new Rebase(guarded, spec as RebaseSpec<unknown>));
    for (const d of disturbers) this.disturbs.set(d.id, [...(this.disturbs.get(d.id) ?? []), guarded.id]);
  }

  /** Called before a change runs: snapshots what it is about to disturb. Never throws. */
  async beforeRun(change: Change): Promise<void> {
    const ids = this.disturbs.get(change.id) ?? [];
    await Promise.all(ids.map((id) => this.byChange.get(id)!.snapshot()));
  }

  /** The If-Match for a guarded change: the plan's ETag, or a fresh one once checked. */
  async ifMatch(change: Change): Promise<string | undefined> {
    const r = this.byChange.get(change.id);
    return r ? r.ifMatch() : change.guard.etag;
  }
}
