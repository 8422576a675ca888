/**
 * `dynoform import APP...`: writes YAML for existing apps and records them
 * as owned in state (under the state lock), so that the first plan is empty.
 */
import { relative } from 'node:path';
import type { Command } from 'commander';
import { CliError, type CliContext } from '../context.js';
import { addApiOptions, addStateOptions, operationOptions, type CommonOptions } from '../options.js';
import { importApps, importFromTerraform } from '../../operations/index.js';
import { renderTerraformReport } from '../../render/import-terraform-text.js';

interface ImportOptions extends CommonOptions {
  out?: string;
  includeValues?: boolean;
  force?: boolean;
  secretKeys?: string[];
  fromTerraform?: string;
  dryRun?: boolean;
  pipeline?: string[];
  team?: string[];
  accountFeatures?: boolean;
}

export function registerImport(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('import')
    .description('Write YAML for existing apps (or for what a Terraform state manages) and take ownership of them in state, so that the next plan is empty')
    .argument('[app...]', 'Heroku app names')
    .option('--from-terraform <path>', 'import what a Terraform state manages: a terraform.tfstate, `terraform show -json` output, or a Terraform working directory')
    .option('--pipeline <name>', 'import this pipeline with every app coupled to it (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--team <name>', "import this team's members (admin, member, viewer) under teams: (repeatable)", (v: string, prev: string[] = []) => [...prev, v])
    .option('--account-features', "import the account's enabled features under account.features")
    .option('--dry-run', 'with --from-terraform: print the YAML and the report; write no file and leave the state alone')
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
        'With --from-terraform (docs/migrating-from-terraform.md) a report on stderr maps each Terraform address to its',
        'YAML path, lists what was not mapped and why, and ends with the steps to hand the resources over.',
      ].join('\n'),
    );
  addApiOptions(cmd);
  addStateOptions(cmd);
  cmd.action(async (names: string[], opts: ImportOptions) => {
    if (opts.fromTerraform !== undefined) {
      if (names.length > 0) throw new CliError(`--from-terraform imports the apps of the Terraform state: give no app names with it (got ${names.join(', ')})`);
      if (opts.pipeline || opts.team || opts.accountFeatures) throw new CliError('--pipeline, --team and --account-features do not go with --from-terraform');
      return fromTerraform(ctx, opts.fromTerraform, opts);
    }
    if (opts.dryRun) throw new CliError('--dry-run works with --from-terraform only');
    if (names.length === 0 && !opts.pipeline && !opts.team && !opts.accountFeatures) {
      throw new CliError('name the apps to import (dynoform import APP...), or give --pipeline NAME, --team NAME, --account-features or --from-terraform PATH');
    }
    const outcome = await importApps({
      ...operationOptions(ctx, opts),
      apps: names,
      ...(opts.pipeline ? { pipelines: opts.pipeline } : {}),
      ...(opts.team ? { teams: opts.team } : {}),
      ...(opts.accountFeatures ? { accountFeatures: true } : {}),
      ...(opts.out !== undefined ? { out: opts.out } : {}),
      force: opts.force === true,
      includeValues: opts.includeValues === true,
      ...(opts.secretKeys ? { secretKeys: opts.secretKeys } : {}),
    });
    if (!outcome.writtenTo) ctx.stdout.write(outcome.yaml);
    for (const d of outcome.diagnostics) ctx.stderr.write(`${d.severity === 'info' ? 'Note' : 'Warning'}: ${d.message}\n`);
    const where = outcome.writtenTo ? relative(ctx.cwd, outcome.writtenTo) || outcome.writtenTo : 'standard output';
    const count = outcome.apps.length;
    const pipelines = outcome.pipelines.length > 0 ? ` and pipeline${outcome.pipelines.length === 1 ? '' : 's'} ${outcome.pipelines.join(', ')}` : '';
    ctx.stderr.write(`Imported ${count} app${count === 1 ? '' : 's'} (${outcome.apps.join(', ')})${pipelines} into ${where}; ownership recorded in ${outcome.state}.\n`);
    if (opts.includeValues === true) {
      ctx.stderr.write(`Warning: --include-values wrote config values in plain text to ${where}: do not commit secrets; replace them with \${env:NAME} references.\n`);
    } else if (outcome.env.length > 0) {
      ctx.stderr.write(`Set these environment variables (to the apps' current values) before running plan or apply:\n`);
      for (const e of outcome.env) ctx.stderr.write(`  ${e.name.padEnd(28)} ${e.uses.join(', ')} (${e.why})\n`);
      ctx.stderr.write(`For example: heroku config --shell -a ${outcome.apps[0]!}   (then export the lines you need)\n`);
    }
  });
}

async function fromTerraform(ctx: CliContext, from: string, opts: ImportOptions): Promise<void> {
  const outcome = await importFromTerraform({
    ...operationOptions(ctx, opts),
    from,
    ...(opts.out !== undefined ? { out: opts.out } : {}),
    force: opts.force === true,
    includeValues: opts.includeValues === true,
    dryRun: opts.dryRun === true,
    ...(opts.secretKeys ? { secretKeys: opts.secretKeys } : {}),
  });
  if (!outcome.writtenTo) ctx.stdout.write(outcome.yaml);
  const shown = (p: string) => relative(ctx.cwd, p) || p;
  const yamlTo = outcome.writtenTo ? shown(outcome.writtenTo) : 'standard output';
  ctx.stderr.write(
    renderTerraformReport({
      source: outcome.source.shown,
      format: outcome.source.format,
      ...(outcome.source.terraformVersion ? { terraformVersion: outcome.source.terraformVersion } : {}),
      report: outcome.report,
      diagnostics: outcome.diagnostics,
      env: outcome.env,
      yamlTo,
      planFile: outcome.writtenTo ? yamlTo : opts.out !== undefined ? opts.out : 'FILE (the YAML above, saved)',
      ...(outcome.state !== undefined ? { state: outcome.state } : {}),
      dryRun: outcome.dryRun,
    }),
  );
  if (opts.includeValues === true) {
    ctx.stderr.write(`Warning: --include-values wrote config values in plain text to ${yamlTo}: do not commit secrets; replace them with \${env:NAME} references.\n`);
  }
}
