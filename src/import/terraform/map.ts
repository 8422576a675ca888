import type { Diagnostic } from '../../model/diagnostic.js';
import type { LiveApp } from '../../model/live.js';
import { sameBuildpacks } from '../../util/buildpacks.js';
import { maskUrlUserinfo } from '../../util/mask.js';
import {
  assignEnvNames,
  type ImportedAddon,
  type ImportedApp,
  type ImportedConfig,
  type ImportedDomain,
  type ImportedDrain,
  type ImportedFormation,
  type ImportOptions,
  type ImportPlan,
  type SizeCanonicaliser,
} from '../build.js';
import { DEFAULT_SECRET_RULE, secretReason } from '../secret-rule.js';
import type { ImportedCoupling, ImportedPipeline, ReadPipelinesResult } from '../pipelines.js';
import { PIPELINE_STAGES, type PipelineStage } from '../../model/desired.js';
import { isHerokuProvider, treatmentOf } from './kinds.js';
import { isSensitive, type TfInstance, type TfState } from './state.js';

/**
 * Pure: a Terraform state plus the live apps it names → what `import
 * --from-terraform` declares, and the report of what became of each
 * Terraform address. The state decides *what* is declared (only what
 * Terraform managed) and which values are sensitive; the live read decides
 * the identities and values, exactly as `dynoform import` does, so that the
 * first plan is empty. No value from the state ever reaches a message.
 */

export interface TerraformReportEntry {
  address: string;
  status: 'mapped' | 'no-yaml' | 'not-mapped' | 'later';
  /** The YAML paths it became (`apps.shop.config.LOG_LEVEL`). */
  yaml: string[];
  /** For every status but `mapped`: why; for `mapped`, parts that were left out. */
  reason?: string;
  /**
   * Not mapped, but referring (by id) to resources that were: once those
   * leave Terraform, the references in the .tf files must be replaced.
   */
  refersTo?: string[];
}

export interface TerraformImport {
  plan: ImportPlan;
  report: TerraformReportEntry[];
}

/** A `heroku_app` of the state, by id and name: the apps to read from the API. */
export interface TerraformApp {
  address: string;
  id: string;
  name: string;
}

const CONFIG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Heroku's generated add-on names: `postgresql-shrouded-09944`. Declaring one would only pin noise. */
const GENERATED_ADDON_NAME = /^[a-z][a-z0-9]*-[a-z]+-\d{3,}$/;

/** The managed `heroku_app` instances the state holds (current objects only). */
export function terraformApps(state: TfState): TerraformApp[] {
  return state.instances
    .filter((i) => classify(i) === 'mapped' && i.type === 'heroku_app')
    .flatMap((i) => {
      const id = str(i.attributes['uuid']) ?? str(i.attributes['id']);
      const name = str(i.attributes['name']);
      return id && name ? [{ address: i.address, id, name }] : [];
    });
}

type Classified = 'mapped' | TerraformReportEntry;

function classify(i: TfInstance): Classified {
  const entry = (status: TerraformReportEntry['status'], reason: string): TerraformReportEntry => ({ address: i.address, status, yaml: [], reason });
  if (!isHerokuProvider(i.provider)) return entry('not-mapped', `not a Heroku resource (provider ${i.provider})`);
  if (i.mode === 'data') return entry('not-mapped', 'a data source: Terraform reads it, it owns nothing');
  if (i.deposed !== undefined) return entry('not-mapped', `a deposed object (${i.deposed}) that Terraform will destroy: not the resource's current object`);
  const t = treatmentOf(i.type);
  if (!t) return entry('not-mapped', `unknown resource type ${i.type}: not one of the Heroku provider's (5.x) that dynoform knows`);
  if (t.kind === 'later') return entry('later', `not mapped yet: ${t.what} are not declarable in this version of dynoform; a later version will map them. Left as it is`);
  if (t.kind === 'never') return entry('not-mapped', t.why);
  return 'mapped';
}

interface AppBuild {
  address: string;
  live: LiveApp;
  app: ImportedApp;
  entry: TerraformReportEntry;
  /** Where each config key came from, to catch two resources setting one key. */
  configFrom: Map<string, string>;
}

/** The `heroku_pipeline` ids of the state: the pipelines to read from the API. */
export function terraformPipelines(state: TfState): string[] {
  return state.instances.filter((i) => classify(i) === 'mapped' && i.type === 'heroku_pipeline').flatMap((i) => str(i.attributes['id']) ?? []);
}

export function mapTerraformState(
  state: TfState,
  liveApps: readonly LiveApp[],
  opts: ImportOptions,
  canonicalSize: SizeCanonicaliser,
  livePipelines: ReadPipelinesResult = { pipelines: [], appNames: {}, notFound: [] },
): TerraformImport {
  const report: TerraformReportEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  const warn = (address: string, message: string) => diagnostics.push({ severity: 'warning', code: 'terraform-import', message: `${address}: ${message}` });
  const rule = opts.secretRule ?? DEFAULT_SECRET_RULE;

  const mapped: TfInstance[] = [];
  for (const i of state.instances) {
    const c = classify(i);
    if (c === 'mapped') mapped.push(i);
    else report.push(c);
  }
  const ofType = (t: string) => mapped.filter((i) => i.type === t);

  // ---- apps
  const liveById = new Map(liveApps.map((l) => [l.id, l]));
  const apps = new Map<string, AppBuild>(); // by Terraform id (uuid)
  const appIdAliases = new Map<string, string>(); // name or id → uuid: app_id may hold either
  for (const i of ofType('heroku_app')) {
    const a = i.attributes;
    const id = str(a['uuid']) ?? str(a['id']);
    const name = str(a['name']);
    if (!id || !name) {
      report.push({ address: i.address, status: 'not-mapped', yaml: [], reason: 'no app id or name in the state' });
      continue;
    }
    const live = liveById.get(id);
    if (!live) {
      report.push({
        address: i.address,
        status: 'not-mapped',
        yaml: [],
        reason: `app ${name} (${id}) is not visible to this account: deleted or recreated outside Terraform? (\`terraform plan -refresh-only\` shows it)`,
      });
      continue;
    }
    if (live.name !== name) warn(i.address, `the app is now called ${live.name} (Terraform's state says ${name}): declared under its current name`);
    const stateStack = str(a['stack']);
    if (stateStack && stateStack !== live.buildStack && stateStack !== live.stack) {
      warn(i.address, `stack is ${live.buildStack} on Heroku, ${stateStack} in Terraform's state: the YAML declares ${live.buildStack}`);
    }
    const partial: string[] = [];
    const yamlPaths = [`apps.${live.name}`];
    // Optional and computed in the provider: an empty list means Terraform did not manage the buildpacks.
    const rawBuildpacks = Array.isArray(a['buildpacks']) ? a['buildpacks'] : [];
    let buildpacks: string[] | undefined = rawBuildpacks.every((b): b is string => typeof b === 'string') && rawBuildpacks.length > 0 ? rawBuildpacks : undefined;
    if (rawBuildpacks.length > 0 && !buildpacks) partial.push('buildpacks (not a list of names or URLs)');
    if (buildpacks && isSensitive(i, ['buildpacks'])) {
      partial.push('buildpacks (marked sensitive: the YAML takes no secret there)');
      buildpacks = undefined;
    } else if (buildpacks?.some((b) => maskUrlUserinfo(b) !== b)) {
      partial.push('buildpacks (a URL holds credentials, which the YAML does not take)');
      buildpacks = undefined;
    } else if (buildpacks && live.buildpacks && !sameBuildpacks(live.buildpacks, buildpacks)) {
      warn(i.address, `buildpacks differ between Terraform's state and ${live.name}: the YAML declares the app's current list`);
      buildpacks = [...live.buildpacks.list];
    }
    if (buildpacks) yamlPaths.push(`apps.${live.name}.buildpacks`);
    // organization is optional and computed: a team is declared only when Terraform names one.
    const org = Array.isArray(a['organization']) ? a['organization'] : [];
    const orgName = org.length > 0 && typeof org[0] === 'object' && org[0] !== null ? str((org[0] as Record<string, unknown>)['name']) : undefined;
    const team = orgName !== undefined ? (live.team ?? orgName) : undefined;
    if (team !== undefined && orgName !== undefined && live.team !== undefined && live.team !== orgName) {
      warn(i.address, `the app belongs to team ${live.team} now (Terraform's state says ${orgName}): the YAML declares ${live.team}`);
    }
    if (team !== undefined) yamlPaths.push(`apps.${live.name}.team`);
    if (a['acm'] === true) partial.push('acm (not mapped yet: Automated Certificate Management arrives with a later version; it stays on)');
    if (str(a['space'])) partial.push('space (dynoform does not manage Private Spaces; the app stays in its space)');
    if (a['internal_routing'] === true) partial.push('internal_routing (dynoform does not manage Private Spaces; it stays on)');
    const app: ImportedApp = {
      key: live.name,
      live,
      region: live.region,
      stack: live.buildStack,
      config: [],
      addons: [],
      formation: [],
      domains: [],
      drains: [],
      ...(buildpacks ? { buildpacks } : {}),
      features: [],
      ...(team !== undefined ? { team, ...(live.locked !== undefined ? { locked: live.locked } : {}) } : {}),
    };
    const entry: TerraformReportEntry = { address: i.address, status: 'mapped', yaml: yamlPaths, ...(partial.length ? { reason: `left out: ${partial.join('; ')}` } : {}) };
    apps.set(id, { address: i.address, live, app, entry, configFrom: new Map() });
    appIdAliases.set(id, id).set(name, id).set(live.name, id);
    const plainId = str(a['id']);
    if (plainId) appIdAliases.set(plainId, id);
    report.push(entry);
  }

  /** The app a child resource belongs to, or a report entry saying why there is none. */
  const appOf = (i: TfInstance): AppBuild | undefined => {
    const ref = str(i.attributes['app_id']) ?? str(i.attributes['app']);
    const id = ref !== undefined ? appIdAliases.get(ref) : undefined;
    const b = id !== undefined ? apps.get(id) : undefined;
    if (!b) {
      report.push({
        address: i.address,
        status: 'not-mapped',
        yaml: [],
        reason: ref
          ? `its app (${ref}) is not a heroku_app of this state that could be read: import that app (\`dynoform import APP\`), then declare this by hand`
          : 'no app_id in the state',
      });
    }
    return b;
  };

  // ---- config vars: on the app, and through associations
  const addConfig = (b: AppBuild, inst: TfInstance, attr: string, alwaysSensitive: boolean): string[] => {
    const vars = stringMap(inst.attributes[attr]);
    const paths: string[] = [];
    const addonVars = new Set(b.live.addonConfigVars);
    for (const key of Object.keys(vars).sort()) {
      if (addonVars.has(key)) {
        warn(inst.address, `${attr}.${key} is set by an add-on attached to ${b.live.name}: left out (add-ons own their config vars)`);
        continue;
      }
      if (!CONFIG_KEY.test(key)) {
        warn(inst.address, `${attr}.${key} was left out: dynoform config keys must match ${CONFIG_KEY.source}`);
        continue;
      }
      const earlier = b.configFrom.get(key);
      if (earlier !== undefined) {
        warn(inst.address, `${key} is also set by ${earlier} (the two fight in Terraform): declared once`);
        continue;
      }
      const liveValue = b.live.config.vars[key];
      if (liveValue === undefined) {
        warn(inst.address, `${attr}.${key} is not set on ${b.live.name} now (removed outside Terraform?): left out; declare it again if it should exist`);
        continue;
      }
      if (liveValue !== vars[key]) {
        warn(inst.address, `${attr}.${key} differs between Terraform's state and ${b.live.name} (changed outside Terraform): the YAML declares the app's current value`);
      }
      b.configFrom.set(key, inst.address);
      const sensitive = alwaysSensitive || isSensitive(inst, [attr, key]);
      const c: ImportedConfig = { key, value: liveValue, ...(sensitive ? { sensitive: true } : {}) };
      b.app.config.push(c);
      paths.push(`apps.${b.app.key}.config.${key}`);
    }
    return paths;
  };
  for (const b of apps.values()) {
    const inst = ofType('heroku_app').find((i) => i.address === b.address)!;
    b.entry.yaml.push(...addConfig(b, inst, 'config_vars', false), ...addConfig(b, inst, 'sensitive_config_vars', true));
  }
  const associations: Array<{ inst: TfInstance; app: AppBuild }> = [];
  for (const i of ofType('heroku_app_config_association')) {
    const b = appOf(i);
    if (!b) continue;
    associations.push({ inst: i, app: b });
    const yaml = [...addConfig(b, i, 'vars', false), ...addConfig(b, i, 'sensitive_vars', true)];
    report.push({ address: i.address, status: 'mapped', yaml });
  }
  for (const i of ofType('heroku_config')) {
    // Not a Heroku object: a value holder whose values reach an app only through an association.
    const users = associations.filter((a) => sameVars(a.inst, i)).map((a) => `${a.inst.address} (apps.${a.app.app.key}.config)`);
    report.push({
      address: i.address,
      status: 'no-yaml',
      yaml: [],
      reason: users.length
        ? `not a Heroku object but a holder of values: they are declared through ${users.join(', ')}`
        : 'not a Heroku object but a holder of values, and no heroku_app_config_association of this state applies them: nothing to declare',
    });
  }

  // ---- add-ons
  const addonOwner = new Map<string, AppBuild>(); // add-on id → billing app
  for (const i of ofType('heroku_addon')) {
    const b = appOf(i);
    if (!b) continue;
    const id = str(i.attributes['id']);
    const live = b.live.addons.find((a) => a.id === id && a.state !== 'deprovisioned');
    if (!id || !live) {
      report.push({ address: i.address, status: 'not-mapped', yaml: [], reason: `add-on ${id ?? '(no id)'} is not on ${b.live.name} now (removed outside Terraform?)` });
      continue;
    }
    if (live.appId !== b.live.id) {
      report.push({ address: i.address, status: 'not-mapped', yaml: [], reason: `add-on ${live.name} is billed to ${live.appName} now, not to ${b.live.name}` });
      continue;
    }
    const as = live.attachments.filter((t) => t.appId === b.live.id).map((t) => t.name).sort()[0];
    if (!as) {
      report.push({ address: i.address, status: 'not-mapped', yaml: [], reason: `add-on ${live.name} has no attachment on ${b.live.name}: dynoform declares add-ons by the attachment that names their config vars` });
      continue;
    }
    const key = as.toLowerCase();
    const statePlan = str(i.attributes['plan']);
    if (statePlan && statePlan !== live.plan) warn(i.address, `plan is ${live.plan} on Heroku, ${statePlan} in Terraform's state: the YAML declares ${live.plan}`);
    const addon: ImportedAddon = { key, id: live.id, name: live.name, plan: live.plan, as };
    if (!GENERATED_ADDON_NAME.test(live.name)) addon.declareName = true;
    const left: string[] = [];
    const options = stringMap(i.attributes['config']);
    const literal: Record<string, string> = {};
    for (const [k, v] of Object.entries(options).sort(([x], [y]) => (x < y ? -1 : 1))) {
      // Provisioning options cannot read ${env:…}: a secret one is left out rather than written.
      if (isSensitive(i, ['config', k]) || secretReason(rule, k, v)) left.push(`config.${k} (looks secret; provisioning options only matter when an add-on is created)`);
      else literal[k] = v;
    }
    if (Object.keys(literal).length > 0) addon.config = literal;
    b.app.addons.push(addon);
    addonOwner.set(live.id, b);
    report.push({ address: i.address, status: 'mapped', yaml: [`apps.${b.app.key}.addons.${key}`], ...(left.length ? { reason: `left out: ${left.join('; ')}` } : {}) });
  }
  for (const i of ofType('heroku_addon_attachment')) {
    const b = appOf(i);
    if (!b) continue;
    const addonId = str(i.attributes['addon_id']);
    const name = str(i.attributes['name']);
    const owner = addonId !== undefined ? addonOwner.get(addonId) : undefined;
    const mine = owner && owner === b ? owner.app.addons.find((a) => a.id === addonId) : undefined;
    if (mine && mine.as === name) {
      report.push({ address: i.address, status: 'mapped', yaml: [`apps.${b.app.key}.addons.${mine.key}.as`] });
      continue;
    }
    const ownerAddon = owner && owner !== b ? owner.app.addons.find((a) => a.id === addonId) : undefined;
    const liveAtt = ownerAddon ? b.live.addons.find((a) => a.id === addonId)?.attachments.find((t) => t.appId === b.live.id && t.name === name) : undefined;
    if (owner && ownerAddon && liveAtt) {
      // Another app's add-on, declared on its owner: here only the attachment, by the owner's keys.
      (b.app.attachments ??= []).push({ id: liveAtt.id, name: liveAtt.name, addonId: ownerAddon.id, app: owner.app.key, addon: ownerAddon.key });
      report.push({ address: i.address, status: 'mapped', yaml: [`apps.${b.app.key}.attachments.${liveAtt.name}`] });
      continue;
    }
    const billed = owner ? `billed to ${owner.app.key}` : 'billed to an app outside this state';
    report.push({
      address: i.address,
      status: 'later',
      yaml: [],
      reason:
        owner === b
          ? `not mapped yet: a second attachment (${name}) of an add-on on its own app is not declarable in this version; a later version will map it. Left as it is`
          : owner
            ? `attachment ${name ?? '?'} of ${owner.app.key}'s add-on is not on ${b.live.name} now (detached outside Terraform?). Left as it is`
            : `attaches an add-on ${billed} (to ${b.app.key} as ${name ?? '?'}): declare the owning app in the same import to map it as attachments:. Left as it is`,
    });
  }

  // ---- formation
  for (const i of ofType('heroku_formation')) {
    const b = appOf(i);
    if (!b) continue;
    const type = str(i.attributes['type']);
    const live = b.live.formation.find((f) => f.type === type);
    if (!type || !live) {
      report.push({ address: i.address, status: 'not-mapped', yaml: [], reason: `process type ${type ?? '(none)'} is not in ${b.live.name}'s current release` });
      continue;
    }
    const f: ImportedFormation = { type, quantity: live.quantity, size: canonicalSize(live.size) ?? live.size };
    b.app.formation.push(f);
    report.push({ address: i.address, status: 'mapped', yaml: [`apps.${b.app.key}.formation.${type}`] });
  }

  // ---- domains
  for (const i of ofType('heroku_domain')) {
    const b = appOf(i);
    if (!b) continue;
    const hostname = str(i.attributes['hostname'])?.toLowerCase();
    const live = b.live.domains.find((d) => d.kind === 'custom' && d.hostname.toLowerCase() === hostname);
    if (!hostname || !live) {
      report.push({ address: i.address, status: 'not-mapped', yaml: [], reason: `domain ${hostname ?? '(none)'} is not on ${b.live.name} now (removed outside Terraform?)` });
      continue;
    }
    const d: ImportedDomain = { id: live.id, hostname };
    // sni_endpoint_id is optional and computed in the provider: declared only when Terraform set one.
    if (str(i.attributes['sni_endpoint_id'])) d.sniEndpoint = live.sniEndpoint;
    b.app.domains.push(d);
    report.push({ address: i.address, status: 'mapped', yaml: [`apps.${b.app.key}.domains[${hostname}]`] });
  }

  // ---- drains
  for (const i of ofType('heroku_drain')) {
    const b = appOf(i);
    if (!b) continue;
    const id = str(i.attributes['id']);
    const live = b.live.drains.find((d) => d.id === id && d.addonId === undefined);
    if (!id || !live) {
      report.push({ address: i.address, status: 'not-mapped', yaml: [], reason: `drain ${id ?? '(no id)'} is not on ${b.live.name} now (removed outside Terraform?)` });
      continue;
    }
    const viaSensitive = str(i.attributes['sensitive_url']) !== undefined;
    const sensitive = viaSensitive || isSensitive(i, ['url']);
    const d: ImportedDrain = { id: live.id, url: live.url, maskedUrl: maskUrlUserinfo(live.url), ...(sensitive ? { sensitive: true } : {}) };
    b.app.drains.push(d);
    report.push({ address: i.address, status: 'mapped', yaml: [`apps.${b.app.key}.drains[${d.maskedUrl}]`] });
  }

  // ---- app features
  for (const i of ofType('heroku_app_feature')) {
    const b = appOf(i);
    if (!b) continue;
    const name = str(i.attributes['name']);
    const stateEnabled = i.attributes['enabled'];
    const live = b.live.features?.find((f) => f.name === name);
    if (!name || (b.live.features && !live)) {
      report.push({ address: i.address, status: 'not-mapped', yaml: [], reason: `feature ${name ?? '(none)'} is not listed for ${b.live.name} (\`heroku labs -a ${b.live.name}\` lists them)` });
      continue;
    }
    if (b.app.features.includes(name) || b.app.disabledFeatures?.includes(name)) {
      warn(i.address, `feature ${name} is also declared by another heroku_app_feature: declared once`);
      continue;
    }
    const enabled = live ? live.enabled : stateEnabled !== false;
    if (live && typeof stateEnabled === 'boolean' && stateEnabled !== live.enabled) {
      warn(i.address, `feature ${name} is ${live.enabled ? 'on' : 'off'} on ${b.live.name}, ${stateEnabled ? 'on' : 'off'} in Terraform's state: the YAML declares it ${live.enabled ? 'on' : 'off'}`);
    }
    if (enabled) b.app.features.push(name);
    else (b.app.disabledFeatures ??= []).push(name);
    report.push({ address: i.address, status: 'mapped', yaml: [`apps.${b.app.key}.features.${name}`] });
  }

  // ---- collaborators (personal apps) and team collaborators (with permissions)
  for (const i of [...ofType('heroku_collaborator'), ...ofType('heroku_team_collaborator')]) {
    const b = appOf(i);
    if (!b) continue;
    const email = str(i.attributes['email'])?.toLowerCase();
    const live = b.live.collaborators?.find((c) => c.email === email);
    if (!email || !live) {
      report.push({ address: i.address, status: 'not-mapped', yaml: [], reason: `${email ?? '(no e-mail)'} is not a collaborator of ${b.live.name} now (removed outside Terraform?)` });
      continue;
    }
    const list = (b.app.collaborators ??= []);
    if (list.some((c) => c.email === email)) {
      warn(i.address, `${email} is also declared by another collaborator resource: declared once`);
      continue;
    }
    list.push({ id: live.id, email, ...(b.live.team !== undefined ? { permissions: [...live.permissions] } : {}) });
    report.push({ address: i.address, status: 'mapped', yaml: [`apps.${b.app.key}.collaborators[${email}]`] });
  }

  // ---- pipelines and couplings
  const pipelines = new Map<string, { p: ImportedPipeline; live: ReadPipelinesResult['pipelines'][number] }>();
  for (const i of ofType('heroku_pipeline')) {
    const id = str(i.attributes['id']);
    const name = str(i.attributes['name']);
    const live = livePipelines.pipelines.find((x) => x.pipeline.id === id);
    if (!id || !live) {
      report.push({ address: i.address, status: 'not-mapped', yaml: [], reason: `pipeline ${name ?? id ?? '(no id)'} is not visible to this account now (deleted outside Terraform?)` });
      continue;
    }
    if (name && live.pipeline.name !== name) warn(i.address, `the pipeline is now called ${live.pipeline.name} (Terraform's state says ${name}): declared under its current name`);
    // owner is optional and computed in the provider: a team is declared only when it owns the pipeline.
    const p: ImportedPipeline = { key: live.pipeline.name, id, name: live.pipeline.name, ...(live.team !== undefined ? { team: live.team } : {}), couplings: [], config: {} };
    pipelines.set(id, { p, live });
    report.push({ address: i.address, status: 'mapped', yaml: [`pipelines.${p.key}`] });
  }
  for (const i of ofType('heroku_pipeline_coupling')) {
    const pid = str(i.attributes['pipeline']);
    const entry = pid !== undefined ? pipelines.get(pid) : undefined;
    if (!entry) {
      report.push({
        address: i.address,
        status: 'not-mapped',
        yaml: [],
        reason: `its pipeline (${pid ?? 'none'}) is not a heroku_pipeline of this state that could be read: a coupling is declared in its pipeline's stages`,
      });
      continue;
    }
    const b = appOf(i);
    if (!b) continue;
    const live = entry.live.couplings.find((c) => c.appId === b.live.id);
    if (!live) {
      report.push({ address: i.address, status: 'not-mapped', yaml: [], reason: `${b.app.key} is not in pipeline ${entry.p.name} now (removed outside Terraform?)` });
      continue;
    }
    if (!(PIPELINE_STAGES as readonly string[]).includes(live.stage)) {
      report.push({ address: i.address, status: 'not-mapped', yaml: [], reason: `stage ${live.stage}: the YAML declares ${PIPELINE_STAGES.join(', ')} only` });
      continue;
    }
    const stateStage = str(i.attributes['stage']);
    if (stateStage && stateStage !== live.stage) warn(i.address, `${b.app.key} is in stage ${live.stage} of ${entry.p.name}, ${stateStage} in Terraform's state: the YAML declares ${live.stage}`);
    const c: ImportedCoupling = { app: b.app.key, appId: b.live.id, id: live.id, stage: live.stage as PipelineStage };
    entry.p.couplings.push(c);
    report.push({ address: i.address, status: 'mapped', yaml: [`pipelines.${entry.p.key}.stages.${c.stage}[${c.app}]`] });
  }
  const importedPipelines = [...pipelines.values()].map(({ p }) => {
    p.couplings.sort((a, b) => PIPELINE_STAGES.indexOf(a.stage) - PIPELINE_STAGES.indexOf(b.stage) || (a.app < b.app ? -1 : a.app > b.app ? 1 : 0));
    return p;
  });

  const imported = [...apps.values()].map((b) => sortApp(b.app));
  const env = assignEnvNames(imported, opts);
  markReferences(state, report);
  report.sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
  return { plan: { apps: imported, ...(importedPipelines.length > 0 ? { pipelines: importedPipelines } : {}), env, diagnostics }, report };
}

/** Sets `refersTo` on the entries left in Terraform whose attributes hold the id of a handed-over resource. */
function markReferences(state: TfState, report: TerraformReportEntry[]): void {
  const handedOver = new Set(report.filter((e) => e.status === 'mapped' || e.status === 'no-yaml').map((e) => e.address));
  const byId = new Map<string, string>();
  for (const i of state.instances) {
    if (!handedOver.has(i.address)) continue;
    for (const k of ['id', 'uuid']) {
      const v = str(i.attributes[k]);
      if (v) byId.set(v, i.address.replace(/\[[^\]]*\]$/, ''));
    }
  }
  for (const e of report) {
    if (e.status === 'mapped' || e.status === 'no-yaml') continue;
    const inst = state.instances.find((i) => i.address === e.address);
    if (!inst || inst.mode !== 'managed' || !isHerokuProvider(inst.provider)) continue;
    const refs = new Set<string>();
    for (const [k, v] of Object.entries(inst.attributes)) {
      if (k === 'id' || typeof v !== 'string') continue;
      const to = byId.get(v);
      if (to) refs.add(to);
    }
    if (refs.size > 0) e.refersTo = [...refs].sort();
  }
}

function sortApp(app: ImportedApp): ImportedApp {
  const by = <T>(f: (t: T) => string) => (x: T, y: T) => (f(x) < f(y) ? -1 : f(x) > f(y) ? 1 : 0);
  app.config.sort(by((c) => c.key));
  app.addons.sort(by((a) => a.key));
  app.formation.sort(by((f) => f.type));
  app.domains.sort(by((d) => d.hostname));
  app.drains.sort(by((d) => d.maskedUrl));
  app.features.sort();
  app.collaborators?.sort(by((c) => c.email));
  app.disabledFeatures?.sort();
  return app;
}

function sameVars(assoc: TfInstance, config: TfInstance): boolean {
  const eq = (a: Record<string, string>, b: Record<string, string>) => {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
  };
  return eq(stringMap(assoc.attributes['vars']), stringMap(config.attributes['vars'])) && eq(stringMap(assoc.attributes['sensitive_vars']), stringMap(config.attributes['sensitive_vars']));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** A map attribute of string values; anything else in it is not a config value and is dropped. */
function stringMap(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
