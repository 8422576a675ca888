/**
 * A netrc reader: the same file the Heroku CLI and curl use. Supports
 * `machine`, `default`, `login`, `password`, `account`, and skips `macdef`
 * bodies (they run until an empty line).
 */
export interface NetrcEntry {
  /** The machine name; undefined for the `default` entry. */
  machine?: string;
  login?: string;
  password?: string;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // Comments run to the end of the line (a `#` at the start of a token).
    const words = line.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
    for (let w = 0; w < words.length; w++) {
      let word = words[w]!;
      if (word.startsWith('#')) break;
      if (word.startsWith('"') && word.endsWith('"') && word.length >= 2) {
        word = word.slice(1, -1).replace(/\\(.)/g, '$1');
      }
      if (word === 'macdef') {
        // The macro body is free text up to the next empty line.
        while (i + 1 < lines.length && lines[i + 1]!.trim() !== '') i++;
        break;
      }
      tokens.push(word);
    }
  }
  return tokens;
}

export function parseNetrc(text: string): NetrcEntry[] {
  const tokens = tokenize(text);
  const entries: NetrcEntry[] = [];
  let current: NetrcEntry | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === 'machine') {
      current = { machine: tokens[++i] ?? '' };
      entries.push(current);
    } else if (t === 'default') {
      current = {};
      entries.push(current);
    } else if (current && (t === 'login' || t === 'password' || t === 'account')) {
      const v = tokens[++i];
      if (t === 'login') current.login = v;
      else if (t === 'password') current.password = v;
    }
  }
  return entries;
}

/** The entry for `host` (exact match, first wins), else the `default` entry. */
export function findNetrcEntry(entries: NetrcEntry[], host: string): NetrcEntry | undefined {
  const h = host.toLowerCase();
  return entries.find((e) => e.machine?.toLowerCase() === h) ?? entries.find((e) => e.machine === undefined);
}
