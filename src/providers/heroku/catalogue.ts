import type { AppNameStatus, Catalogue, CatalogueNeeds } from '../../model/catalogue.js';
import type { HerokuClient } from './client.js';
import { HerokuApiError } from './errors.js';
import { orUndefined, seg } from './paths.js';

interface ApiRegion {
  name: string;
  private_capable: boolean;
}
interface ApiStack {
  name: string;
  state: string;
}
interface ApiDynoSize {
  name: string;
  private_space_only?: boolean;
}
interface ApiPlan {
  name: string;
  installable_outside_private_network?: boolean;
}
interface ApiService {
  name: string;
  supports_multiple_installations?: boolean;
}

/**
 * Reads the parts of the catalogue a plan needs, all at once (the client's
 * queue runs them side by side): each list is one request, the plans one
 * request per distinct service, a name one `GET /apps/{name}` each, a
 * service an app would have twice one `GET /addon-services/{service}`. Nothing
 * is read that `needs` does not ask for.
 */
export async function readCatalogue(client: HerokuClient, needs: CatalogueNeeds, opts: { signal?: AbortSignal } = {}): Promise<Catalogue> {
  const start = client.stats().requests;
  const catalogue: Catalogue = { plans: {}, appNames: {}, requests: 0 };
  const signal = opts.signal ? { signal: opts.signal } : {};
  const reads: Promise<void>[] = [];
  if (needs.regions) {
    reads.push(
      client.list<ApiRegion>('/regions', { ...signal, shape: 'region' }).then(({ items }) => {
        catalogue.regions = items.map((r) => ({ name: r.name, privateSpaceOnly: r.private_capable }));
      }),
    );
  }
  if (needs.stacks) {
    reads.push(
      client.list<ApiStack>('/stacks', { ...signal, shape: 'stack' }).then(({ items }) => {
        catalogue.stacks = items.map((s) => ({ name: s.name, state: s.state }));
      }),
    );
  }
  if (needs.dynoSizes) {
    reads.push(
      client.list<ApiDynoSize>('/dyno-sizes', { ...signal, shape: 'dyno-size' }).then(({ items }) => {
        catalogue.dynoSizes = items.map((d) => ({ name: d.name, privateSpaceOnly: d.private_space_only === true }));
      }),
    );
  }
  let unknownService = false;
  for (const service of needs.services) {
    reads.push(
      orUndefined(() => client.list<ApiPlan>(`/addon-services/${seg(service)}/plans`, { ...signal, shape: 'plan' })).then((got) => {
        if (!got) unknownService = true;
        catalogue.plans[service] = got ? got.items.map((p) => ({ name: p.name, outsidePrivateNetwork: p.installable_outside_private_network !== false })) : null;
      }),
    );
  }
  for (const name of needs.appNames) {
    reads.push(
      appNameStatus(client, name, opts).then((status) => {
        catalogue.appNames[name] = status;
      }),
    );
  }
  for (const service of needs.installations) {
    reads.push(
      orUndefined(() => client.get<ApiService>(`/addon-services/${seg(service)}`, { ...signal, shape: 'addon-service' })).then((got) => {
        // An unknown service is reported from its plans' 404; here it says nothing.
        if (got) (catalogue.multipleInstallations ??= {})[service] = got.body.supports_multiple_installations !== false;
      }),
    );
  }
  await settleAll(reads);
  // Only a service that does not exist costs the list of all of them, for "did you mean".
  if (unknownService) {
    const { items } = await client.list<ApiService>('/addon-services', { ...signal, shape: 'addon-service' });
    catalogue.services = items.map((s) => s.name);
  }
  catalogue.requests = client.stats().requests - start;
  return catalogue;
}

/** 404: nobody has the name; 403: an app this account may not see has it; 200: it exists and is readable. */
async function appNameStatus(client: HerokuClient, name: string, opts: { signal?: AbortSignal }): Promise<AppNameStatus> {
  try {
    const got = await orUndefined(() => client.get<{ id: string; name: string }>(`/apps/${seg(name)}`, { ...opts, shape: 'app' }));
    return got ? 'visible' : 'free';
  } catch (err) {
    if (err instanceof HerokuApiError && err.status === 403) return 'taken';
    throw err;
  }
}

/** Waits for every read, then throws the first failure: no read is left running behind an error. */
async function settleAll(reads: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(reads);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
