import type { Diagnostic } from '../model/diagnostic.js';
import type { Resolved } from './options.js';

/** Wraps `emit` so that the diagnostics an operation reports are also kept, to be returned with its result. */
export function collectDiagnostics(r: Resolved): { r: Resolved; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const emit: Resolved['emit'] = (e) => {
    if (e.type === 'diagnostic') diagnostics.push(e.diagnostic);
    r.emit(e);
  };
  return { r: { ...r, emit }, diagnostics };
}
