/**
 * Pure: what `import --from-terraform` does with each resource type of the
 * Terraform Heroku provider (heroku/heroku 5.x). docs/migrating-from-terraform.md
 * holds the same table for users; keep the two together.
 */

export type KindTreatment =
  /** Mapped to YAML (see map.ts). */
  | { kind: 'mapped' }
  /** A dynoform kind that a later version declares: reported, left as it is. */
  | { kind: 'later'; what: string }
  /** Outside what dynoform manages: reported with the reason. */
  | { kind: 'never'; why: string };

const MAPPED: ReadonlySet<string> = new Set([
  'heroku_app',
  'heroku_config',
  'heroku_app_config_association',
  'heroku_addon',
  'heroku_addon_attachment',
  'heroku_formation',
  'heroku_domain',
  'heroku_drain',
  'heroku_app_feature',
  'heroku_pipeline',
  'heroku_pipeline_coupling',
  'heroku_collaborator',
  'heroku_team_collaborator',
]);

const LATER: Readonly<Record<string, string>> = {
  heroku_account_feature: 'account features',
  heroku_team_member: 'team members',
  heroku_cert: 'SNI certificates',
  heroku_ssl: 'SNI certificates',
  heroku_app_webhook: 'app webhooks',
  heroku_pipeline_config_var: 'pipeline stage config vars',
  heroku_review_app_config: 'review-app configuration',
};

const NEVER: Readonly<Record<string, string>> = {
  heroku_build: 'a build deploys code: dynoform manages how apps are set up, not what they run (keep deploying as you do)',
  heroku_slug: 'a slug is deployed code: dynoform manages how apps are set up, not what they run (keep deploying as you do)',
  heroku_app_release: 'a release deploys code: dynoform manages how apps are set up, not what they run (keep deploying as you do)',
  heroku_space: 'dynoform does not manage Private Spaces',
  heroku_space_app_access: 'dynoform does not manage Private Spaces',
  heroku_space_inbound_ruleset: 'dynoform does not manage Private Spaces',
  heroku_space_peering_connection_accepter: 'dynoform does not manage Private Spaces',
  heroku_space_vpn_connection: 'dynoform does not manage Private Spaces',
  heroku_telemetry_drain: 'dynoform does not manage telemetry drains (log drains, heroku_drain, it does)',
};

/** The provider's source address ends in `heroku/heroku` on any registry host (Terraform's or OpenTofu's). */
export function isHerokuProvider(source: string): boolean {
  return /(?:^|\/)heroku\/heroku$/i.test(source);
}

/** How a managed resource of the Heroku provider is treated; undefined for a type the provider does not have. */
export function treatmentOf(type: string): KindTreatment | undefined {
  if (MAPPED.has(type)) return { kind: 'mapped' };
  const later = LATER[type];
  if (later !== undefined) return { kind: 'later', what: later };
  const never = NEVER[type];
  if (never !== undefined) return { kind: 'never', why: never };
  return undefined;
}

export const MAPPED_TYPES: readonly string[] = [...MAPPED];
export const LATER_TYPES: Readonly<Record<string, string>> = LATER;
