/**
 * The read-only catalogue: regions, stacks, generations, dyno sizes, add-on
 * services and plans. Ids are fixed (the `us`/`eu` regions and the
 * heroku-22 stack carry the ids api.heroku.com uses; the others were
 * generated once), so that clients may store them across emulator runs.
 * Prices are in cents per month, as the API reports them.
 */

export interface Region {
  id: string;
  name: string;
  description: string;
  country: string;
  locale: string;
  privateCapable: boolean;
  provider: string;
  createdAt: string;
  updatedAt: string;
}

const CR = (id: string, name: string, description: string, country: string, locale: string, provider: string): Region => ({
  id,
  name,
  description,
  country,
  locale,
  privateCapable: false,
  provider,
  createdAt: '2012-11-21T20:44:16Z',
  updatedAt: '2016-08-09T22:03:28Z',
});
const PS = (id: string, name: string, country: string, locale: string, provider: string): Region => ({
  id,
  name,
  description: `${locale}, ${country}`,
  country,
  locale,
  privateCapable: true,
  provider,
  createdAt: '2016-04-11T18:39:27Z',
  updatedAt: '2021-03-02T10:12:41Z',
});

export const REGIONS: readonly Region[] = [
  CR('59accabd-516d-4f0e-83e6-6e3757701145', 'us', 'United States', 'United States', 'Virginia', 'us-east-1'),
  CR('ed30241c-ed8c-4bb6-9714-61953675d0b4', 'eu', 'Europe', 'Ireland', 'Dublin', 'eu-west-1'),
  PS('96954465-809f-4bbc-91fa-79125acfbc5b', 'virginia', 'United States', 'Virginia', 'us-east-1'),
  PS('748543c6-d1cb-4779-b8ba-da27fa3d88ae', 'oregon', 'United States', 'Oregon', 'us-west-2'),
  PS('ee637d85-007a-4925-9a67-df85e0d32fb5', 'frankfurt', 'Germany', 'Frankfurt', 'eu-central-1'),
  PS('7e93a1d1-ec96-4ae2-acef-d87a8646001f', 'dublin', 'Ireland', 'Dublin', 'eu-west-1'),
  PS('07e8bf35-f3fc-41d3-8c70-e0281b5ee863', 'london', 'United Kingdom', 'London', 'eu-west-2'),
  PS('c1094bea-31f2-49b4-8d26-90d45e5fd614', 'tokyo', 'Japan', 'Tokyo', 'ap-northeast-1'),
  PS('7f41eaf2-106f-430f-a957-6cfd74d1520a', 'sydney', 'Australia', 'Sydney', 'ap-southeast-2'),
  PS('afa218e0-ef48-4290-b731-4384521e3578', 'singapore', 'Singapore', 'Singapore', 'ap-southeast-1'),
  PS('187ecd5b-125b-4924-bec1-f2009d235a74', 'mumbai', 'India', 'Mumbai', 'ap-south-1'),
  PS('65674d89-7798-4c72-b8b0-8554fa585fa5', 'montreal', 'Canada', 'Montreal', 'ca-central-1'),
];

export interface Stack {
  id: string;
  name: string;
  state: string;
  isDefault: boolean;
  createdAt: string;
  updatedAt: string;
}

export const STACKS: readonly Stack[] = [
  { id: '5fc4e202-3efa-40a9-9789-3e104b74cf89', name: 'heroku-22', state: 'public', isDefault: false, createdAt: '2022-05-31T17:00:00Z', updatedAt: '2024-05-01T12:00:00Z' },
  { id: '6908158e-9e4f-4f00-bca9-cd31674be14f', name: 'heroku-24', state: 'public', isDefault: true, createdAt: '2024-05-22T17:00:00Z', updatedAt: '2024-12-04T12:00:00Z' },
  { id: '02d7d073-6121-4db0-b29c-f211cd846589', name: 'container', state: 'public', isDefault: false, createdAt: '2017-05-17T12:00:00Z', updatedAt: '2024-05-22T17:00:00Z' },
];

export interface Generation {
  id: string;
  name: string;
}

export const GENERATIONS = {
  cedar: { id: '8cb38ed2-19d0-47e0-8bf1-1d1f4b3b580c', name: 'cedar' },
  fir: { id: '73bc2d6f-c51a-48fd-844c-3ee2f5db87b0', name: 'fir' },
} as const satisfies Record<string, Generation>;

export type DynoTier = 'eco' | 'basic' | 'standard' | 'performance' | 'private' | 'shield';

export interface DynoSize {
  id: string;
  /** The canonical name (`GET /dyno-sizes`), e.g. `standard-1X`. */
  name: string;
  /** How formation reports the size (`Standard-1X`), as the Heroku CLI's cost table expects. */
  displayName: string;
  tier: DynoTier;
  memory: number;
  compute: number;
  dedicated: boolean;
  preciseDynoUnits: number;
  privateSpaceOnly: boolean;
  /** cents per month; null where the price is by contract. */
  cents: number | null;
  /** At most this many dynos per process type. */
  maxQuantity: number;
}

const size = (
  id: string,
  name: string,
  tier: DynoTier,
  memory: number,
  compute: number,
  preciseDynoUnits: number,
  cents: number | null,
): DynoSize => ({
  id,
  name,
  displayName: name.charAt(0).toUpperCase() + name.slice(1),
  tier,
  memory,
  compute,
  dedicated: tier === 'performance' || tier === 'private' || tier === 'shield',
  preciseDynoUnits,
  privateSpaceOnly: tier === 'private' || tier === 'shield',
  cents,
  maxQuantity: tier === 'eco' || tier === 'basic' ? 1 : 100,
});

export const DYNO_SIZES: readonly DynoSize[] = [
  size('10b4dc6e-f05e-42c6-abc4-0f9bc19fe099', 'eco', 'eco', 0.5, 1, 0, 0),
  size('6e869166-6580-42ef-a5a3-54e429c86f8b', 'basic', 'basic', 0.5, 1, 0, 700),
  size('ea8c76a7-6dbe-4e94-9dc2-d8218bb98f52', 'standard-1X', 'standard', 0.5, 1, 1, 2500),
  size('c197501b-48ba-495a-b2f5-a6bf592bede2', 'standard-2X', 'standard', 1, 2, 2, 5000),
  size('4a76197b-8a64-4630-b82f-960ef49d1dc7', 'performance-M', 'performance', 2.5, 12, 8, 25000),
  size('241cc845-e279-464b-b919-fff5546a1303', 'performance-L', 'performance', 14, 50, 16, 50000),
  size('078a4916-eb0f-462e-958e-b7355e1ab4dd', 'performance-L-RAM', 'performance', 30, 24, 16, 50000),
  size('7b07d67e-ea52-4225-bba8-1447b5556f60', 'performance-XL', 'performance', 62, 50, 32, 75000),
  size('1f776bde-6928-41bd-816f-b4ae44fdf9ca', 'performance-2XL', 'performance', 126, 100, 64, 150000),
  size('07b9062e-5d00-4e15-8609-3b58920de3cd', 'private-S', 'private', 1, 12, 2, null),
  size('be58e642-edad-4c6c-a360-809c0cb30e50', 'private-M', 'private', 2.5, 12, 8, null),
  size('9dec2594-dbc5-4e40-8ae3-1b64b9218e35', 'private-L', 'private', 14, 50, 16, null),
  size('e4f556c1-de96-4fce-bb20-9f9b2a0b2dc5', 'private-L-RAM', 'private', 30, 24, 16, null),
  size('beb64f8b-6871-4d5e-b5c7-37ed0e946666', 'private-XL', 'private', 62, 50, 32, null),
  size('94d13d98-7567-48a9-acc1-f223c21a48a2', 'private-2XL', 'private', 126, 100, 64, null),
  size('9e55bcfa-9311-4a2f-a3ab-203275d51224', 'shield-S', 'shield', 1, 12, 2, null),
  size('26800c89-a19d-4dc0-9d05-5c1eee3b1c61', 'shield-M', 'shield', 2.5, 12, 8, null),
  size('3515bdc7-4b8c-4027-a3e1-c2f8ae1e3569', 'shield-L', 'shield', 14, 50, 16, null),
];

/** The size new process types get on an app outside a team: Heroku's default since eco replaced free. */
export const DEFAULT_DYNO_SIZE = 'basic';

export interface AddonService {
  id: string;
  name: string;
  humanName: string;
  cliPluginName: string | null;
  supportsMultipleInstallations: boolean;
  supportsSharing: boolean;
  createdAt: string;
  updatedAt: string;
  /** Provisioned in the background (state `provisioning` first), as Heroku Postgres and Redis are. */
  async: boolean;
  /** The default attachment name, e.g. DATABASE → DATABASE_URL. */
  defaultAttachment: string;
  /** Prefix of the colour-named attachments added when the default is taken. */
  aliasPrefix: string;
  /** Config var suffixes each attachment exposes (`<ATTACHMENT>_<SUFFIX>`). */
  configSuffixes: readonly string[];
  /** Prefix of generated add-on names (`postgresql-angular-12345`). */
  namePrefix: string;
  /** Whether provisioning adds a log drain owned by the add-on. */
  createsDrain: boolean;
}

export interface Plan {
  id: string;
  serviceName: string;
  /** The part after the colon (`essential-0`). */
  slug: string;
  humanName: string;
  description: string;
  cents: number;
  isDefault: boolean;
  insidePrivateNetwork: boolean;
  compliance: string[] | null;
  createdAt: string;
  updatedAt: string;
}

export const ADDON_SERVICES: readonly AddonService[] = [
  {
    id: 'f40ae626-b3a4-4bc9-8083-e5dd83ab7c8d',
    name: 'heroku-postgresql',
    humanName: 'Heroku Postgres',
    cliPluginName: null,
    supportsMultipleInstallations: true,
    supportsSharing: true,
    createdAt: '2011-11-08T20:37:28Z',
    updatedAt: '2025-06-10T09:00:00Z',
    async: true,
    defaultAttachment: 'DATABASE',
    aliasPrefix: 'HEROKU_POSTGRESQL',
    configSuffixes: ['URL'],
    namePrefix: 'postgresql',
    createsDrain: false,
  },
  {
    id: '38a0e1ee-5016-4d4e-978c-1db70e923323',
    name: 'heroku-redis',
    humanName: 'Heroku Key-Value Store',
    cliPluginName: null,
    supportsMultipleInstallations: true,
    supportsSharing: true,
    createdAt: '2015-05-19T16:42:31Z',
    updatedAt: '2025-06-10T09:00:00Z',
    async: true,
    defaultAttachment: 'REDIS',
    aliasPrefix: 'HEROKU_REDIS',
    configSuffixes: ['URL'],
    namePrefix: 'redis',
    createsDrain: false,
  },
  {
    id: 'b4562309-2482-44d0-b943-288fb9afeeda',
    name: 'papertrail',
    humanName: 'Papertrail',
    cliPluginName: null,
    supportsMultipleInstallations: false,
    supportsSharing: false,
    createdAt: '2011-03-11T01:35:48Z',
    updatedAt: '2024-11-20T09:00:00Z',
    async: false,
    defaultAttachment: 'PAPERTRAIL',
    aliasPrefix: 'PAPERTRAIL',
    configSuffixes: ['API_TOKEN'],
    namePrefix: 'papertrail',
    createsDrain: true,
  },
  {
    id: '4e79e972-7b8a-4663-ab49-779d872adb03',
    name: 'scheduler',
    humanName: 'Heroku Scheduler',
    cliPluginName: null,
    supportsMultipleInstallations: false,
    supportsSharing: false,
    createdAt: '2011-06-08T20:51:55Z',
    updatedAt: '2024-11-20T09:00:00Z',
    async: false,
    defaultAttachment: 'SCHEDULER',
    aliasPrefix: 'SCHEDULER',
    configSuffixes: [],
    namePrefix: 'scheduler',
    createsDrain: false,
  },
  {
    id: '913a95e7-c47c-4212-be1e-4f71109c3b36',
    name: 'memcachier',
    humanName: 'MemCachier',
    cliPluginName: null,
    supportsMultipleInstallations: false,
    supportsSharing: true,
    createdAt: '2012-03-28T17:04:11Z',
    updatedAt: '2024-11-20T09:00:00Z',
    async: false,
    defaultAttachment: 'MEMCACHIER',
    aliasPrefix: 'MEMCACHIER',
    configSuffixes: ['SERVERS', 'USERNAME', 'PASSWORD'],
    namePrefix: 'memcachier',
    createsDrain: false,
  },
  {
    id: '5c41012f-64a6-4e4b-9f82-295b2a416fd0',
    name: 'mailgun',
    humanName: 'Mailgun',
    cliPluginName: null,
    supportsMultipleInstallations: false,
    supportsSharing: true,
    createdAt: '2011-10-12T22:15:03Z',
    updatedAt: '2024-11-20T09:00:00Z',
    async: false,
    defaultAttachment: 'MAILGUN',
    aliasPrefix: 'MAILGUN',
    configSuffixes: ['API_KEY', 'DOMAIN', 'PUBLIC_KEY', 'SMTP_LOGIN', 'SMTP_PASSWORD', 'SMTP_PORT', 'SMTP_SERVER'],
    namePrefix: 'mailgun',
    createsDrain: false,
  },
  {
    id: 'b0ef96ee-849e-498f-b9c4-de444ce1f16b',
    name: 'newrelic',
    humanName: 'New Relic APM',
    cliPluginName: null,
    supportsMultipleInstallations: false,
    supportsSharing: false,
    createdAt: '2011-01-19T18:26:12Z',
    updatedAt: '2024-11-20T09:00:00Z',
    async: false,
    defaultAttachment: 'NEW_RELIC',
    aliasPrefix: 'NEW_RELIC',
    configSuffixes: ['LICENSE_KEY', 'LOG'],
    namePrefix: 'newrelic',
    createsDrain: false,
  },
  {
    id: 'e8d53941-2825-4b17-8765-6b266d4f3155',
    name: 'cloudamqp',
    humanName: 'CloudAMQP',
    cliPluginName: null,
    supportsMultipleInstallations: true,
    supportsSharing: true,
    createdAt: '2012-01-24T10:11:35Z',
    updatedAt: '2024-11-20T09:00:00Z',
    async: false,
    defaultAttachment: 'CLOUDAMQP',
    aliasPrefix: 'CLOUDAMQP',
    configSuffixes: ['URL', 'APIKEY'],
    namePrefix: 'cloudamqp',
    createsDrain: false,
  },
];

const plan = (
  id: string,
  serviceName: string,
  slug: string,
  humanName: string,
  cents: number,
  opts: { isDefault?: boolean; inside?: boolean; compliance?: string[] } = {},
): Plan => ({
  id,
  serviceName,
  slug,
  humanName,
  description: `${ADDON_SERVICES.find((s) => s.name === serviceName)?.humanName ?? serviceName} ${humanName}`,
  cents,
  isDefault: opts.isDefault ?? false,
  insidePrivateNetwork: opts.inside ?? false,
  compliance: opts.compliance ?? null,
  createdAt: '2023-05-18T17:00:00Z',
  updatedAt: '2025-06-10T09:00:00Z',
});

export const PLANS: readonly Plan[] = [
  plan('31997723-b2a2-4f1c-bd74-f4b0c78c6464', 'heroku-postgresql', 'essential-0', 'Essential 0', 500, { isDefault: true }),
  plan('8130f187-ad5f-4ed2-a206-67974f9407d6', 'heroku-postgresql', 'essential-1', 'Essential 1', 900),
  plan('8e96591f-b07d-4519-ad08-da4810c9de66', 'heroku-postgresql', 'essential-2', 'Essential 2', 2000),
  plan('4019db8a-541b-46d8-b12d-19279083da15', 'heroku-postgresql', 'standard-0', 'Standard 0', 5000, { inside: true }),
  plan('27f73542-68f8-42dc-96ed-6efc0912ca52', 'heroku-postgresql', 'standard-2', 'Standard 2', 20000, { inside: true }),
  plan('15d295de-af3e-44c1-8fac-a1def77ac97b', 'heroku-postgresql', 'premium-0', 'Premium 0', 20000, { inside: true }),
  plan('03f2dd3d-4845-472d-b0ac-76601acb6e45', 'heroku-postgresql', 'premium-2', 'Premium 2', 35000, { inside: true }),
  plan('936a579f-c02a-4ff2-bed7-fc8961b18652', 'heroku-redis', 'mini', 'Mini', 300, { isDefault: true }),
  plan('9add8c6c-0f34-410a-8521-212a399a4d9e', 'heroku-redis', 'premium-0', 'Premium 0', 1500, { inside: true }),
  plan('9ff9b7c2-e059-4f37-843d-43bef4b9ada5', 'heroku-redis', 'premium-1', 'Premium 1', 3000, { inside: true }),
  plan('c2f00fc6-8990-4844-ab7f-8e02afbb3337', 'heroku-redis', 'premium-2', 'Premium 2', 6000, { inside: true }),
  plan('de08f6fa-dc82-4748-8657-ebb642905273', 'papertrail', 'choklad', 'Choklad', 0, { isDefault: true }),
  plan('8c6043f9-ae14-4ba5-9c1a-0bbc640138ca', 'papertrail', 'fixa', 'Fixa', 700),
  plan('fc98fb4c-6e73-4394-814e-c9e07508d8a3', 'papertrail', 'volmar', 'Volmar', 1800),
  plan('d71d696b-ff89-4cbe-a6a0-ed40210c3137', 'scheduler', 'standard', 'Standard', 0, { isDefault: true, inside: true }),
  plan('8d0422a7-ae76-43a2-a33a-845d08d7e568', 'memcachier', 'dev', 'Developer', 0, { isDefault: true }),
  plan('b06df940-3c09-454f-ad5c-b6aeeb3c6030', 'memcachier', '100', '100 MB', 1400),
  plan('c7185882-0070-4017-8e67-6f4940a5fb04', 'memcachier', '500', '500 MB', 4000),
  plan('2c95b3e9-acac-4d7e-b577-43267a9259b6', 'mailgun', 'starter', 'Starter', 0, { isDefault: true }),
  plan('32b3cd69-fd39-47c0-815a-baaf6522ac0e', 'mailgun', 'basic-10k', 'Basic 10k', 1500),
  plan('a6111452-ec76-462e-93f5-146a2ce2abaa', 'newrelic', 'wayne', 'Wayne', 0, { isDefault: true }),
  plan('d30e372d-074e-4b4a-8fbc-762abeeca404', 'cloudamqp', 'lemur', 'Little Lemur', 0, { isDefault: true }),
  plan('c1971d4d-6d4a-433d-a067-ba52670a0ece', 'cloudamqp', 'tiger', 'Tough Tiger', 1900),
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);

const byIdOrName = <T extends { id: string; name: string }>(list: readonly T[], key: string): T | undefined =>
  isUuid(key) ? list.find((x) => x.id === key.toLowerCase()) : list.find((x) => x.name === key);

export const findRegion = (key: string): Region | undefined => byIdOrName(REGIONS, key);
export const findStack = (key: string): Stack | undefined => byIdOrName(STACKS, key);
export const stackById = (id: string): Stack => mustFind(STACKS, id, 'stack');
export const regionById = (id: string): Region => mustFind(REGIONS, id, 'region');
export const defaultStack = (): Stack => STACKS.find((s) => s.isDefault) ?? mustFind(STACKS, STACKS[0]?.id ?? '', 'stack');

/** Sizes match case-insensitively, as the Heroku CLI sends whatever case the user typed. */
export function findDynoSize(key: string): DynoSize | undefined {
  if (isUuid(key)) return DYNO_SIZES.find((s) => s.id === key.toLowerCase());
  const k = key.toLowerCase();
  return DYNO_SIZES.find((s) => s.name.toLowerCase() === k);
}
export const dynoSizeById = (id: string): DynoSize => mustFind(DYNO_SIZES, id, 'dyno size');

export const findService = (key: string): AddonService | undefined => byIdOrName(ADDON_SERVICES, key);
export const serviceByName = (name: string): AddonService => {
  const s = ADDON_SERVICES.find((x) => x.name === name);
  if (!s) throw new Error(`unknown add-on service ${name}`);
  return s;
};

export const serviceById = (id: string): AddonService => mustFind(ADDON_SERVICES, id, 'add-on service');

export const planName = (p: Plan): string => `${p.serviceName}:${p.slug}`;

/** A plan by id, by `service:plan`, or by bare service name (its default plan), as the API resolves them. */
export function findPlan(key: string, service?: AddonService): Plan | undefined {
  const pool = service ? PLANS.filter((p) => p.serviceName === service.name) : PLANS;
  if (isUuid(key)) return pool.find((p) => p.id === key.toLowerCase());
  const k = key.toLowerCase();
  if (k.includes(':')) return pool.find((p) => planName(p) === k);
  if (service) return pool.find((p) => p.slug === k);
  return pool.find((p) => p.serviceName === k && p.isDefault);
}
export const planById = (id: string): Plan => mustFind(PLANS, id, 'plan');

function mustFind<T extends { id: string }>(list: readonly T[], id: string, what: string): T {
  const found = list.find((x) => x.id === id);
  if (!found) throw new Error(`catalogue has no ${what} ${id}`);
  return found;
}
