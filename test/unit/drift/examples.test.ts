import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { main } from '../../../src/cli/main.js';

// The example GitOps repository's workflows are documentation that must
// work: valid YAML, the shape GitHub Actions needs, dynoform commands with
// flags that exist, files that exist, and every ${env:…} the YAML reads set.
const examples = resolve(import.meta.dirname, '../../../examples');
const workflowsDir = join(examples, '.github', 'workflows');
const workflowFiles = readdirSync(workflowsDir).filter((f) => f.endsWith('.yml'));

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  'runs-on': string;
  env?: Record<string, string>;
  steps: Step[];
  strategy?: { matrix?: { environment?: string[] } };
  environment?: string;
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const load = (f: string): Workflow => parse(readFileSync(join(workflowsDir, f), 'utf8')) as Workflow;

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _e: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function help(command: string): Promise<string> {
  const out = new Capture();
  const stdin = new PassThrough();
  stdin.end();
  await main(['node', 'dynoform', command, '--help'], { env: {}, cwd: examples, stdout: out, stderr: new Capture(), stdin, signal: new AbortController().signal });
  return out.text;
}

/** `dynoform …` invocations in a run script, with `${{ matrix.environment }}` as each environment. */
function invocations(run: string, environment: string): string[][] {
  return run
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('dynoform '))
    .map((l) =>
      l
        .replace(/\$\{\{\s*matrix\.environment\s*\}\}/g, environment)
        .replace(/\s*[>|].*$/, '')
        .split(/\s+/)
        .map((t) => t.replace(/^"|"$/g, '')),
    );
}

/** Environment variable names the example YAML of an environment reads. */
function envRefs(files: string[]): Set<string> {
  const names = new Set<string>();
  for (const f of files) for (const m of readFileSync(join(examples, f), 'utf8').matchAll(/(?<!\$)\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g)) names.add(m[1]!);
  return names;
}

describe('examples/.github/workflows', () => {
  it('has the three workflows, each valid YAML without warnings', () => {
    expect(workflowFiles.sort()).toEqual(['dynoform-apply.yml', 'dynoform-drift.yml', 'dynoform-plan.yml']);
    for (const f of workflowFiles) {
      const doc = parseDocument(readFileSync(join(workflowsDir, f), 'utf8'));
      expect(doc.errors, f).toEqual([]);
      expect(doc.warnings, f).toEqual([]);
      const wf = load(f);
      expect(typeof wf.name).toBe('string');
      expect(Object.keys(wf.jobs).length).toBeGreaterThan(0);
      for (const [id, job] of Object.entries(wf.jobs)) {
        expect(job['runs-on'], `${f} ${id}`).toBe('ubuntu-latest');
        expect(job.steps.length).toBeGreaterThan(0);
        for (const s of job.steps) expect(s.uses !== undefined || s.run !== undefined, `${f} ${id} ${s.name}`).toBe(true);
      }
    }
  });

  it('plan on pull requests, apply on merge to main, drift nightly', () => {
    expect(Object.keys(load('dynoform-plan.yml').on)).toEqual(['pull_request']);
    expect(load('dynoform-apply.yml').on['push']).toMatchObject({ branches: ['main'] });
    const drift = load('dynoform-drift.yml').on['schedule'] as Array<{ cron: string }>;
    expect(drift[0]!.cron.split(' ')).toHaveLength(5);
  });

  it('the plan is posted as a markdown comment and written to the step summary', () => {
    const job = load('dynoform-plan.yml').jobs['plan']!;
    const planRun = job.steps.map((s) => s.run ?? '').join('\n');
    expect(planRun).toContain('--format markdown');
    expect(planRun).toContain('$GITHUB_STEP_SUMMARY');
    const comment = job.steps.find((s) => s.uses?.startsWith('actions/github-script@'));
    expect(String(comment?.with?.['script'])).toContain('createComment');
  });

  it('apply runs with --auto-approve; drift uses --format github', () => {
    const apply = Object.values(load('dynoform-apply.yml').jobs).flatMap((j) => j.steps.map((s) => s.run ?? ''));
    expect(apply.some((r) => /dynoform apply .*--auto-approve/.test(r))).toBe(true);
    const drift = load('dynoform-drift.yml').jobs['drift']!.steps.map((s) => s.run ?? '').join('\n');
    expect(drift).toContain('--format github');
  });

  it('every dynoform command uses flags that exist, files that exist, and gets every ${env:…} its YAML reads', async () => {
    const helps = new Map<string, string>();
    let checked = 0;
    for (const f of workflowFiles) {
      for (const [id, job] of Object.entries(load(f).jobs)) {
        const environments = job.strategy?.matrix?.environment ?? [job.environment ?? id];
        for (const environment of environments) {
          for (const step of job.steps) {
            for (const argv of invocations(step.run ?? '', environment)) {
              const command = argv[1]!;
              if (!helps.has(command)) helps.set(command, await help(command));
              const text = helps.get(command)!;
              expect(text, `${f}: dynoform ${command}`).toContain(`Usage: dynoform ${command}`);
              for (const flag of argv.filter((a) => a.startsWith('-'))) {
                expect(text, `${f}: dynoform ${command} ${flag}`).toMatch(new RegExp(`(^|[\\s,])${flag.replace(/[-]/g, '\\-')}([\\s,]|$)`, 'm'));
              }
              const files = argv.flatMap((a, i) => (argv[i - 1] === '-f' ? [a] : []));
              for (const file of files) expect(() => readFileSync(join(examples, file)), `${f}: ${file}`).not.toThrow();
              const given = new Set(Object.entries({ ...job.env, ...step.env }).filter(([, v]) => v !== '').map(([k]) => k));
              for (const name of envRefs(files)) expect(given.has(name), `${f} ${id} (${environment}) sets ${name}`).toBe(true);
              if (command !== 'validate') {
                expect(given.has('HEROKU_API_KEY'), `${f} ${id}`).toBe(true);
                expect(given.has('DYNOFORM_STATE'), `${f} ${id}`).toBe(true);
              }
              checked += 1;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });
});
