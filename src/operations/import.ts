import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Inventory } from '../model/inventory.js';
import { canonicalDynoSize, isHerokuAppName, SCHEMA_URL } from '../config/index.js';
import { assignEnvNames, planImport, type EnvVarNeeded, type ImportPlan } from '../import/build.js';
import { inventoryForImport } from '../import/inventory.js';
import { inventoryForPipeline, planPipelineImport, readPipelinesToImport } from '../import/pipelines.js';
import { readDirectoryToImport, recordDirectory } from '../import/members.js';
import { readAppsToImport } from '../import/read.js';
import { renderImportYaml } from '../import/yaml.js';
import { secretRule } from '../import/secret-rule.js';
import { cloneInventory, type StateLock } from '../state/index.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { createFingerprinter, type FingerprintKeys } from '../util/fingerprint.js';
import { DynoformError, classifyError } from './errors.js';
import { resolveCommon, type CommonOptions } from './options.js';
import { connect, fingerprintKeys, lockState, openStateBackend } from './pipeline.js';
import { chooseEnvironment, foreignOwners, ownInventory } from './environment.js';

export interface ImportOptions extends Omit<CommonOptions, 'files'> {
  /** Heroku app names to import. */
  apps: string[];
  /** Pipeline names to import, each with every app coupled to it (`import --pipeline`). */
  pipelines?: string[];
  /** Team names whose members to import (`import --team`): written under `teams:`, owned in state. */
  teams?: string[];
  /** Import the account's enabled features under `account.features` (`import --account-features`). */
  accountFeatures?: boolean;
  /** Write the YAML to this file (relative to `cwd`); without it the YAML is only returned. */
  out?: string;
  /** Overwrite `out` if it exists. */
  force?: boolean;
  /** Config values in plain text instead of `${env:KEY}` references (they end up in Git). */
  includeValues?: boolean;
  /** Also treat keys matching these patterns as secret (`*` = any characters; comma-separated allowed). */
  secretKeys?: string[];
}

export interface ImportOutcome {
  /** The YAML written (or to print). */
  yaml: string;
  /** App keys imported, in order. */
  apps: string[];
  /** Pipeline keys imported. */
  pipelines: string[];
  /** Absolute path of the YAML file, with `out`. */
  writtenTo?: string;
  /** The state the ownership was recorded in, as shown to users (credentials masked). */
  state: string;
  /** Environment variables the YAML refers to: to be set to the apps' current values before plan or apply. */
  env: EnvVarNeeded[];
  /** What was left out and why (info and warnings). */
  diagnostics: Diagnostic[];
}

const SCHEMA_FILE = fileURLToPath(SCHEMA_URL);

/**
 * Writes YAML for existing apps and records them as owned in state (under
 * the state lock), so that the first plan is empty. Refuses apps this state
 * already manages (by key, name or id).
 */
export async function importApps(options: ImportOptions): Promise<ImportOutcome> {
  let names = [...new Set(options.apps.map((n) => n.trim()))];
  const invalid = names.filter((n) => !isHerokuAppName(n));
  if (invalid.length > 0) {
    throw new DynoformError('invalid-option', `not a Heroku app name: ${invalid.join(', ')} (3–30 characters: lower-case letters, digits and dashes)`);
  }
  const pipelineNames = [...new Set((options.pipelines ?? []).map((n) => n.trim()))];
  const badPipelines = pipelineNames.filter((n) => !/^[a-z][a-z0-9-]{0,29}$/.test(n));
  if (badPipelines.length > 0) {
    throw new DynoformError('invalid-option', `not a pipeline name: ${badPipelines.join(', ')} (lower-case letters, digits and dashes, starting with a letter)`);
  }
  const teamNames = [...new Set((options.teams ?? []).map((n) => n.trim()))];
  const badTeams = teamNames.filter((n) => !/^[a-z][a-z0-9-]{0,29}$/.test(n));
  if (badTeams.length > 0) throw new DynoformError('invalid-option', `not a team name: ${badTeams.join(', ')} (lower-case letters, digits and dashes, starting with a letter)`);
  if (names.length === 0 && pipelineNames.length === 0 && teamNames.length === 0 && options.accountFeatures !== true) {
    throw new DynoformError('invalid-option', 'name the apps, pipelines or teams to import');
  }
  const { rule, errors } = secretRule(options.secretKeys ?? []);
  if (!rule) throw new DynoformError('invalid-option', errors.join('\n'));
  const r = resolveCommon(options);
  const outPath = options.out !== undefined ? resolve(r.cwd, options.out) : undefined;
  if (outPath && existsSync(outPath) && !options.force) {
    throw new DynoformError('file', `${options.out} exists: choose another --out file, or --force to overwrite it`);
  }
  // The state goes beside the YAML it belongs to (or beside ./dynoform.yaml when the YAML is printed).
  const environment = chooseEnvironment(r, options.environment);
  const backend = openStateBackend(r, options.state, outPath ? [outPath] : r.paths, environment);
  let lock: StateLock | undefined;
  try {
    const { client } = await connect(r, options);
    try {
      lock = await lockState(r, backend, 'import', options.signal);
      const inventory: Inventory = ownInventory(lock.current ? cloneInventory(lock.current) : undefined, environment, backend);
      const ownedPipelines = pipelineNames.filter((n) => Object.values(inventory.pipelines ?? {}).some((p) => p.key === n || p.name === n));
      if (ownedPipelines.length > 0) {
        throw new DynoformError(
          'conflict',
          `already managed in ${backend.describe()}: pipeline ${ownedPipelines.join(', ')}. To start over, run: ${ownedPipelines.map((n) => `dynoform state forget pipeline.${n}`).join('; ')}`,
        );
      }
      const ownedTeams = teamNames.filter((n) => Object.keys(inventory.teams?.[n]?.members ?? {}).length > 0);
      const ownedFeatures = options.accountFeatures === true && Object.keys(inventory.account?.features ?? {}).length > 0;
      if (ownedTeams.length > 0 || ownedFeatures) {
        const what = [...ownedTeams.map((n) => `the members of team ${n}`), ...(ownedFeatures ? ['account features'] : [])];
        const forget = [...ownedTeams.map((n) => `dynoform state forget team.${n}`), ...(ownedFeatures ? ['dynoform state forget account'] : [])];
        throw new DynoformError('conflict', `already managed in ${backend.describe()}: ${what.join(', ')}. To start over, run: ${forget.join('; ')}`);
      }
      const directoryNotes: Diagnostic[] = [];
      const directory =
        teamNames.length > 0 || options.accountFeatures === true
          ? await readDirectoryToImport(client, teamNames, options.accountFeatures === true, directoryNotes, options.signal ? { signal: options.signal } : {})
          : undefined;
      if (directory && directory.notFound.length > 0) {
        throw new DynoformError('not-found', `no such team, or the account is not a member of it: ${directory.notFound.join(', ')}`);
      }
      const pipelineRead = pipelineNames.length > 0 ? await readPipelinesToImport(client, pipelineNames, { parts: true, ...(options.signal ? { signal: options.signal } : {}) }) : undefined;
      if (pipelineRead && pipelineRead.notFound.length > 0) {
        throw new DynoformError('not-found', `no such pipeline visible to this account: ${pipelineRead.notFound.join(', ')}`);
      }
      // A pipeline comes with its apps: those coupled to it are imported too.
      for (const p of pipelineRead ? planPipelineImport(pipelineRead, []) : []) {
        for (const c of p.couplings) if (!names.includes(c.app)) names = [...names, c.app];
      }
      const clash = names.flatMap((n) => {
        const owner = Object.values(inventory.apps).find((a) => a.key === n || a.name === n);
        return owner ? [{ name: n, key: owner.key }] : [];
      });
      if (clash.length > 0) throw alreadyManaged(backend.describe(), clash);

      const read = await readAppsToImport(client, names, options.signal ? { signal: options.signal } : {});
      if (read.notFound.length > 0) throw new DynoformError('not-found', `no such app visible to this account: ${read.notFound.join(', ')}`);
      // Ids are unique: an app renamed since it was imported under another key is still the same app.
      const byId = read.apps.flatMap((a) => {
        const owner = Object.values(inventory.apps).find((o) => o.id === a.id);
        return owner ? [{ name: a.name, key: owner.key }] : [];
      });
      if (byId.length > 0) throw alreadyManaged(backend.describe(), byId);
      // Importing is adopting: an app another environment's state owns is not taken from it.
      const foreign = await foreignOwners(r, backend);
      const elsewhere = read.apps.flatMap((a) => foreign.filter((f) => f.id === a.id));
      if (elsewhere.length > 0) {
        throw new DynoformError(
          'conflict',
          `already managed by another state: ${elsewhere.map((f) => `${f.name} (environment ${f.environment}, state ${f.state})`).join(', ')}. Import it with that environment, or forget it there first`,
        );
      }

      const includeValues = options.includeValues === true;
      const plan = planImport(read.apps, { includeValues, secretRule: rule }, canonicalDynoSize);
      if (pipelineRead) {
        plan.pipelines = planPipelineImport(pipelineRead, plan.diagnostics);
        // Stage config values follow the apps' rule: secret-looking ones become ${env:…} references.
        plan.env = assignEnvNames(plan.apps, { includeValues, secretRule: rule }, plan.pipelines);
      }
      if (directory) {
        plan.directory = directory.read;
        plan.diagnostics.push(...directoryNotes);
      }
      const yaml = renderImportYaml(plan, { includeValues, schemaRef: schemaRefFor(outPath ? dirname(outPath) : r.cwd) });

      // Certificate chains (public) go beside the YAML that names them, before it: a YAML naming a missing file would not load.
      const yamlDir = outPath ? dirname(outPath) : r.cwd;
      for (const app of plan.apps) {
        for (const c of app.certificates ?? []) {
          await writeFileAtomic(join(yamlDir, c.file), c.chain, { mkdir: true });
          plan.diagnostics.push({ severity: 'info', code: 'import-certificate-chain', message: `${app.live.name}: wrote the chain of SNI endpoint ${c.key} to ${c.file}; set ${c.envName} to its private key before planning` });
        }
      }
      await recordImport({ plan, inventory, lock, keys: fingerprintKeys(r), yaml, ...(outPath ? { outPath, outLabel: options.out! } : {}) });
      return {
        yaml,
        apps: plan.apps.map((a) => a.key),
        pipelines: (plan.pipelines ?? []).map((p) => p.key),
        ...(outPath ? { writtenTo: outPath } : {}),
        state: backend.describe(),
        env: plan.env,
        diagnostics: plan.diagnostics,
      };
    } finally {
      await lock?.release();
      client.close();
    }
  } catch (err) {
    throw classifyError(err);
  } finally {
    await backend.close();
  }
}

/**
 * Takes ownership of imported apps: records each in `inventory` with the
 * fingerprints of its live values, writes the YAML (first: should the state
 * write fail, the next plan merely offers to adopt the apps), then the state.
 */
export async function recordImport(args: {
  plan: ImportPlan;
  inventory: Inventory;
  lock: StateLock;
  yaml: string;
  outPath?: string;
  /** The --out file as the user gave it, for the error message. */
  outLabel?: string;
  /** DYNOFORM_FINGERPRINT_KEY: secrets get keyed fingerprints (without it, `unkeyed:`). */
  keys: FingerprintKeys | undefined;
}): Promise<void> {
  const { plan, inventory, lock, yaml, outPath } = args;
  const fp = createFingerprinter(args.keys ? { keys: args.keys } : {});
  for (const app of plan.apps) inventory.apps[app.key] = inventoryForImport(app, fp);
  for (const p of plan.pipelines ?? []) inventory.pipelines = { ...(inventory.pipelines ?? {}), [p.key]: inventoryForPipeline(p, fp) };
  if (plan.directory) recordDirectory(inventory, plan.directory);
  if (outPath) {
    try {
      await writeFileAtomic(outPath, yaml, { mode: 0o600, mkdir: true });
    } catch (err) {
      throw new DynoformError('file', `cannot write ${args.outLabel ?? outPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  await lock.write(inventory);
}

export function alreadyManaged(where: string, apps: Array<{ name: string; key: string }>): DynoformError {
  const list = apps.map((a) => (a.key === a.name ? a.name : `${a.name} (as app.${a.key})`)).join(', ');
  const forget = apps.map((a) => `dynoform state forget app.${a.key}`).join('; ');
  return new DynoformError(
    'conflict',
    `already managed in ${where}: ${list}. Importing again would reset what dynoform knows was last applied (and hide drift); to start over, run: ${forget}`,
  );
}

/**
 * The `$schema` path for editors, relative to the YAML's folder and as
 * portable as we can make it: the package's own schema when the YAML sits
 * inside the package (its examples), else the copy in a project-local
 * node_modules (the same path on every checkout), else this installation's.
 */
export function schemaRefFor(dir: string): string {
  const packageRoot = dirname(dirname(SCHEMA_FILE));
  const rel = (to: string) => relative(dir, to).split('\\').join('/');
  if (!relative(packageRoot, dir).startsWith('..')) return rel(SCHEMA_FILE);
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', 'dynoform', 'schema', 'dynoform.schema.json');
    if (existsSync(candidate)) return rel(candidate);
    if (dirname(d) === d) break;
  }
  return rel(SCHEMA_FILE);
}
