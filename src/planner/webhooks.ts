import type { DesiredConfigValue, DesiredWebhook } from '../model/desired.js';
import type { InventoryWebhook } from '../model/inventory.js';
import type { LiveWebhook } from '../model/live.js';
import type { ChangeItem, PlanValue } from '../model/plan.js';
import { formatAddress } from '../util/address.js';
import { webhookGuard } from '../util/guard.js';
import { SENSITIVE, guardReads, listGuard, makeChange, unmanagedNote, type AppScope, type StagedChange } from './context.js';

type SecretField = 'secret' | 'authorization';
type Sent = 'url' | 'include' | 'level' | SecretField;
const SECRET_FIELDS: readonly SecretField[] = ['secret', 'authorization'];

const list = (l: readonly string[]): string => l.join(', ');

function secretValue(scope: AppScope, v: DesiredConfigValue): PlanValue {
  return { kind: 'secret', fingerprint: scope.fingerprint.sync(v.value, true), envRefs: [...(v.envRefs ?? [])] };
}

/** What a plan shows for a webhook: never a secret, only whether one is set. */
function show(w: { url: string; include: readonly string[]; level: string }, secrets: Partial<Record<SecretField, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { url: w.url, include: list(w.include), level: w.level };
  for (const f of SECRET_FIELDS) if (secrets[f] !== undefined) out[f] = SENSITIVE;
  return out;
}

/**
 * Whether a declared secret differs from the one state says dynoform last
 * sent. The API never returns it, so state's keyed fingerprint is all there
 * is to compare with; without a key the answer is unknown and nothing is
 * sent (plan warns that secrets cannot be compared).
 */
function secretChanged(scope: AppScope, declared: DesiredConfigValue | undefined, recorded: string | undefined): 'set' | 'removed' | undefined {
  if (declared === undefined) return recorded !== undefined ? 'removed' : undefined;
  if (recorded === undefined) return 'set';
  return scope.fingerprint.compare(declared.value, true, recorded) === 'different' ? 'set' : undefined;
}

/**
 * App webhooks by URL. Declared ones are created, or adopted (sending the
 * declared secret and authorization, which cannot be read to compare);
 * owned ones are updated when the YAML or a secret's value moved, or when
 * someone else wrote to the webhook since dynoform did (its `updated_at`
 * moved: the write may have replaced the secret, so the declared one is
 * sent again); owned ones that leave the list are removed. Writes are
 * guarded by a re-read of the webhook (the list gives no per-entry ETag).
 */
export function planWebhooks(scope: AppScope): StagedChange[] {
  const { key: app, desired, live, inv } = scope;
  const declared = desired.webhooks;
  const owned = inv?.webhooks ?? {};
  const liveList = live?.webhooks ?? [];
  const byUrl = new Map<string, LiveWebhook>(liveList.map((w) => [w.url, w]));
  const byId = new Map<string, LiveWebhook>(liveList.map((w) => [w.id, w]));
  const out: StagedChange[] = [];

  for (const d of [...(declared ?? [])].sort((a, b) => (a.url < b.url ? -1 : 1))) {
    const address = formatAddress(app, 'webhook', d.url);
    const loc = d.loc ? { loc: d.loc } : {};
    const secrets = secretsOf(scope, d);
    const o = owned[d.url];
    const l = (o ? byId.get(o.id) : undefined) ?? byUrl.get(d.url);
    if (!l) {
      out.push({
        stage: 'leaves',
        change: makeChange({
          address,
          app,
          kind: 'webhook',
          action: 'create',
          before: null,
          after: show(d, secrets),
          requests: 1,
          op: { type: 'webhook.create', url: d.url, include: [...d.include], level: d.level, ...secrets },
          ...(o ? { reason: 'was in state but no longer exists: removed outside dynoform, so it will be created again' } : {}),
          ...loc,
        }),
      });
      continue;
    }
    const mine = o !== undefined && o.id === l.id;
    const items: ChangeItem[] = [];
    const send: Sent[] = [];
    if (l.url !== d.url) {
      // Found by the id state has: its URL was changed outside dynoform.
      send.push('url');
      items.push({ key: 'url', action: 'update', before: l.url, after: d.url });
    }
    if (list(l.include) !== list(d.include)) {
      send.push('include');
      items.push({ key: 'include', action: 'update', before: list(l.include), after: list(d.include) });
    }
    if (l.level !== d.level) {
      send.push('level');
      items.push({ key: 'level', action: 'update', before: l.level, after: d.level });
    }
    const outsideWrite = mine && l.updatedAt !== o!.updatedAt;
    for (const f of SECRET_FIELDS) {
      // Not owned: nothing says what the live secret is, so the declared one is sent.
      const why = !mine || !o ? (d[f] !== undefined ? 'set' : undefined) : (secretChanged(scope, d[f], o[f]) ?? (outsideWrite && d[f] !== undefined ? 'set' : undefined));
      if (why === undefined) continue;
      send.push(f);
      items.push({
        key: f,
        action: 'update',
        before: mine && o?.[f] !== undefined ? SENSITIVE : null,
        after: why === 'removed' ? null : SENSITIVE,
        note: why === 'removed' ? 'removed' : !mine || !o ? 'cannot be read: sent as declared' : o[f] === undefined ? 'set' : secretChanged(scope, d[f], o[f]) ? 'changed' : 'written outside dynoform since the last apply: sent again',
      });
    }
    if (mine && send.length === 0 && !outsideWrite) continue;
    if (mine && send.length === 0) {
      // Someone else wrote to it, and nothing declared can be re-sent: only the new updated_at is recorded.
      out.push({
        stage: 'leaves',
        change: makeChange({
          address,
          app,
          kind: 'webhook',
          action: 'update',
          reason: 'written outside dynoform since the last apply (its updated_at moved); nothing declared differs: state records it again (no request)',
          before: show(l, o ?? {}),
          after: show(d, secrets),
          op: { type: 'webhook.update', webhookId: l.id, url: d.url, include: [...d.include], level: d.level, ...secrets, send: [], updatedAt: l.updatedAt },
          ...loc,
        }),
      });
      continue;
    }
    const guard = send.length > 0 ? listGuard(undefined, () => webhookGuard(l)) : {};
    const base = { address, app, kind: 'webhook' as const, before: show(l, mine && o ? o : {}), after: show(d, secrets), items, guard, requests: send.length > 0 ? 1 + guardReads(guard) : 0, ...loc };
    const op = { webhookId: l.id, url: d.url, include: [...d.include], level: d.level, ...secrets, send, updatedAt: l.updatedAt };
    out.push({
      stage: 'leaves',
      change: mine
        ? makeChange({
            ...base,
            action: 'update',
            ...(outsideWrite ? { reason: 'written outside dynoform since the last apply (its updated_at moved); the API never shows the secret or authorization, so the declared ones are sent again' } : {}),
            op: { type: 'webhook.update', ...op },
          })
        : makeChange({
            ...base,
            action: 'adopt',
            reason: `exists but is not in state: dynoform takes ownership${send.length > 0 ? ` and sends ${send.join(', ')}` : ' (no request)'}`,
            op: { type: 'webhook.adopt', ...op },
          }),
    });
  }

  const declaredUrls = new Set((declared ?? []).map((d) => d.url));
  for (const url of Object.keys(owned).sort()) {
    if (declaredUrls.has(url)) continue;
    const o: InventoryWebhook = owned[url]!;
    const address = formatAddress(app, 'webhook', url);
    const l = byId.get(o.id);
    if (!l || !live) {
      out.push({
        stage: 'forget',
        change: makeChange({
          address,
          app,
          kind: 'webhook',
          action: 'delete',
          reason: 'no longer declared and already removed outside dynoform: only removed from state (no request)',
          before: show({ url, include: o.include, level: o.level }, o),
          after: null,
          op: { type: 'state.forget' },
        }),
      });
      continue;
    }
    const guard = listGuard(undefined, () => webhookGuard(l));
    out.push({
      stage: 'leaves',
      change: makeChange({
        address,
        app,
        kind: 'webhook',
        action: 'delete',
        reason: 'removed from the YAML: Heroku stops sending its notifications',
        before: show(l, o),
        after: null,
        guard,
        requests: 1 + guardReads(guard),
        op: { type: 'webhook.delete', webhookId: l.id, url },
      }),
    });
  }

  if (live && declared !== undefined) {
    const ownedIds = new Set(Object.values(owned).map((o) => o.id));
    const unmanaged = liveList.filter((w) => !declaredUrls.has(w.url) && !ownedIds.has(w.id)).map((w) => w.url);
    unmanagedNote(scope, { code: 'webhook-unmanaged', noun: 'webhook', names: unmanaged, field: 'webhooks', address: formatAddress(app) });
  }
  return out;
}

function secretsOf(scope: AppScope, d: DesiredWebhook): Partial<Record<SecretField, PlanValue>> {
  const out: Partial<Record<SecretField, PlanValue>> = {};
  for (const f of SECRET_FIELDS) {
    const v = d[f];
    if (v !== undefined) out[f] = secretValue(scope, v);
  }
  return out;
}
