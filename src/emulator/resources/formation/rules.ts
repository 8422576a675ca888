import { invalidParams, notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AppRecord, FormationRecord } from '../../store/records.js';
import { DEFAULT_DYNO_SIZE, DYNO_SIZES, type DynoSize, type DynoTier, dynoSizeById, findDynoSize, isUuid } from '../catalogue/data.js';

/** A formation change as the HTTP layer normalised it. */
export interface FormationUpdate {
  type: string;
  /** An absolute quantity, or a relative one (`+1`, `-1` from the Heroku CLI). */
  quantity?: { absolute: number } | { delta: number };
  /** Size name or id, any case. */
  size?: string;
}

export function formationOf(p: Platform, app: AppRecord): FormationRecord[] {
  return [...p.store.formations.values()].filter((f) => f.appId === app.id);
}

export function findFormation(p: Platform, app: AppRecord, key: string): FormationRecord {
  const f = isUuid(key) ? p.store.formations.get(key.toLowerCase()) : formationOf(p, app).find((x) => x.type === key);
  if (!f || f.appId !== app.id) throw notFound(`Couldn't find that process type (${key}).`, 'formation');
  return f;
}

/** A released slug's process types become the formation: new types at 0 (web at 1), gone types removed. */
export function syncFormation(p: Platform, app: AppRecord, processTypes: Record<string, string>): void {
  app.processTypes = { ...processTypes };
  const now = p.now();
  const current = formationOf(p, app);
  const inherit = current.find((f) => f.type === 'web') ?? current[0];
  const sizeId = inherit?.sizeId ?? (findDynoSize(DEFAULT_DYNO_SIZE) ?? dynoSizeById(DYNO_SIZES[0]?.id ?? '')).id;
  for (const f of current) {
    const command = processTypes[f.type];
    if (command === undefined) p.store.formations.delete(f.id);
    else if (command !== f.command) p.store.formations.set(f.id, { ...f, command, updatedAt: now });
  }
  for (const [type, command] of Object.entries(processTypes)) {
    if (current.some((f) => f.type === type)) continue;
    const rec: FormationRecord = {
      id: p.uuid(),
      appId: app.id,
      type,
      quantity: type === 'web' ? 1 : 0,
      sizeId,
      command,
      createdAt: now,
      updatedAt: now,
    };
    p.store.formations.set(rec.id, rec);
  }
  p.changed();
}

/** All updates are checked before any is applied; scaling cuts no release. */
export function updateFormation(p: Platform, app: AppRecord, updates: FormationUpdate[]): FormationRecord[] {
  const next = new Map(formationOf(p, app).map((f) => [f.id, { ...f }]));
  const touched: FormationRecord[] = [];
  for (const u of updates) {
    const current = findFormation(p, app, u.type);
    const rec = next.get(current.id);
    if (!rec) continue;
    if (u.size !== undefined) {
      const size = findDynoSize(u.size);
      if (!size) {
        throw invalidParams(`Invalid dyno size ${JSON.stringify(u.size)}. Valid sizes: ${DYNO_SIZES.filter((s) => !s.privateSpaceOnly).map((s) => s.name).join(', ')}.`);
      }
      if (size.privateSpaceOnly) throw invalidParams(`${size.displayName} dynos are only available to apps in a Private Space.`);
      rec.sizeId = size.id;
    }
    if (u.quantity !== undefined) {
      const q = 'absolute' in u.quantity ? u.quantity.absolute : rec.quantity + u.quantity.delta;
      if (!Number.isInteger(q) || q < 0) throw invalidParams(`Invalid params: quantity for ${rec.type} must be a non-negative integer.`);
      rec.quantity = q;
    }
    if (!touched.includes(rec)) touched.push(rec);
  }
  for (const rec of touched) {
    const size = dynoSizeById(rec.sizeId);
    if (rec.quantity > size.maxQuantity) {
      throw invalidParams(`Cannot scale to more than ${size.maxQuantity} ${size.displayName} size dyno${size.maxQuantity === 1 ? '' : 's'} per process type.`);
    }
  }
  checkTierMix([...next.values()].filter((f) => f.quantity > 0).map((f) => dynoSizeById(f.sizeId)));

  const now = p.now();
  const result: FormationRecord[] = [];
  for (const rec of touched) {
    const before = p.store.formations.get(rec.id);
    const changed = before === undefined || before.quantity !== rec.quantity || before.sizeId !== rec.sizeId;
    const saved = changed ? { ...rec, updatedAt: now } : (before ?? rec);
    p.store.formations.set(saved.id, saved);
    result.push(saved);
  }
  if (result.length > 0) p.changed();
  return result;
}

/** Eco and Basic dynos cannot run beside other tiers; Standard and Performance mix. */
function checkTierMix(sizes: DynoSize[]): void {
  const tiers = new Set<DynoTier>(sizes.map((s) => s.tier));
  for (const lone of ['eco', 'basic'] as const) {
    if (tiers.has(lone) && tiers.size > 1) {
      const name = lone === 'eco' ? 'Eco' : 'Basic';
      throw invalidParams(`${name} dynos cannot be mixed with other dyno types. Scale every process type to the same tier.`);
    }
  }
}
