import { featureDefiner, type FeatureDef } from '../app-features/data.js';

/**
 * The account features (Heroku Labs for the user) the emulator offers.
 * Names never collide with app features: `heroku labs:enable NAME -a APP`
 * asks `/account/features/NAME` first and falls back to the app only on a
 * 404. `general` ones are hidden by `heroku labs`, as on a real account.
 */
const def = featureDefiner('4a1c0000');

export const ACCOUNT_FEATURES: readonly FeatureDef[] = [
  def(1, 'dashboard-metrics-preview', 'Metrics preview', 'Preview the next version of the metrics dashboard.', 'beta', 'metrics'),
  def(2, 'cli-pipelines-preview', 'Pipelines CLI preview', 'Try pipeline commands before they are released.', 'alpha', 'pipelines'),
  def(3, 'build-cache-insights', 'Build cache insights', 'Show how much of each build came from the cache.', 'beta', 'slug-compiler'),
  def(4, 'account-audit-trail', 'Audit trail', 'Keep a trail of account-level changes for 90 days.', 'general', 'audit-trail'),
  def(5, 'app-json-schema-preview', 'app.json schema preview', 'Validate app.json against the newest schema.', 'public', 'app-json-schema'),
  // On by default: the Heroku CLI's reviewapps:enable/disable then read the pipeline's repository from
  // GET /pipelines/{id}/repo, which the emulator serves, instead of Kolkrabbi (a GitHub-integration host outside the Platform API).
  { ...def(6, 'dashboard-repositories-api', 'Repositories API', 'Read GitHub repositories connected to pipelines through the Platform API.', 'general', 'github-integration'), defaultEnabled: true },
];
