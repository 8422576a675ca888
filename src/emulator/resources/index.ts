import type { Platform } from '../platform.js';
import { accountRoutes } from './account/routes.js';
import { accountFeatureRoutes } from './account-features/routes.js';
import { acmRoutes } from './acm/routes.js';
import { attachmentRoutes } from './addon-attachments/routes.js';
import { resumeProvisioning } from './addons/rules.js';
import { addonRoutes } from './addons/routes.js';
import { appRoutes } from './apps/routes.js';
import { appFeatureRoutes } from './app-features/routes.js';
import { webhookRoutes } from './app-webhooks/routes.js';
import { buildpackRoutes } from './buildpack-installations/routes.js';
import { collaboratorRoutes } from './collaborators/routes.js';
import { teamAppRoutes } from './team-apps/routes.js';
import { teamRoutes } from './teams/routes.js';
import { catalogueRoutes } from './catalogue/routes.js';
import { configVarRoutes } from './config-vars/routes.js';
import { resumeVerification } from './domains/rules.js';
import { domainRoutes } from './domains/routes.js';
import { dynoRoutes } from './dynos/routes.js';
import { formationRoutes } from './formation/routes.js';
import { drainRoutes } from './log-drains/routes.js';
import { pipelineRoutes } from './pipelines/routes.js';
import { releaseRoutes } from './releases/routes.js';
import { reviewAppRoutes } from './review-apps/routes.js';
import { slugRoutes } from './slugs/routes.js';
import { sniEndpointRoutes } from './sni-endpoints/routes.js';
import type { RouteDef } from './types.js';

/** Every Platform API endpoint the emulator serves. */
export const ROUTES: readonly RouteDef[] = [
  ...accountRoutes,
  ...accountFeatureRoutes,
  ...catalogueRoutes,
  ...appRoutes,
  ...appFeatureRoutes,
  ...webhookRoutes,
  ...acmRoutes,
  ...buildpackRoutes,
  // /teams/apps/… before /teams/{team}/…: an app may be called `members`.
  ...teamAppRoutes,
  ...collaboratorRoutes,
  ...teamRoutes,
  ...configVarRoutes,
  ...releaseRoutes,
  ...slugRoutes,
  ...formationRoutes,
  ...dynoRoutes,
  ...addonRoutes,
  ...attachmentRoutes,
  ...sniEndpointRoutes,
  ...domainRoutes,
  ...drainRoutes,
  ...pipelineRoutes,
  ...reviewAppRoutes,
];

/** After loading a data file: finish what was in flight when it was saved. */
export function resumePending(platform: Platform): void {
  resumeProvisioning(platform);
  resumeVerification(platform);
}
