/**
 * `dynoform import APP...`: writes YAML for existing apps and records them
 * as owned in state (under the state lock), so that the first plan is empty.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { CliError } from '../context.js';
import { addApiOptions, addStateOptions, type CommonOptions } from '../options.js';
import { canonicalDynoSize, isHerokuAppName, SCHEMA_URL } from '../../config/index.js';
import { planImport } from '../../import/build.js';
import { importFingerprintInputs, inventoryForImport } from '../../import/inventory.js';
import { readAppsToImport } from '../../import/read.js';
import { renderImportYaml } from '../../import/yaml.js';
import { secretRule } from '../../import/secret-rule.js';
import { connect, lockState, openStateBackend, writeFileAtomic, yamlPaths } from '../pipeline.js';
import { asUserError } from './drift.js';
import type { Inventory } from '../../model/inventory.js';
import type { StateLock } from '../../state/index.js';
import { cloneInventory, newInventory } from '../../state/index.js';
import { createFingerprinter, saltForLineage } from '../../util/fingerprint.js';

interface ImportOptions extends CommonOptions {
  out?: string;
  includeValues?: boolean;
  force?: boolean;
  secretKeys?: string[];
}

const SCHEMA_FILE = fileURLToPath(SCHEMA_URL);

export function registerImport(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('import')
    .description('Write YAML for existing apps and take ownership of them in state, so that the next plan is empty')
    .argument('<app...>', 'Heroku app names')
    .option('-o, --out <file>', 'write the YAML to this file (default: standard output)')
    .option('--include-values', 'write config values in plain text instead of ${env:KEY} references (they end up in Git: think twice)')
    .option('--force', 'overwrite the --out file if it exists')
    .option('--secret-keys <pattern>', 'also treat keys matching this pattern as secret (repeatable, comma-separated; * = any characters)', (v: string, prev: string[] = []) => [...prev, v])
    .addHelpText(
      'after',
      [
        '',
        'Secret-looking config values (docs/import.md: key patterns, URLs with credentials, tokens) become',
        '${env:APP__KEY} references, the others literals: the list of variables to set is printed on stderr.',
        'Config vars that add-ons set (DATABASE_URL, …), the app\'s herokuapp.com domain and drains that',
        'add-ons created are left out. The state is --state, else $DYNOFORM_STATE, else .dynoform/state.json',
        'beside the --out file (or in the current directory).',
      ].join('\n'),
    );
  addApiOptions(cmd);
  addStateOptions(cmd);
  cmd.action(async (names: string[], opts: ImportOptions) => {
    try {
      await runImport(ctx, names, opts);
    } catch (err) {
      throw asUserError(err);
    }
  });
}

async function runImport(ctx: CliContext, rawNames: string[], opts: ImportOptions): Promise<void> {
  const names = [...new Set(rawNames.map((n) => n.trim()))];
  const invalid = names.filter((n) => !isHerokuAppName(n));
  if (invalid.length > 0) throw new CliError(`not a Heroku app name: ${invalid.join(', ')} (3–30 characters: lower-case letters, digits and dashes)`);

  const { rule, errors } = secretRule(opts.secretKeys ?? []);
  if (!rule) throw new CliError(errors.join('\n'));
  const outPath = opts.out !== undefined ? resolve(ctx.cwd, opts.out) : undefined;
  if (outPath && existsSync(outPath) && !opts.force) {
    throw new CliError(`${opts.out} exists: choose another --out file, or --force to overwrite it`);
  }
  // The state goes beside the YAML it belongs to (or beside ./dynoform.yaml for standard output).
  const backend = openStateBackend(ctx, opts, outPath ? [outPath] : yamlPaths(ctx, {}));
  const { client } = await connect(ctx, opts);
  let lock: StateLock | undefined;
  try {
    lock = await lockState(ctx, backend, opts, 'import');
    const inventory: Inventory = lock.current ? cloneInventory(lock.current) : newInventory();
    const clash = names.flatMap((n) => {
      const owner = Object.values(inventory.apps).find((a) => a.key === n || a.name === n);
      return owner ? [{ name: n, key: owner.key }] : [];
    });
    if (clash.length > 0) throw alreadyManaged(backend.describe(), clash);

    const read = await readAppsToImport(client, names, { signal: ctx.signal });
    if (read.notFound.length > 0) {
      throw new CliError(`no such app visible to this account: ${read.notFound.join(', ')}`);
    }
    // Ids are unique: an app renamed since it was imported under another key is still the same app.
    const byId = read.apps.flatMap((a) => {
      const owner = Object.values(inventory.apps).find((o) => o.id === a.id);
      return owner ? [{ name: a.name, key: owner.key }] : [];
    });
    if (byId.length > 0) throw alreadyManaged(backend.describe(), byId);

    const includeValues = opts.includeValues === true;
    const plan = planImport(read.apps, { includeValues, secretRule: rule }, canonicalDynoSize);
    const schemaRef = schemaRefFor(outPath ? dirname(outPath) : ctx.cwd);
    const yaml = renderImportYaml(plan, { includeValues, schemaRef });

    const fp = createFingerprinter(saltForLineage(inventory.lineage));
    await fp.prepare(importFingerprintInputs(plan));
    for (const app of plan.apps) inventory.apps[app.key] = inventoryForImport(app, fp);

    // YAML first: should the state write fail, the next plan merely offers to adopt the apps.
    if (outPath) await writeFileAtomic(outPath, yaml);
    else ctx.stdout.write(yaml);
    await lock.write(inventory);

    for (const d of plan.diagnostics) ctx.stderr.write(`${d.severity === 'info' ? 'Note' : 'Warning'}: ${d.message}\n`);
    const where = outPath ? relative(ctx.cwd, outPath) || outPath : 'standard output';
    const count = plan.apps.length;
    ctx.stderr.write(`Imported ${count} app${count === 1 ? '' : 's'} (${plan.apps.map((a) => a.key).join(', ')}) into ${where}; ownership recorded in ${backend.describe()}.\n`);
    if (includeValues) {
      ctx.stderr.write(`Warning: --include-values wrote config values in plain text to ${where}: do not commit secrets; replace them with \${env:NAME} references.\n`);
    } else if (plan.env.length > 0) {
      ctx.stderr.write(`Set these environment variables (to the apps' current values) before running plan or apply:\n`);
      for (const e of plan.env) ctx.stderr.write(`  ${e.name.padEnd(28)} ${e.uses.join(', ')} (${e.why})\n`);
      const first = plan.apps[0]!;
      ctx.stderr.write(`For example: heroku config --shell -a ${first.key}   (then export the lines you need)\n`);
    }
  } finally {
    await lock?.release();
    await backend.close();
    client.close();
  }
}

function alreadyManaged(where: string, apps: Array<{ name: string; key: string }>): CliError {
  const list = apps.map((a) => (a.key === a.name ? a.name : `${a.name} (as app.${a.key})`)).join(', ');
  const forget = apps.map((a) => `dynoform state forget app.${a.key}`).join('; ');
  return new CliError(
    `already managed in ${where}: ${list}. Importing again would reset what dynoform knows was last applied (and hide drift); to start over, run: ${forget}`,
  );
}

/**
 * The `$schema` path for editors, relative to the YAML's folder and as
 * portable as we can make it: the package's own schema when the YAML sits
 * inside the package (its examples), else the copy in a project-local
 * node_modules (the same path on every checkout), else this installation's.
 */
function schemaRefFor(dir: string): string {
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
