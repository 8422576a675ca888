import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/library.md's example, run exactly as written against the built package
// (dist/, through the package's own name: `npm test` builds first).
const root = resolve(import.meta.dirname, '../../..');
const doc = readFileSync(join(root, 'docs/library.md'), 'utf8');

function block(marker: string, lang: string): string {
  const m = new RegExp(`<!-- ${marker} -->\\n\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(doc);
  if (!m) throw new Error(`docs/library.md has no ${lang} block after <!-- ${marker} -->`);
  return m[1]!;
}

describe('docs/library.md', () => {
  it('its example runs and prints what the page says it prints', async () => {
    const code = block('example:library', 'js');
    const expected = block('example:library:output', 'text');
    const child = execFile(process.execPath, ['--input-type=module'], { cwd: root, env: { PATH: process.env.PATH ?? '' } });
    child.stdin!.end(code);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exitCode = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    expect(stdout).toBe(expected);
    // The secret of the example never reaches the output.
    expect(stdout).not.toContain('a-secret-from-your-vault');
  });
});

