/**
 * `${env:NAME}` interpolation. `$${` writes a literal `${`. A variable
 * that is set but empty is a problem of its own (`empty`): GitHub Actions
 * passes "" for a secret that does not exist, and applying it would blank
 * a production token. `${env:NAME:-}` allows it (and an unset NAME),
 * `${env:NAME:-text}` falls back to text, as in a shell. Anything else
 * inside `${…}` is a mistake worth reporting, not text to pass through: a
 * config value of `${DATABASE_URL}` almost always meant `${env:DATABASE_URL}`.
 */

export type InterpolationProblem =
  | { kind: 'missing'; name: string }
  | { kind: 'invalid'; expression: string; hint: string };

export interface Interpolated {
  value: string;
  /** Variables read, in order of first use. */
  envRefs: string[];
  /** Variables that were not set (their part of the value is empty). */
  missing: string[];
  /** Variables that were set to "" without `:-` allowing it. */
  empty: string[];
  /** The values the variables had: secrets in their own right, for the redactor. */
  parts: string[];
  /** Malformed `${…}` expressions. */
  invalid: { expression: string; hint: string }[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function uniquePush(list: string[], name: string): void {
  if (!list.includes(name)) list.push(name);
}

export function hasInterpolation(text: string): boolean {
  return text.includes('${');
}

export function interpolate(text: string, env: Record<string, string | undefined>): Interpolated {
  const result: Interpolated = { value: text, envRefs: [], missing: [], empty: [], invalid: [], parts: [] };
  if (!text.includes('${')) return result;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('$', i);
    if (at < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, at);
    if (text.startsWith('$${', at)) {
      out += '${';
      i = at + 3;
      continue;
    }
    if (!text.startsWith('${', at)) {
      out += '$';
      i = at + 1;
      continue;
    }
    const close = text.indexOf('}', at + 2);
    if (close < 0) {
      const expression = text.slice(at, at + 40);
      result.invalid.push({ expression, hint: 'it has no closing "}" (write $${ for a literal "${")' });
      out += text.slice(at);
      break;
    }
    const inner = text.slice(at + 2, close);
    const expression = text.slice(at, close + 1);
    i = close + 1;
    if (inner.startsWith('env:')) {
      const sep = inner.indexOf(':-', 4);
      const name = sep < 0 ? inner.slice(4) : inner.slice(4, sep);
      const fallback = sep < 0 ? undefined : inner.slice(sep + 2);
      if (!ENV_NAME.test(name)) {
        result.invalid.push({ expression, hint: 'an environment variable name is letters, digits and "_", not starting with a digit' });
        continue;
      }
      uniquePush(result.envRefs, name);
      // Own string values only: `${env:toString}` must not find Object.prototype.toString.
      const v = Object.hasOwn(env, name) ? env[name] : undefined;
      if (fallback !== undefined) {
        if (typeof v === 'string' && v !== '') {
          out += v;
          uniquePush(result.parts, v);
        } else out += fallback;
      } else if (typeof v !== 'string') uniquePush(result.missing, name);
      else if (v === '') uniquePush(result.empty, name);
      else {
        out += v;
        uniquePush(result.parts, v);
      }
      continue;
    }
    result.invalid.push({
      expression,
      hint: ENV_NAME.test(inner)
        ? `did you mean \${env:${inner}}? (write $\${ for a literal "\${")`
        : 'only ${env:NAME} is supported (write $${ for a literal "${")',
    });
  }
  result.value = out;
  return result;
}

/** Undoes `$${` escapes in a field that does not interpolate. */
export function unescapeLiteral(text: string): string {
  return text.includes('$${') ? text.split('$${').join('${') : text;
}
