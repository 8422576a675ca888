import type { DesiredState } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Inventory } from '../model/inventory.js';
import type { LiveAccount } from '../model/live.js';
import type { Change } from '../model/plan.js';
import { formatAccountAddress } from '../util/address.js';
import { planFeatureSet } from './features.js';

/** `Change.app` of the account's changes: an app key has no dot, so no app can be called this. */
export const ACCOUNT_SCOPE = 'account.features';

/** Account features: the same rules as an app's features, against `GET /account/features`. */
export function planAccount(w: { desired: DesiredState; live: LiveAccount; inventory: Inventory; diagnostics: Diagnostic[] }): Change[] {
  return planFeatureSet({
    scope: ACCOUNT_SCOPE,
    kind: 'account-feature',
    declared: w.desired.account?.features ?? {},
    live: w.live.features,
    owned: w.inventory.account?.features ?? {},
    address: formatAccountAddress,
    unknown: (name, guess) => `account feature ${name} does not exist on Heroku${guess ? ` (did you mean ${guess}?)` : ''}: \`heroku labs\` lists them`,
    op: (name, enabled, send) => ({ type: 'account-feature.set', name, enabled, send }),
    diagnostics: w.diagnostics,
  }).map((s) => s.change);
}
