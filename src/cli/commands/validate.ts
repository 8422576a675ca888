/**
 * `dynoform validate`: reads the YAML offline (no API, no state) and reports
 * every problem, not only the first. Exit 0 when valid, 1 otherwise.
 */
import { Option, type Command } from 'commander';
import { ExitCode, type CliContext } from '../context.js';
import { addFileOption } from '../options.js';
import { countDiagnostics, formatDiagnostic, loadDesiredState } from '../../config/index.js';
import { plural } from '../../config/format.js';

interface ValidateOptions {
  file?: string[];
  allowMissingEnv?: boolean;
  format: 'text' | 'json';
}

export function registerValidate(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('validate')
    .description('Check the YAML: syntax, schema, names, sizes, ${env:…} references (offline)')
    .option('--allow-missing-env', 'report unset ${env:…} variables as warnings, not errors (to validate without secrets)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExit codes: 0 valid (warnings allowed), 1 invalid.');
  addFileOption(cmd);
  cmd.action(async (opts: ValidateOptions) => {
    const result = await loadDesiredState(opts.file ?? [], {
      env: ctx.env,
      cwd: ctx.cwd,
      allowMissingEnv: opts.allowMissingEnv ?? false,
    });
    const valid = result.desired !== undefined;
    const apps = valid ? Object.keys(result.desired!.apps).length : result.apps.length;
    if (opts.format === 'json') {
      ctx.stdout.write(
        JSON.stringify({ valid, files: result.files.length, apps, diagnostics: result.diagnostics }, null, 2) + '\n',
      );
    } else {
      for (const d of result.diagnostics) ctx.stdout.write(formatDiagnostic(d) + '\n');
      const counts = countDiagnostics(result.diagnostics);
      if (valid) {
        const warnings = counts.warnings > 0 ? ` (${plural(counts.warnings, 'warning')})` : '';
        ctx.stdout.write(`${plural(result.files.length, 'file')}, ${plural(apps, 'app')}: valid${warnings}\n`);
      } else {
        const errors = counts.errors + (result.unlistedErrors ?? 0);
        ctx.stdout.write(`${plural(errors, 'error')}, ${plural(counts.warnings, 'warning')}\n`);
      }
    }
    ctx.exitCode = valid ? ExitCode.ok : ExitCode.error;
  });
}
