/** The Platform API provider: the only code in dynoform that speaks HTTP to Heroku. */
export { resolveApiUrl, resolveCredentials, isLoopbackHost, DEFAULT_API_URL, type Credentials } from './auth.js';
export { HerokuClient, ACCEPT_V3, type HerokuClientOptions, type ApiResponse, type GetOptions, type ListOptions, type RequestOptions } from './client.js';
export {
  ConfigurationError,
  HerokuApiError,
  RateLimitedError,
  PreconditionFailedError,
  NetworkError,
  AbortedError,
  ProvisioningError,
} from './errors.js';
export type { WriteOptions } from './paths.js';
export * as apps from './apps.js';
export * as configVars from './config-vars.js';
export * as addons from './addons.js';
export * as formation from './formation.js';
export * as domains from './domains.js';
export * as drains from './drains.js';
export * as buildpacks from './buildpacks.js';
export * as features from './features.js';
export * as webhooks from './webhooks.js';
export * as certificates from './certificates.js';
export * as account from './account.js';
export { readLiveState, addonConfigVarsFor, type ReadLiveOptions } from './live.js';
