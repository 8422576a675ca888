/**
 * `dynoform validate`: reads the YAML offline (no API, no state) and reports
 * every problem, not only the first. Exit 0 when valid, 1 otherwise.
 */
import { Option, type Command } from 'commander';
import { ExitCode, type CliContext } from '../context.js';
import { addFileOption } from '../options.js';
import { validate } from '../../operations/index.js';
import { validateView } from '../views/validate.js';

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
    const outcome = await validate({
      cwd: ctx.cwd,
      env: ctx.env,
      ...(opts.file ? { files: opts.file } : {}),
      allowMissingEnv: opts.allowMissingEnv ?? false,
    });
    ctx.stdout.write(validateView[opts.format](outcome));
    ctx.exitCode = outcome.valid ? ExitCode.ok : ExitCode.error;
  });
}
