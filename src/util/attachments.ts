import type { LiveApp } from '../model/live.js';

/** An attachment on an app of an add-on another app is billed for. */
export interface SharedAttachment {
  id: string;
  name: string;
  appId: string;
  addonId: string;
  addonName: string;
  /** The add-on's billing app. */
  ownerName: string;
}

/** The attachments on `app` of add-ons billed to other apps, as the account-wide lists show them. */
export function sharedAttachmentsOn(app: LiveApp): SharedAttachment[] {
  const out: SharedAttachment[] = [];
  for (const a of app.addons) {
    if (a.appId === app.id || a.state === 'deprovisioned') continue;
    for (const at of a.attachments) {
      if (at.appId === app.id) out.push({ id: at.id, name: at.name, appId: app.id, addonId: a.id, addonName: a.name, ownerName: a.appName });
    }
  }
  return out.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}
