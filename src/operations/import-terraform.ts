import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Inventory } from '../model/inventory.js';
import { canonicalDynoSize } from '../config/index.js';
import type { EnvVarNeeded } from '../import/build.js';
import { readAppsToImport } from '../import/read.js';
import { secretRule } from '../import/secret-rule.js';
import { readTerraformSource } from '../import/terraform/locate.js';
import { mapTerraformState, terraformApps, terraformPipelines, type TerraformReportEntry } from '../import/terraform/map.js';
import { readPipelinesToImport, type ReadPipelinesResult } from '../import/pipelines.js';
import { parseTerraformState, TerraformStateError, type TfState } from '../import/terraform/state.js';
import { renderImportYaml } from '../import/yaml.js';
import { cloneInventory, type StateLock } from '../state/index.js';
import { DynoformError, classifyError } from './errors.js';
import { alreadyManaged, recordImport, schemaRefFor } from './import.js';
import { resolveCommon, type CommonOptions } from './options.js';
import { connect, fingerprintKeys, lockState, openStateBackend, readInventory } from './pipeline.js';

export interface TerraformImportOptions extends Omit<CommonOptions, 'files'> {
  /** A terraform.tfstate (format version 4), `terraform show -json` output, or a Terraform working directory (relative to `cwd`). */
  from: string;
  /** Write the YAML to this file (relative to `cwd`); without it the YAML is only returned. */
  out?: string;
  /** Overwrite `out` if it exists. */
  force?: boolean;
  /** Values Terraform did not mark sensitive in plain text, even secret-looking ones (they end up in Git). */
  includeValues?: boolean;
  /** Also treat keys matching these patterns as secret (`*` = any characters; comma-separated allowed). */
  secretKeys?: string[];
  /** Map and report only: no file written, dynoform's state neither locked nor written. */
  dryRun?: boolean;
}

export interface TerraformImportOutcome {
  /** The YAML (written to `writtenTo`, or to print). */
  yaml: string;
  /** App keys declared, in order. */
  apps: string[];
  /** Absolute path of the YAML file, when one was written. */
  writtenTo?: string;
  /** The state the ownership was recorded in (credentials masked); absent for a dry run. */
  state?: string;
  /** The Terraform state file read, as shown to users, its format and Terraform's version. */
  source: { shown: string; format: TfState['format']; terraformVersion?: string };
  /** Each Terraform address: the YAML paths it became, or why it was not mapped. */
  report: TerraformReportEntry[];
  /** Environment variables the YAML refers to (names only). */
  env: EnvVarNeeded[];
  /** Differences between the state and Heroku, values left out (warnings; never a value). */
  diagnostics: Diagnostic[];
  dryRun: boolean;
}

/**
 * Declares what a Terraform state manages on Heroku and takes ownership of
 * it exactly as importApps does (under the state lock, refusing apps this
 * state already manages), so that the first plan is empty. Terraform is
 * never run; no write request is sent to Heroku.
 */
export async function importFromTerraform(options: TerraformImportOptions): Promise<TerraformImportOutcome> {
  const { rule, errors } = secretRule(options.secretKeys ?? []);
  if (!rule) throw new DynoformError('invalid-option', errors.join('\n'));
  const r = resolveCommon(options);
  const dryRun = options.dryRun === true;

  let tf: TfState;
  let shown: string;
  try {
    const located = await readTerraformSource(resolve(r.cwd, options.from), r.cwd);
    shown = located.shown;
    tf = parseTerraformState(located.text, located.shown);
  } catch (err) {
    if (err instanceof TerraformStateError) throw new DynoformError('terraform-state', err.message);
    throw err;
  }
  const tfApps = terraformApps(tf);
  if (tfApps.length === 0) {
    const n = tf.instances.length;
    throw new DynoformError('terraform-state', `${shown}: no heroku_app resource in this state (${n} resource instance${n === 1 ? '' : 's'}): nothing dynoform can import`);
  }

  const outPath = options.out !== undefined && !dryRun ? resolve(r.cwd, options.out) : undefined;
  if (outPath && existsSync(outPath) && !options.force) {
    throw new DynoformError('file', `${options.out} exists: choose another --out file, or --force to overwrite it`);
  }
  const backend = openStateBackend(r, options.state, options.out !== undefined ? [resolve(r.cwd, options.out)] : r.paths);
  let lock: StateLock | undefined;
  try {
    const { client } = await connect(r, options);
    try {
      // A dry run reads the state (to refuse what it already manages) but never locks or writes it.
      let inventory: Inventory;
      if (dryRun) inventory = await readInventory(backend);
      else {
        lock = await lockState(r, backend, 'import', options.signal);
        inventory = lock.current ? cloneInventory(lock.current) : await readInventory(backend);
      }
      const clash = tfApps.flatMap((t) => {
        const owner = Object.values(inventory.apps).find((a) => a.key === t.name || a.name === t.name || a.id === t.id);
        return owner ? [{ name: t.name, key: owner.key }] : [];
      });
      if (clash.length > 0) throw alreadyManaged(backend.describe(), clash);

      const read = await readAppsToImport(client, tfApps.map((t) => t.name), options.signal ? { signal: options.signal } : {});
      const byId = read.apps.flatMap((a) => {
        const owner = Object.values(inventory.apps).find((o) => o.id === a.id);
        return owner ? [{ name: a.name, key: owner.key }] : [];
      });
      if (byId.length > 0) throw alreadyManaged(backend.describe(), byId);

      const pipelineIds = terraformPipelines(tf);
      const ownedPipelines = pipelineIds.flatMap((id) => Object.values(inventory.pipelines ?? {}).filter((p) => p.id === id).map((p) => p.key));
      if (ownedPipelines.length > 0) {
        throw new DynoformError('conflict', `already managed in ${backend.describe()}: pipeline ${ownedPipelines.join(', ')}. Importing again would reset what dynoform knows was last applied; to start over, run: ${ownedPipelines.map((k) => `dynoform state forget pipeline.${k}`).join('; ')}`);
      }
      const pipelines: ReadPipelinesResult = pipelineIds.length > 0
        ? await readPipelinesToImport(client, pipelineIds, options.signal ? { signal: options.signal } : {})
        : { pipelines: [], appNames: {}, notFound: [] };

      const includeValues = options.includeValues === true;
      const { plan, report } = mapTerraformState(tf, read.apps, { includeValues, secretRule: rule }, canonicalDynoSize, pipelines);
      if (plan.apps.length === 0) {
        const why = report.filter((e) => e.address.startsWith('heroku_app.') || e.address.includes('.heroku_app.')).map((e) => `${e.address}: ${e.reason ?? ''}`);
        throw new DynoformError('not-found', `no app of ${shown} could be imported: ${why.join('; ')}`);
      }
      const yaml = renderImportYaml(plan, {
        includeValues,
        schemaRef: schemaRefFor(options.out !== undefined ? dirname(resolve(r.cwd, options.out)) : r.cwd),
        writtenBy: 'dynoform import --from-terraform',
      });

      if (!dryRun) {
        await recordImport({ plan, inventory, lock: lock!, keys: fingerprintKeys(r), yaml, ...(outPath ? { outPath, outLabel: options.out! } : {}) });
      }
      return {
        yaml,
        apps: plan.apps.map((a) => a.key),
        ...(outPath ? { writtenTo: outPath } : {}),
        ...(dryRun ? {} : { state: backend.describe() }),
        source: { shown, format: tf.format, ...(tf.terraformVersion ? { terraformVersion: tf.terraformVersion } : {}) },
        report,
        env: plan.env,
        diagnostics: plan.diagnostics,
        dryRun,
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
