/**
 * The app features (Heroku Labs) the emulator offers, as `heroku labs -a`
 * lists them on a real account. Ids are fixed so that a feature is the
 * same object on every app and every run.
 */
export interface FeatureDef {
  id: string;
  name: string;
  displayName: string;
  description: string;
  docUrl: string;
  state: 'public' | 'beta' | 'alpha' | 'general';
  feedbackEmail: string;
  /** On for an account (or app) that never set it. */
  defaultEnabled?: boolean;
}

/** A feature list's definer: ids under `idPrefix`, so app and account features never share one. */
export const featureDefiner =
  (idPrefix: string) =>
  (n: number, name: string, displayName: string, description: string, state: FeatureDef['state'], doc: string): FeatureDef => ({
    id: `${idPrefix}-0000-4000-8000-${String(n).padStart(12, '0')}`,
    name,
    displayName,
    description,
    docUrl: `https://devcenter.heroku.com/articles/${doc}`,
    state,
    feedbackEmail: '',
  });

const def = featureDefiner('5f6e0000');

export const APP_FEATURES: readonly FeatureDef[] = [
  def(1, 'preboot', 'Preboot', 'Provide seamless web dyno deploys.', 'general', 'preboot'),
  def(2, 'runtime-dyno-metadata', 'Dyno metadata', 'Provide information about the app and environment.', 'beta', 'dyno-metadata'),
  def(3, 'log-runtime-metrics', 'Log runtime metrics', 'Emit dyno resource usage information into app logs.', 'beta', 'log-runtime-metrics'),
  def(4, 'http-session-affinity', 'Session affinity', 'Enable session affinity for all requests to this app.', 'general', 'session-affinity'),
  def(5, 'runtime-heroku-metrics', 'Language metrics', 'Emit language runtime metrics to Heroku.', 'public', 'language-runtime-metrics'),
  def(6, 'nodejs-language-metrics', 'Node.js language metrics', 'Emit Node.js metrics to Heroku.', 'beta', 'language-runtime-metrics-nodejs'),
  def(7, 'spaces-dns-discovery', 'DNS service discovery', 'Use DNS service discovery between apps in a space.', 'public', 'dyno-dns-service-discovery'),
  def(8, 'http-end-to-end-continue', 'End-to-end 100-continue', 'Pass Expect: 100-continue through to the app.', 'beta', 'http-routing'),
];
