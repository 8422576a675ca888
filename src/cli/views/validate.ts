import { formatDiagnostic, type ValidateOutcome } from '../../operations/index.js';
import { plural } from '../../render/plan-common.js';

/** `dynoform validate`'s output, per --format. */
export const validateView: Record<'text' | 'json', (o: ValidateOutcome) => string> = {
  json: (o) => JSON.stringify({ valid: o.valid, files: o.files.length, apps: o.apps, diagnostics: o.diagnostics }, null, 2) + '\n',
  text: (o) => {
    const lines = o.diagnostics.map(formatDiagnostic);
    if (o.valid) {
      const warnings = o.warnings > 0 ? ` (${plural(o.warnings, 'warning')})` : '';
      lines.push(`${plural(o.files.length, 'file')}, ${plural(o.apps, 'app')}: valid${warnings}`);
    } else {
      lines.push(`${plural(o.errors, 'error')}, ${plural(o.warnings, 'warning')}`);
    }
    return lines.join('\n') + '\n';
  },
};
