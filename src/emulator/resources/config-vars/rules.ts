import { invalidParams } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AccountRecord, AppRecord } from '../../store/records.js';
import { attachmentKeys } from '../addon-attachments/rules.js';
import { cutRelease } from '../releases/rules.js';

/** Config vars on Heroku are limited to 32 kB per app. */
const CONFIG_LIMIT_BYTES = 32 * 1024;

/** Merge-patch semantics: a string sets, null deletes; one release when anything changed. */
export function setConfig(p: Platform, account: AccountRecord, app: AppRecord, changes: Record<string, string | null>): Record<string, string> {
  const owned = attachmentKeys(p, app);
  const clash = Object.keys(changes).filter((k) => owned.has(k));
  if (clash.length > 0) throw invalidParams(`Cannot overwrite attachment values ${clash.join(', ')}.`);
  const next = { ...app.config };
  const set: string[] = [];
  const removed: string[] = [];
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) {
      if (key in next) {
        delete next[key];
        removed.push(key);
      }
    } else if (next[key] !== value) {
      next[key] = value;
      set.push(key);
    }
  }
  if (set.length === 0 && removed.length === 0) return app.config;
  const bytes = Object.entries(next).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (bytes > CONFIG_LIMIT_BYTES) {
    throw invalidParams(`Config vars are limited to ${CONFIG_LIMIT_BYTES / 1024} kB per app; this change would make them ${bytes} bytes.`);
  }
  app.config = next;
  const description =
    removed.length === 0
      ? `Set ${set.join(', ')} config vars`
      : set.length === 0
        ? `Remove ${removed.join(', ')} config vars`
        : `Set ${set.join(', ')} and remove ${removed.join(', ')} config vars`;
  cutRelease(p, account, app, description);
  return app.config;
}
