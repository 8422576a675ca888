import type { DesiredState } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Inventory } from '../model/inventory.js';
import type { Change, Plan } from '../model/plan.js';
import { UNKEYED, type Fingerprinter } from '../util/fingerprint.js';
import { resolveCertificateKey, resolveValue, secretRefs } from './secrets.js';

export interface PreflightInput {
  /** The state as read under the lock. */
  inventory: Inventory;
  /** The re-loaded YAML: the only source of secret values. */
  desired: DesiredState;
  /** Prepared with the desired values (Fingerprinter.prepare) beforehand. */
  fingerprint: Fingerprinter;
  allowDestroy: boolean;
}

/** Stable diagnostic codes of preflight. */
export const PreflightCode = {
  /** The state moved since the plan was made (CLI: exit 3). */
  stale: 'plan-stale',
  secretMismatch: 'secret-mismatch',
  secretMissing: 'secret-missing',
  /** A warning: the plan's secrets carry no fingerprint (made without a key), so they cannot be checked. */
  secretsUnproven: 'secrets-unproven',
  /** An app or add-on deletion without --allow-destroy. */
  destroyNeedsFlag: 'destroy-needs-flag',
  /** An app or add-on deletion whose app is still protected in state. */
  destroyProtected: 'destroy-protected',
  /** The plan was made for another environment than the state's. */
  environmentMismatch: 'plan-environment-mismatch',
  /** The plan holds a change it cannot make (blocked, refused): nothing is applied, as Terraform's prevent_destroy. */
  blocked: 'plan-blocked',
  /** The plan carries an error of its own (e.g. a mass deletion without --allow-mass-destroy). */
  planError: 'plan-error',
} as const;

/** A deletion that destroys data (not a mere removal from state). */
export function isDestructive(change: Change): boolean {
  return (
    change.action === 'delete' &&
    (change.op.type === 'app.delete' || change.op.type === 'addon.delete' || change.op.type === 'pipeline.delete' || change.op.type === 'review-apps.disable')
  );
}

/** What a destructive change destroys, for messages. */
export function destroys(change: Change): string {
  if (change.kind === 'app') return 'the app and all its data';
  if (change.kind === 'pipeline') return 'the pipeline with its couplings';
  if (change.kind === 'review-apps') return "the pipeline's review-app settings and the review apps that exist";
  return 'the add-on and its data';
}

/** Whether the state records consent to the deletion (`protect: false` applied), and where it lives. */
export function consentOf(inventory: Inventory, change: Change): { consented: boolean; holder: string } {
  // Review apps are made and destroyed by pull requests all day: --allow-destroy is the consent, no protect: false first.
  if (change.op.type === 'review-apps.disable') return { consented: true, holder: change.app };
  if (change.op.type === 'pipeline.delete') {
    const key = change.app.replace(/^pipeline\./, '');
    return { consented: inventory.pipelines?.[key]?.protect === false, holder: change.app };
  }
  return { consented: inventory.apps[change.app]?.protect === false, holder: `app.${change.app}` };
}

/**
 * Checks a plan against the world as it is right before apply. Every
 * diagnostic returned is an error (but the one `secrets-unproven` warning), and the caller refuses the whole apply
 * when there is any: a reviewed plan runs as reviewed or not at all. In
 * particular a deletion without `--allow-destroy` refuses the apply rather
 * than silently dropping part of the reviewed plan (the engine, called
 * anyway, still never executes it: it reports it as skipped).
 */
export function preflight(plan: Plan, input: PreflightInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { inventory } = input;

  const stateEnv = inventory.environment ?? 'default';
  if (plan.environment !== undefined && plan.environment !== stateEnv && !(inventory.environment === undefined && Object.keys(inventory.apps).length === 0)) {
    out.push({
      severity: 'error',
      code: PreflightCode.environmentMismatch,
      message: `the plan was made for environment ${plan.environment}, but this state belongs to environment ${stateEnv}: apply it against the state it was made with`,
    });
  }
  for (const d of plan.diagnostics) {
    if (d.severity === 'error') out.push(d);
  }
  const stuck = plan.changes.filter((c) => c.action === 'blocked' || c.action === 'replace-refused');
  if (stuck.length > 0) {
    out.push({
      severity: 'error',
      code: PreflightCode.blocked,
      message:
        `the plan holds ${stuck.length === 1 ? 'a change' : `${stuck.length} changes`} that cannot be made (${stuck.map((c) => c.address).join(', ')}): ` +
        'nothing was applied. Resolve ' + (stuck.length === 1 ? 'it' : 'them') + ' in the YAML (see the plan), or limit the apply with --target',
    });
  }

  if (plan.lineage !== inventory.lineage) {
    out.push({
      severity: 'error',
      code: PreflightCode.stale,
      message:
        `the saved plan was made against another state (lineage ${plan.lineage}, now ${inventory.lineage}); ` +
        'run plan again against this state',
    });
  } else if (plan.serial !== inventory.serial) {
    out.push({
      severity: 'error',
      code: PreflightCode.stale,
      message:
        `the saved plan is stale: it was made at state serial ${plan.serial} and the state is now at serial ${inventory.serial} ` +
        '(another apply ran since); run plan again',
    });
  }

  let unkeyed = 0;
  for (const change of plan.changes) {
    for (const ref of secretRefs(change)) {
      if (ref.value.fingerprint.startsWith(UNKEYED)) unkeyed += 1;
      const r =
        ref.certificateKey !== undefined
          ? resolveCertificateKey(input.desired, input.fingerprint, change, ref.certificateKey, ref.value)
          : resolveValue(input.desired, input.fingerprint, change, ref.value, ref.configKey, ref.webhookField);
      if (!r.ok) out.push({ severity: 'error', code: r.code, message: r.message, address: change.address, ...locOf(change, ref.configKey) });
    }
    if (isDestructive(change)) {
      const what = destroys(change);
      if (!input.allowDestroy) {
        out.push({
          severity: 'error',
          code: PreflightCode.destroyNeedsFlag,
          address: change.address,
          message: `${change.address}: the plan deletes ${what}; run apply with --allow-destroy to confirm, or plan again without the deletion`,
        });
      }
      const consent = consentOf(inventory, change);
      if (!consent.consented) {
        out.push({
          severity: 'error',
          code: PreflightCode.destroyProtected,
          address: change.address,
          message: `${change.address}: ${consent.holder} is protected in state; apply \`protect: false\` first, then plan the deletion`,
        });
      }
    }
  }
  if (unkeyed > 0) {
    out.push({
      severity: 'warning',
      code: PreflightCode.secretsUnproven,
      message: `the plan was made without DYNOFORM_FINGERPRINT_KEY: ${unkeyed === 1 ? 'its secret is' : `its ${unkeyed} secrets are`} sent as the environment has ${unkeyed === 1 ? 'it' : 'them'} now, unproven against the plan`,
    });
  }
  return out;
}

function locOf(change: Change, configKey: string | undefined): Pick<Diagnostic, 'file' | 'line' | 'col'> {
  const loc = (configKey !== undefined ? change.items?.find((i) => i.key === configKey)?.loc : undefined) ?? change.loc;
  return loc ? { file: loc.file, line: loc.line, col: loc.col } : {};
}
