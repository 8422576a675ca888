import { maskUrlUserinfo } from '../util/mask.js';
import { appLoc, type AppScope } from './context.js';

/**
 * Log drains (drains an add-on created are never reported). A drain URL may
 * hold credentials: it is compared by fingerprint and shown masked. Drains
 * cannot be edited, so a changed URL shows as one missing plus one unmanaged.
 */
export function classifyDrains(scope: AppScope): void {
  const { desired: d, owned: inv, live: l, fingerprint: fp } = scope;
  if (!d || !l) return;
  const fieldLoc = d.fieldLocs?.['drains'] ?? appLoc(scope);
  const liveDrains = l.drains.filter((x) => x.addonId === undefined);
  const owned = Object.entries(inv?.drains ?? {});
  const accounted = new Set<string>();

  // A fingerprint this run cannot check (recorded without a key) falls back to the live drain of the same id: drains are immutable.
  const declaredFor = (id: string, urlFingerprint: string) =>
    fp.canCompare(urlFingerprint)
      ? d.drains.find((dd) => fp.matches(dd.url, dd.secret, urlFingerprint))
      : d.drains.find((dd) => liveDrains.some((x) => x.id === id && x.url === dd.url));

  for (const [id, io] of owned) {
    const dd = declaredFor(id, io.urlFingerprint);
    const loc = dd?.loc ?? fieldLoc;
    const ld = liveDrains.find((x) => x.id === id);
    if (ld) accounted.add(ld.id);
    else scope.add({ class: 'missing', kind: 'drain', key: io.maskedUrl, message: `log drain ${io.maskedUrl} was deleted outside dynoform`, loc, before: io.maskedUrl, after: null });
    if (!dd) {
      scope.add({
        class: 'pending',
        kind: 'drain',
        key: io.maskedUrl,
        message: `log drain ${io.maskedUrl} was removed from the YAML and not applied: apply will delete it`,
        loc: fieldLoc,
        before: io.maskedUrl,
        after: null,
      });
    }
  }

  for (const dd of d.drains) {
    const masked = maskUrlUserinfo(dd.url);
    // A live drain with the declared URL is the declared drain, even when it was re-created outside.
    const ld = liveDrains.find((x) => x.url === dd.url && !accounted.has(x.id));
    if (ld) accounted.add(ld.id);
    if (ld || owned.some(([id, io]) => declaredFor(id, io.urlFingerprint) === dd)) continue;
    scope.add({ class: 'pending', kind: 'drain', key: masked, message: `log drain ${masked} is declared but not added yet`, loc: dd.loc ?? fieldLoc, before: null, after: masked });
  }

  for (const ld of liveDrains) {
    if (accounted.has(ld.id)) continue;
    const masked = maskUrlUserinfo(ld.url);
    scope.add({ class: 'unmanaged', kind: 'drain', key: masked, message: `log drain ${masked} is not declared`, loc: appLoc(scope), before: null, after: masked });
  }
}
