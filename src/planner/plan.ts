import type { Diagnostic } from '../model/diagnostic.js';
import type { Change, Plan, PlanSummary } from '../model/plan.js';
import { PLAN_FORMAT_VERSION } from '../model/plan.js';
import { planAddons } from './addons.js';
import { planUndeclaredApp, resolveDeclaredApp } from './app.js';
import { planConfig } from './config.js';
import { EXECUTABLE, plural, type AppScope, type PlannerInput, type Stage, type StagedChange } from './context.js';
import { planDomains } from './domains.js';
import { linkCertificates, planAcm, planCertificates } from './certificates.js';
import { planDrains } from './drains.js';
import { planBuildpacks } from './buildpacks.js';
import { planFeatures } from './features.js';
import { planTeam } from './team.js';
import { planCollaborators } from './collaborators.js';
import { planWebhooks } from './webhooks.js';
import { blockSharedAddonDeletes, planAttachments } from './attachments.js';
import { planFormation } from './formation.js';
import { planPipelines } from './pipelines.js';
import { planMembers } from './members.js';
import { planAccount } from './account.js';
import { foreignById, foreignDeclared, foreignUndeclared, massDestroyGuards } from './environment.js';

/**
 * desired × live × inventory → Plan. Pure: no I/O, no clock, no randomness
 * of its own; the same input always gives the same plan, byte for byte,
 * except for the random salts inside the secret fingerprints the injected
 * fingerprinter makes.
 */
export function createPlan(input: PlannerInput): Plan {
  const { desired, live, inventory, options } = input;
  const diagnostics: Diagnostic[] = [];
  const targets = options.targets && options.targets.length > 0 ? new Set(options.targets) : undefined;
  if (targets) {
    for (const t of [...targets].sort()) {
      if (!desired.apps[t] && !inventory.apps[t]) {
        diagnostics.push({
          severity: 'warning',
          code: 'unknown-target',
          message: `--target ${t} matches no app declared in the YAML or recorded in state`,
        });
      }
    }
  }
  const liveIds = new Set(Object.values(live.appIds));
  const keys = [...new Set([...Object.keys(desired.apps), ...Object.keys(inventory.apps)])]
    .filter((k) => !targets || targets.has(k))
    .sort();

  const foreign = foreignById(input.foreign);
  const changes: Change[] = [];
  const childrenPlanned: string[] = [];
  for (const key of keys) {
    const d = desired.apps[key];
    const invApp = inventory.apps[key];
    let staged: StagedChange[];
    const elsewhere = d ? foreignDeclared(d, live, inventory, foreign) : foreignUndeclared(key, inventory, foreign);
    if (elsewhere) {
      staged = [elsewhere];
    } else if (!d) {
      staged = [planUndeclaredApp(invApp!, live, liveIds)];
    } else {
      const res = resolveDeclaredApp(d, live, invApp, diagnostics);
      staged = res.change ? [res.change] : [];
      if (res.planChildren) {
        childrenPlanned.push(key);
        const scope: AppScope = {
          key,
          desired: d,
          ...(res.live ? { live: res.live } : {}),
          ...(res.inv ? { inv: res.inv } : {}),
          fingerprint: input.fingerprint,
          diagnostics,
        };
        staged.push(...planTeam(scope), ...planCollaborators(scope));
        staged.push(...planAddons(scope));
        const config = planConfig(scope);
        if (config) staged.push(config);
        const formation = planFormation(scope);
        if (formation) staged.push(formation);
        staged.push(...planCertificates(scope), ...planAcm(scope), ...planDomains(scope), ...planDrains(scope), ...planBuildpacks(scope), ...planFeatures(scope), ...planWebhooks(scope));
      }
    }
    const wired = wire(staged);
    linkCertificates(wired);
    changes.push(...wired);
  }
  // Attachments cross apps: they wait for the owner's add-on, wherever it is declared.
  changes.push(...planAttachments({ desired, live, inventory, keys: childrenPlanned, changes: new Map(changes.map((c) => [c.id, c])), diagnostics }));
  blockSharedAddonDeletes(changes, live);
  if (live.pipelines && !targets) {
    const appChanges = new Map(changes.map((c) => [c.id, c]));
    changes.push(...planPipelines({ desired, live: live.pipelines, inventory, appIds: live.appIds, appChanges, diagnostics, fingerprint: input.fingerprint }));
  } else if (targets && (Object.keys(desired.pipelines ?? {}).length > 0 || Object.keys(inventory.pipelines ?? {}).length > 0)) {
    diagnostics.push({
      severity: 'info',
      code: 'target-skips-pipelines',
      message: 'pipelines are not planned when --target limits the plan to apps',
    });
  }
  if (live.teams) changes.push(...planMembers({ desired, live: live.teams, inventory, diagnostics }));
  if (live.account) changes.push(...planAccount({ desired, live: live.account, inventory, diagnostics }));
  uniqueIds(changes);
  diagnostics.push(
    ...massDestroyGuards({
      desiredApps: Object.keys(desired.apps).length,
      files: desired.files,
      inventory,
      changes,
      targets,
      allow: options.allowMassDestroy === true,
      declaresDirectory: desired.teams !== undefined || desired.account !== undefined,
    }),
  );

  const summary = summarize(changes, live.rateLimitRemaining);
  if (summary.rateLimitRemaining !== undefined && summary.requests > summary.rateLimitRemaining) {
    diagnostics.push({
      severity: 'warning',
      code: 'rate-limit-budget',
      message: `apply needs ${plural(summary.requests, 'API request')} but only ${summary.rateLimitRemaining} remain in the rate-limit budget: it will pause until the budget refills`,
    });
  }

  if (!input.fingerprint.keyed) {
    const secrets = keys.filter((k) => {
      const d = desired.apps[k];
      return d && (Object.values(d.config).some((v) => v.secret) || d.drains.some((x) => x.secret) || (d.webhooks ?? []).some((w) => w.secret || w.authorization));
    });
    if (secrets.length > 0) {
      diagnostics.push({
        severity: 'warning',
        code: 'fingerprint-key-missing',
        message:
          'DYNOFORM_FINGERPRINT_KEY is not set, so secrets cannot be compared with what was last applied (changes made outside dynoform go unnoticed) ' +
          'and apply cannot prove a saved plan\'s secrets unchanged; set it as a CI secret (see docs/security.md)',
      });
    }
  }

  const plan: Plan = {
    formatVersion: PLAN_FORMAT_VERSION,
    dynoformVersion: options.dynoformVersion,
    createdAt: options.now,
    apiUrl: options.apiUrl,
    lineage: inventory.lineage,
    serial: inventory.serial,
    files: [...(options.files ?? desired.files)],
    changes,
    diagnostics,
    summary,
  };
  if (targets) plan.targets = [...targets].sort();
  if (live.configReads) plan.configReads = { read: live.configReads.read, skipped: live.configReads.skipped, reasons: { ...live.configReads.reasons } };
  if (input.environment !== undefined) plan.environment = input.environment;
  if (options.state !== undefined) plan.state = options.state;
  return plan;
}

/** The order changes of one app are listed and run in. */
const ORDER: readonly Stage[] = ['app', 'addons', 'config', 'formation', 'leaves', 'addon-deletes', 'app-delete', 'forget'];

/**
 * Hard dependencies within one app (a change is skipped when one fails):
 * everything needs the app; formation needs the config (new dynos start
 * with the new config); add-on deletions need the config change (the app
 * stops needing them first); the app's own deletion needs everything.
 * Config, domains and drains do not need the add-ons: a failed add-on must
 * not hold back a config var or a domain it has nothing to do with. The
 * order app → add-ons → config stays (apply's graph adds it as soft edges,
 * and formation's hard edge to a created add-on). Each change waits for the
 * executable changes of the nearest earlier stage that has any; forgetting
 * touches only state and waits for nothing.
 */
function wire(staged: StagedChange[]): Change[] {
  const byStage = new Map<Stage, Change[]>();
  for (const s of staged) {
    const list = byStage.get(s.stage) ?? [];
    list.push(s.change);
    byStage.set(s.stage, list);
  }
  const executable = (stage: Stage): string[] => (byStage.get(stage) ?? []).filter((c) => EXECUTABLE.has(c.action)).map((c) => c.id);
  const nearest = (...stages: Stage[]): string[] => {
    for (const s of stages) {
      const ids = executable(s);
      if (ids.length > 0) return ids;
    }
    return [];
  };
  const after: Record<Stage, () => string[]> = {
    app: () => [],
    addons: () => nearest('app'),
    config: () => nearest('app'),
    formation: () => nearest('config', 'app'),
    leaves: () => nearest('app'),
    'addon-deletes': () => nearest('config', 'app'),
    'app-delete': () => [...executable('formation'), ...executable('leaves'), ...nearest('addon-deletes', 'config', 'addons')],
    forget: () => [],
  };
  const out: Change[] = [];
  for (const stage of ORDER) {
    for (const c of byStage.get(stage) ?? []) {
      if (EXECUTABLE.has(c.action) && c.op.type !== 'state.forget') c.dependsOn = after[stage]();
      out.push(c);
    }
  }
  return out;
}

/**
 * Addresses are unique except for drains whose masked URLs coincide: later
 * ones get `#2`, `#3`… Drains are leaves, so no dependency points at them.
 */
function uniqueIds(changes: Change[]): void {
  const seen = new Map<string, number>();
  for (const c of changes) {
    const n = (seen.get(c.id) ?? 0) + 1;
    seen.set(c.id, n);
    if (n > 1) c.id = `${c.id}#${n}`;
  }
}

export function summarize(changes: readonly Change[], rateLimitRemaining: number | undefined): PlanSummary {
  const s: PlanSummary = {
    create: 0,
    update: 0,
    delete: 0,
    adopt: 0,
    blocked: 0,
    replaceRefused: 0,
    waiting: 0,
    forget: 0,
    releases: 0,
    requests: 0,
  };
  for (const c of changes) {
    switch (c.action) {
      case 'create':
      case 'update':
      case 'adopt':
      case 'blocked':
        s[c.action] += 1;
        break;
      case 'delete':
        if (c.op.type === 'state.forget') s.forget! += 1;
        else s.delete += 1;
        break;
      case 'replace-refused':
        s.replaceRefused += 1;
        break;
      case 'waiting':
      case 'noop':
        break;
    }
    s.waiting += (c.items ?? []).filter((i) => i.action === 'waiting').length;
    s.releases += c.sideEffects.releases;
    s.requests += c.requests;
  }
  if (rateLimitRemaining !== undefined) s.rateLimitRemaining = rateLimitRemaining;
  return s;
}

/**
 * True when the live apps do not match the YAML: something to apply, or
 * something apply refuses (blocked, replace-refused) that the user must
 * resolve. Waiting process types alone are not a change: nothing can be
 * done about them until the next deploy.
 */
export function planHasChanges(plan: Plan): boolean {
  return plan.changes.some((c) => EXECUTABLE.has(c.action) || c.action === 'blocked' || c.action === 'replace-refused');
}
