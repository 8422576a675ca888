import { accountRoutes } from './resources/account.js';
import { attachmentRoutes } from './resources/addon-attachments.js';
import { addonRoutes } from './resources/addons.js';
import { appRoutes } from './resources/apps.js';
import { catalogueRoutes } from './resources/catalogue.js';
import { configVarRoutes } from './resources/config-vars.js';
import { domainRoutes } from './resources/domains.js';
import { formationRoutes } from './resources/formation.js';
import { drainRoutes } from './resources/log-drains.js';
import { miscRoutes } from './resources/misc.js';
import { releaseRoutes } from './resources/releases.js';
import type { RouteDef } from './resources/types.js';

/** Every Platform API endpoint the emulator serves. */
export const ROUTES: readonly RouteDef[] = [
  ...accountRoutes,
  ...catalogueRoutes,
  ...appRoutes,
  ...configVarRoutes,
  ...releaseRoutes,
  ...formationRoutes,
  ...addonRoutes,
  ...attachmentRoutes,
  ...domainRoutes,
  ...drainRoutes,
  ...miscRoutes,
];
