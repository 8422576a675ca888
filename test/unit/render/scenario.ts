import type { Plan } from '../../../src/model/plan.js';
import { desiredApp, invApp, liveAddon, liveApp, liveDomain, liveFormation, managed, ownedConfig, plan, secret } from '../planner/fixtures.js';

/** A plan with one change of (nearly) every action, for the renderers. */
export function richPlan(): Plan {
  const shop = managed('shop', {
    desired: {
      maintenance: true,
      config: { RAILS_ENV: 'staging', SECRET_KEY_BASE: secret('s3cr3t-value', ['SECRET_KEY_BASE']), SAME: 'x' },
      addons: { cache: { key: 'cache', plan: 'heroku-redis:mini' } },
      formation: { web: { type: 'web', quantity: 2, size: 'standard-1X' }, worker: { type: 'worker', quantity: 1 } },
      domains: [{ hostname: 'www.example.com' }],
    },
    live: { vars: { RAILS_ENV: 'development', SAME: 'x', OLD: 'hidden-old-value' }, formation: [liveFormation('web', 1, 'basic')], domains: [liveDomain('www.example.com')] },
    // RAILS_ENV was applied by dynoform as a literal: its live value may be shown.
    inv: { config: ownedConfig({ OLD: 'hidden-old-value', RAILS_ENV: 'development' }) },
  });
  const pg = liveAddon(shop.live, 'heroku-postgresql:essential-0', { attachAs: 'DATABASE' });
  shop.live.addons = [pg];
  shop.inv.addons = { db: { id: pg.id, name: pg.name, plan: pg.plan } };
  const eu = managed('eu', { desired: { region: 'eu' }, live: { region: 'us' } });
  const gone = liveApp('old');
  return plan({
    desired: [shop.desired, eu.desired, desiredApp('blog', { config: { A: '1' } })],
    live: { shop: shop.live, eu: eu.live },
    inventory: [shop.inv, eu.inv, invApp('old', gone, { protect: false })],
    otherApps: { old: gone.id },
    rateLimitRemaining: 1180,
  });
}
