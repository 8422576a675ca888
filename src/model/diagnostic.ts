/** Where a value came from in the user's YAML (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export type Severity = 'error' | 'warning' | 'info';

/**
 * A user-facing problem. User mistakes (bad YAML, bad flags, API refusals)
 * are collected as diagnostics with a stable `code`; exceptions are kept for
 * "cannot continue".
 */
export interface Diagnostic {
  severity: Severity;
  /** Stable machine id, e.g. `config-value-not-string`, `duplicate-app`. */
  code: string;
  message: string;
  file?: string;
  line?: number;
  col?: number;
  /** Resource address when the problem is about a resource, e.g. `app.shop/addon.db`. */
  address?: string;
  /** Extra places, e.g. the first declaration of a duplicated app. */
  related?: SourceLocation[];
}
