import { notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AppRecord } from '../../store/records.js';
import { isUuid } from '../catalogue/data.js';
import { APP_FEATURES, type FeatureDef } from './data.js';

export interface AppFeature {
  def: FeatureDef;
  enabled: boolean;
  updatedAt: string;
}

function state(app: AppRecord, def: FeatureDef): AppFeature {
  const set = app.features?.[def.name];
  return { def, enabled: set?.enabled ?? false, updatedAt: set?.updatedAt ?? app.createdAt };
}

export function featuresOf(app: AppRecord): AppFeature[] {
  return APP_FEATURES.map((d) => state(app, d));
}

/** By id or name, as the API takes both. */
export function findFeature(app: AppRecord, key: string): AppFeature {
  const def = isUuid(key) ? APP_FEATURES.find((d) => d.id === key.toLowerCase()) : APP_FEATURES.find((d) => d.name === key);
  if (!def) throw notFound("Couldn't find that feature.", 'app_feature');
  return state(app, def);
}

export function setFeature(p: Platform, app: AppRecord, key: string, enabled: boolean): AppFeature {
  const f = findFeature(app, key);
  if (f.enabled === enabled) return f;
  const now = p.now();
  app.features = { ...app.features, [f.def.name]: { enabled, updatedAt: now } };
  // Changed in place: putting it back is what tells the --data journal.
  p.store.putApp(app);
  p.changed();
  return { ...f, enabled, updatedAt: now };
}
