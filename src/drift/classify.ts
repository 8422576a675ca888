import type { ResourceKind } from '../model/address.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { DriftClass, DriftItem, DriftReport, DriftSummary } from '../model/drift.js';
import type { Inventory } from '../model/inventory.js';
import type { LiveApp } from '../model/live.js';
import { formatAddress } from '../util/address.js';
import { classifyAddons } from './addons.js';
import { classifyApp } from './app.js';
import { classifyConfig } from './config.js';
import { makeItem, type AppScope, type DriftInput } from './context.js';
import { classifyDomains } from './domains.js';
import { classifyDrains } from './drains.js';
import { classifyFormation } from './formation.js';
import { classifyBuildpacks } from './buildpacks.js';
import { classifyFeatures } from './features.js';
import { classifyAcm, classifyCertificates } from './certificates.js';
import { classifyPipelines } from './pipelines.js';
import { classifyAccount, classifyMembers } from './members.js';
import { classifyTeam } from './team.js';
import { classifyCollaborators } from './collaborators.js';
import { classifyWebhooks } from './webhooks.js';
import { classifyAttachments } from './attachments.js';

const KIND_ORDER: readonly ResourceKind[] = ['app', 'config', 'addon', 'formation', 'domain', 'drain', 'buildpacks', 'feature', 'certificate', 'acm', 'team', 'collaborator', 'webhook', 'attachment', 'pipeline', 'coupling', 'stage-config', 'review-apps', 'member', 'account-feature'];
const CLASS_ORDER: readonly DriftClass[] = ['missing', 'changed-outside', 'pending', 'unmanaged'];

/**
 * Pure: every difference between the YAML, the state and the live apps,
 * classified. Covers the declared apps and the apps the state owns.
 */
export function classifyDrift(input: DriftInput): DriftReport {
  const { desired, live, inventory, fingerprint } = input;
  const keys = [...new Set([...Object.keys(desired.apps), ...Object.keys(inventory.apps)])].sort();
  const items: DriftItem[] = [];

  for (const key of keys) {
    const d = desired.apps[key];
    const inv = inventory.apps[key];
    const l = findLive(live.apps, key, inv?.id, d?.name);
    const scope: AppScope = {
      key,
      ...(d ? { desired: d } : {}),
      ...(inv ? { owned: inv } : {}),
      ...(l ? { live: l } : {}),
      fingerprint,
      add: (n) => items.push(makeItem(key, n)),
    };
    if (classifyApp(scope, live) === 'done') continue;
    classifyConfig(scope);
    classifyAddons(scope);
    classifyFormation(scope);
    classifyDomains(scope);
    classifyDrains(scope);
    classifyBuildpacks(scope);
    classifyFeatures(scope);
    classifyCertificates(scope);
    classifyAcm(scope);
    classifyTeam(scope);
    classifyCollaborators(scope);
    classifyWebhooks(scope);
    classifyAttachments(scope);
  }

  items.push(...classifyPipelines(desired, live, inventory, input.fingerprint), ...classifyMembers(desired, live, inventory), ...classifyAccount(desired, live, inventory));
  items.sort(compareItems);
  return { items, summary: summarize(items), apps: keys, diagnostics: notes(input) };
}

/** Things worth knowing that are not drift themselves. */
function notes({ desired, live, inventory, fingerprint }: DriftInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  const blind = uncomparable(inventory, fingerprint);
  if (blind.length > 0) {
    out.push({
      severity: 'warning',
      code: 'fingerprint-key-missing',
      message:
        `cannot compare ${blind.length === 1 ? 'a secret' : `${blind.length} secrets`} with what was last applied (${blind.slice(0, 5).join(', ')}${blind.length > 5 ? ', …' : ''}): ` +
        'set DYNOFORM_FINGERPRINT_KEY (and DYNOFORM_FINGERPRINT_KEY_PREVIOUS while rotating) as when they were applied; see docs/security.md',
    });
  }
  if (Object.keys(inventory.apps).length === 0 && Object.keys(desired.apps).length > 0) {
    out.push({
      severity: 'warning',
      code: 'drift-empty-state',
      message:
        'the state manages no app yet, so everything declared is reported as pending: if apply ran before, check that --state or DYNOFORM_STATE names the state it wrote',
    });
  }
  for (const [key, app] of Object.entries(live.apps)) {
    for (const [addonKey, owned] of Object.entries(inventory.apps[key]?.addons ?? {})) {
      const a = app.addons.find((x) => x.id === owned.id);
      if (a?.state === 'provisioning') {
        out.push({
          severity: 'info',
          code: 'drift-addon-provisioning',
          message: `add-on ${a.name} is still provisioning${a.provisionMessage ? `: ${a.provisionMessage}` : ''}`,
          address: formatAddress(key, 'addon', addonKey),
        });
      }
    }
  }
  return out;
}

/** Addresses of owned values whose fingerprints this fingerprinter cannot check. */
export function uncomparable(inventory: Inventory, fingerprint: DriftInput['fingerprint']): string[] {
  const out: string[] = [];
  for (const [key, app] of Object.entries(inventory.apps)) {
    for (const [k, c] of Object.entries(app.config)) if (!fingerprint.canCompare(c.fingerprint)) out.push(formatAddress(key, 'config', k));
    for (const d of Object.values(app.drains)) if (!fingerprint.canCompare(d.urlFingerprint)) out.push(formatAddress(key, 'drain', d.maskedUrl));
  }
  return out.sort();
}

/** The live reader keys apps by YAML key; fall back to id and name so a re-keyed reader still works. */
function findLive(apps: Record<string, LiveApp>, key: string, id: string | undefined, name: string | undefined): LiveApp | undefined {
  const byKey = apps[key];
  if (byKey) return byKey;
  const all = Object.values(apps);
  return (id !== undefined ? all.find((a) => a.id === id) : undefined) ?? (name !== undefined ? all.find((a) => a.name === name) : undefined);
}

export function summarize(items: readonly DriftItem[]): DriftSummary {
  const s: DriftSummary = { 'changed-outside': 0, missing: 0, pending: 0, unmanaged: 0 };
  for (const i of items) s[i.class] += 1;
  return s;
}

function compareItems(a: DriftItem, b: DriftItem): number {
  return (
    cmp(a.app, b.app) ||
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
    cmp(a.key ?? '', b.key ?? '') ||
    CLASS_ORDER.indexOf(a.class) - CLASS_ORDER.indexOf(b.class) ||
    cmp(a.field ?? '', b.field ?? '')
  );
}

// Code-point order, not localeCompare: output must not depend on the machine's locale.
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
