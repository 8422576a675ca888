/**
 * The parts of Platform API v3 response bodies that dynoform reads
 * (../shared/heroku-api/schema.json). Everything else in a body is ignored,
 * so these stay partial on purpose.
 */
export interface Ref {
  id: string;
  name: string;
}

export interface ApiApp {
  id: string;
  name: string;
  region: Ref;
  stack: Ref;
  build_stack: Ref;
  maintenance: boolean;
  team?: { name?: string } | null;
  released_at?: string | null;
  acm?: boolean;
}

export interface ApiAddon {
  id: string;
  name: string;
  app: Ref;
  addon_service: Ref;
  plan: Ref;
  state: 'provisioning' | 'provisioned' | 'deprovisioned';
  config_vars: string[] | null;
  provision_message?: string | null;
}

export interface ApiAttachment {
  id: string;
  name: string;
  addon: Ref & { app: Ref };
  app: Ref;
}

export interface ApiFormation {
  id: string;
  type: string;
  quantity: number;
  size?: string;
  dyno_size?: { id?: string; name?: string } | null;
  command?: string | null;
}

export interface ApiDomain {
  id: string;
  hostname: string;
  kind: 'heroku' | 'custom';
  cname: string | null;
  sni_endpoint: { id: string; name: string } | null;
}

export interface ApiDrain {
  id: string;
  url: string;
  token: string;
  addon: (Partial<Ref> & { app?: Ref }) | null;
}

export interface ApiBuildpackInstallation {
  ordinal: number;
  buildpack: { url: string; name?: string | null };
}

export interface ApiAppFeature {
  id: string;
  name: string;
  enabled: boolean;
  state: string;
  description: string;
}

export interface ApiPipeline {
  id: string;
  name: string;
  owner: { id: string; type: 'user' | 'team' } | null;
}

export interface ApiReviewAppConfig {
  repo?: { id?: number };
  automatic_review_apps: boolean;
  destroy_stale_apps: boolean;
  stale_days?: number | null;
  wait_for_ci: boolean;
  base_name?: string | null;
  deploy_target?: { id: string; type: string } | null;
}

export interface ApiPipelineCoupling {
  id: string;
  stage: string;
  app: { id: string };
  pipeline: { id: string };
}

export interface ApiTeamMember {
  id: string;
  email: string;
  role: string | null;
}

export interface ApiAccount {
  id: string;
  email: string;
}

export interface ApiTeam {
  id: string;
  name: string;
}

export interface ApiTeamApp {
  id: string;
  name: string;
  locked?: boolean;
  team?: { name?: string } | null;
}

export interface ApiCollaborator {
  id: string;
  user: { email: string };
  role?: string | null;
  permissions?: Array<{ name: string }>;
}

/** `app-webhook`: the API never returns `secret` or `authorization`. */
export interface ApiWebhook {
  id: string;
  url: string;
  include: string[];
  level: string;
  created_at?: string;
  updated_at: string;
}

export interface ApiSniEndpoint {
  id: string;
  name: string;
  certificate_chain: string;
  ssl_cert?: { cert_domains?: string[]; expires_at?: string };
}
