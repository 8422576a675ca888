import type { Diagnostic } from '../model/diagnostic.js';

/**
 * One line per diagnostic, in the form compilers use so that editors and
 * CI logs link it to the place: `staging.yaml:12:7: error: message [code]`.
 */
export function formatDiagnostic(d: Diagnostic): string {
  let where = '';
  if (d.file !== undefined) {
    where = d.file;
    if (d.line !== undefined) where += `:${d.line}` + (d.col !== undefined ? `:${d.col}` : '');
    where += ': ';
  }
  return `${where}${d.severity}: ${d.message} [${d.code}]`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `2 errors, 1 warning` */
export function countDiagnostics(diagnostics: Diagnostic[]): { errors: number; warnings: number; text: string } {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  return { errors, warnings, text: `${plural(errors, 'error')}, ${plural(warnings, 'warning')}` };
}

export { plural };
