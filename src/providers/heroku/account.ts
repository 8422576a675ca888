import type { ApiAccount } from './api-types.js';
import type { HerokuClient } from './client.js';

/** Who the token belongs to: a saved plan records it, and apply refuses a plan made for another account. */
export interface AccountIdentity {
  id: string;
  email: string;
}

export async function getAccount(client: HerokuClient, opts: { signal?: AbortSignal } = {}): Promise<AccountIdentity> {
  const res = await client.get<ApiAccount>('/account', { ...opts, shape: 'account' });
  return { id: res.body.id, email: res.body.email };
}
