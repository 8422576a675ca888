/**
 * Heroku's documented per-app limits, checked offline so that `validate`
 * (and plan, before any request) reports them at their line instead of a
 * 422 halfway through an apply. Sources: Dev Center "Limits" (config vars,
 * log drains, custom domains) and "Configuration and Config Vars" (reserved
 * HEROKU_ prefix).
 */
import type { DesiredApp } from '../model/desired.js';
import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';
import { formatAddress } from '../util/address.js';

/** "Config var data (the combination of all keys and values) for each app is limited to 32 kB." */
export const CONFIG_BYTES_MAX = 32 * 1024;
/** "Each app can have up to 5 log drains." */
export const DRAINS_MAX = 5;
/** "Apps can have a maximum of 1,000 custom domains." */
export const DOMAINS_MAX = 1000;

export const LimitCode = {
  configTooLarge: 'config-too-large',
  tooManyDrains: 'too-many-drains',
  tooManyDomains: 'too-many-domains',
  reservedConfigKey: 'reserved-config-key',
} as const;

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const kb = (n: number): string => `${(n / 1024).toFixed(1)} kB`;

export function checkAppLimits(app: DesiredApp, diagnostics: Diagnostic[]): void {
  const at = (loc: SourceLocation | undefined): Partial<SourceLocation> => loc ?? app.loc ?? {};
  const entries = Object.entries(app.config);
  let total = 0;
  for (const [k, v] of entries) total += bytes(k) + bytes(v.value);
  if (total > CONFIG_BYTES_MAX) {
    // Point at the largest value: usually the one that went wrong (a pasted certificate, a file).
    const [bigKey, big] = entries.reduce((a, b) => (bytes(b[0]) + bytes(b[1].value) > bytes(a[0]) + bytes(a[1].value) ? b : a));
    const size = bytes(bigKey) + bytes(big.value);
    diagnostics.push({
      severity: 'error',
      code: LimitCode.configTooLarge,
      message:
        `the config of ${app.name} is ${kb(total)}, over Heroku's limit of 32 kB for all keys and values of an app; ` +
        `the largest is ${bigKey} (${big.secret ? 'a secret from the environment' : kb(size)}). Keep large data out of config vars (an add-on, a file in the slug)`,
      address: formatAddress(app.key, 'config', bigKey),
      ...at(big.loc),
    });
  }
  for (const [k, v] of entries) {
    if (!/^HEROKU_/i.test(k) && !k.startsWith('__')) continue;
    diagnostics.push({
      severity: 'warning',
      code: LimitCode.reservedConfigKey,
      message: k.startsWith('__')
        ? `config key ${k} starts with "__", which Heroku reserves for its own use: the platform may refuse or overwrite it`
        : `config key ${k} starts with HEROKU_, which Heroku reserves (dyno metadata, add-ons): the platform may overwrite it`,
      address: formatAddress(app.key, 'config', k),
      ...at(v.loc),
    });
  }
  const tooMany = (list: { loc?: SourceLocation }[], max: number, code: string, noun: string, field: string): void => {
    if (list.length <= max) return;
    diagnostics.push({
      severity: 'error',
      code,
      message: `${app.name} declares ${list.length} ${noun}; Heroku allows at most ${max} per app`,
      address: formatAddress(app.key),
      ...at(list[max]?.loc ?? app.fieldLocs?.[field]),
    });
  };
  tooMany(app.drains, DRAINS_MAX, LimitCode.tooManyDrains, 'log drains', 'drains');
  tooMany(app.domains, DOMAINS_MAX, LimitCode.tooManyDomains, 'custom domains', 'domains');
}
