/**
 * Resource addresses, e.g. `app.shop`, `app.shop/config.RAILS_ENV`,
 * `app.shop/addon.db`, `app.shop/formation.web`,
 * `app.shop/domain.www.example.com`, `app.shop/drain.<masked url>`,
 * `app.shop/buildpacks` (the whole ordered list), `app.shop/feature.preboot`,
 * `app.shop/team` (owner and `locked`), `app.shop/collaborator.ann@example.com`,
 * `app.shop/webhook.https://hooks.example.com/h`, `app.shop/attachment.SHOP_DB`.
 * A drain's URL may carry credentials, so its address always uses the URL
 * with userinfo replaced by `***`.
 * Top-level sections have their own roots: `pipeline.shop`,
 * `pipeline.shop/coupling.<app key>`, `pipeline.shop/config.review` (a
 * stage's config vars, one change per stage), `pipeline.shop/review-apps`,
 * `team.acme/member.ann@example.com` and `account/feature.<name>`.
 */
export type Address = string;

export type ResourceKind = 'app' | 'config' | 'addon' | 'formation' | 'domain' | 'drain' | 'buildpacks' | 'feature' | 'certificate' | 'acm' | 'team' | 'collaborator' | 'webhook' | 'attachment' | 'pipeline' | 'coupling' | 'stage-config' | 'review-apps' | 'member' | 'account-feature';

/** The kinds that live inside an app. */
export type AppChildKind = 'config' | 'addon' | 'formation' | 'domain' | 'drain' | 'buildpacks' | 'feature' | 'certificate' | 'acm' | 'team' | 'collaborator' | 'webhook' | 'attachment';

export interface ParsedAddress {
  app: string;
  kind: 'app' | AppChildKind;
  /** The key within the app (config key, add-on key, process type, hostname, masked drain URL); absent for the app itself. */
  key?: string;
}
