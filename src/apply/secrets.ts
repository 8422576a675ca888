import type { ConfigStage, DesiredConfigValue, DesiredState } from '../model/desired.js';
import type { Change, PlanValue } from '../model/plan.js';
import { UNKEYED, type Fingerprinter } from '../util/fingerprint.js';
import { displayDrainUrl } from '../util/mask.js';

/**
 * Secret values never travel in a plan: a saved plan holds their
 * fingerprints, and apply takes the values from the re-loaded YAML
 * (`${env:…}` resolved again), refusing any whose fingerprint moved.
 */
export type Resolved =
  | { ok: true; value: string; secret: boolean }
  | { ok: false; code: 'secret-missing' | 'secret-mismatch'; message: string };

/** Where a secret of a change comes from, for messages (never the value). */
export interface SecretRef {
  change: Change;
  /** Config key, or undefined for a drain URL or a webhook's secret. */
  configKey?: string;
  /** The webhook field the secret is for. */
  webhookField?: 'secret' | 'authorization';
  /** The YAML key of a certificate whose private key this is. */
  certificateKey?: string;
  value: Extract<PlanValue, { kind: 'secret' }>;
}

/** Every secret PlanValue a change will send or record. */
export function secretRefs(change: Change): SecretRef[] {
  const op = change.op;
  const out: SecretRef[] = [];
  if (op.type === 'config.patch' || op.type === 'stage-config.patch') {
    for (const [key, v] of [...Object.entries(op.set), ...Object.entries(op.own)]) {
      if (v.kind === 'secret') out.push({ change, configKey: key, value: v });
    }
  } else if ((op.type === 'drain.create' || op.type === 'drain.adopt') && op.url.kind === 'secret') {
    out.push({ change, value: op.url });
  } else if (op.type === 'webhook.create' || op.type === 'webhook.update' || op.type === 'webhook.adopt') {
    for (const f of ['secret', 'authorization'] as const) {
      const v = op[f];
      // A secret that is not sent is not needed: it is only recorded again as it was.
      if (v?.kind === 'secret' && (op.type === 'webhook.create' || op.send.includes(f))) out.push({ change, webhookField: f, value: v });
    }
  } else if ((op.type === 'certificate.create' || op.type === 'certificate.update' || op.type === 'certificate.adopt') && op.privateKey?.kind === 'secret') {
    out.push({ change, certificateKey: op.key, value: op.privateKey });
  }
  return out;
}

function otherKey(where: string): Resolved {
  return {
    ok: false,
    code: 'secret-mismatch',
    message: `${where}: the plan's secret fingerprints were made with a fingerprint key that is not set here; set DYNOFORM_FINGERPRINT_KEY as when the plan was made, or run plan again`,
  };
}

/** Without fingerprints, the declared drain a plan meant is the one with the same masked URL — when exactly one has it. */
function unkeyedDrain(drains: DesiredState['apps'][string]['drains'], change: Change): DesiredState['apps'][string]['drains'][number] | undefined {
  if (change.op.type !== 'drain.create' && change.op.type !== 'drain.adopt') return undefined;
  const masked = change.op.maskedUrl;
  const candidates = drains.filter((d) => displayDrainUrl(d.url, d.secret) === masked);
  return candidates.length === 1 ? candidates[0] : undefined;
}

function envText(refs: readonly string[]): string {
  if (refs.length === 0) return 'its environment variables';
  return refs.map((r) => `$${r}`).join(', ');
}

/** The declared config a config change sets: its app's, or its pipeline stage's. */
function declaredConfigOf(desired: DesiredState, change: Change): Record<string, DesiredConfigValue> | undefined {
  if (change.op.type === 'stage-config.patch') {
    const key = change.app.replace(/^pipeline\./, '');
    return desired.pipelines?.[key]?.config?.[change.op.stage as ConfigStage];
  }
  return desired.apps[change.app]?.config;
}

/**
 * A certificate's private key: from the re-loaded YAML's certificate of the
 * same key, checked against the reviewed fingerprint (an unkeyed plan
 * cannot prove it, as for config secrets).
 */
export function resolveCertificateKey(desired: DesiredState, fingerprint: Fingerprinter, change: Change, certKey: string, value: PlanValue): Resolved {
  if (value.kind === 'literal') return { ok: false, code: 'secret-mismatch', message: `${change.address}: the plan carries a private key in clear; run plan again` };
  const pk = desired.apps[change.app]?.certificates?.[certKey]?.privateKey;
  const source = pk?.file !== undefined ? `private_key_file ${pk.file}` : envText(pk?.envRefs ?? value.envRefs);
  if (!pk || pk.missingEnvRefs || pk.value === '') {
    return { ok: false, code: 'secret-missing', message: `${change.address}: the plan uploads a private key from ${envText(value.envRefs)}, but the configuration no longer gives it; run plan again` };
  }
  const cmp = fingerprint.compare(pk.value, true, value.fingerprint);
  if (cmp === 'unknown' && !value.fingerprint.startsWith(UNKEYED)) return otherKey(change.address);
  if (cmp === 'different') {
    return { ok: false, code: 'secret-mismatch', message: `${change.address}: the private key in ${source} differs from the one the plan was made with; set it back or run plan again` };
  }
  return { ok: true, value: pk.value, secret: true };
}

/** The value to send for a PlanValue: literal as planned, secret from the YAML after checking its fingerprint. */
export function resolveValue(
  desired: DesiredState,
  fingerprint: Fingerprinter,
  change: Change,
  value: PlanValue,
  configKey?: string,
  webhookField?: 'secret' | 'authorization',
): Resolved {
  if (value.kind === 'literal') return { ok: true, value: value.value, secret: false };
  const app = desired.apps[change.app];
  if (webhookField !== undefined) return resolveWebhookSecret(app, fingerprint, change, value, webhookField);
  const where = configKey !== undefined ? `${change.address} key ${configKey}` : change.address;
  if (configKey !== undefined) {
    const declared = declaredConfigOf(desired, change)?.[configKey];
    if (!declared) {
      return {
        ok: false,
        code: 'secret-missing',
        message: `${where}: the plan sets a secret from ${envText(value.envRefs)}, but the configuration no longer declares it; run plan again`,
      };
    }
    const cmp = fingerprint.compare(declared.value, declared.secret, value.fingerprint);
    if (cmp === 'unknown' && !value.fingerprint.startsWith(UNKEYED)) return otherKey(where);
    // An unkeyed plan (made without a key) cannot prove the value unchanged: the reviewer saw only "(sensitive)", so today's value is sent (preflight warns).
    if (cmp === 'different') {
      return {
        ok: false,
        code: 'secret-mismatch',
        message: `${where}: the value of ${envText(declared.envRefs ?? value.envRefs)} differs from the one the plan was made with; set it back or run plan again`,
      };
    }
    return { ok: true, value: declared.value, secret: declared.secret };
  }
  // A drain URL: found among the declared drains by its fingerprint.
  const drains = app?.drains ?? [];
  const match = value.fingerprint.startsWith(UNKEYED)
    ? unkeyedDrain(drains, change)
    : drains.find((d) => fingerprint.matches(d.url, d.secret, value.fingerprint));
  if (match) return { ok: true, value: match.url, secret: match.secret };
  if (!fingerprint.canCompare(value.fingerprint)) return otherKey(where);
  return {
    ok: false,
    code: drains.some((d) => d.secret) ? 'secret-mismatch' : 'secret-missing',
    message: drains.some((d) => d.secret)
      ? `${where}: no declared drain URL matches the one the plan was made with (it is built from ${envText(value.envRefs)}); set it back or run plan again`
      : `${where}: the plan creates a drain from ${envText(value.envRefs)}, but the configuration no longer declares it; run plan again`,
  };
}

/** A webhook's secret or authorization: the declared webhook of the same URL, its value checked against the plan's fingerprint. */
function resolveWebhookSecret(
  app: DesiredState['apps'][string] | undefined,
  fingerprint: Fingerprinter,
  change: Change,
  value: Extract<PlanValue, { kind: 'secret' }>,
  field: 'secret' | 'authorization',
): Resolved {
  const where = `${change.address} ${field}`;
  const url = 'url' in change.op ? change.op.url : undefined;
  const declared = (app?.webhooks ?? []).find((w) => w.url === url)?.[field];
  if (!declared) {
    return { ok: false, code: 'secret-missing', message: `${where}: the plan sends a ${field} from ${envText(value.envRefs)}, but the configuration no longer declares it; run plan again` };
  }
  const cmp = fingerprint.compare(declared.value, true, value.fingerprint);
  if (cmp === 'unknown' && !value.fingerprint.startsWith(UNKEYED)) return otherKey(where);
  if (cmp === 'different') {
    return { ok: false, code: 'secret-mismatch', message: `${where}: the value of ${envText(declared.envRefs ?? value.envRefs)} differs from the one the plan was made with; set it back or run plan again` };
  }
  return { ok: true, value: declared.value, secret: true };
}
