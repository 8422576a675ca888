import { readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { TerraformStateError } from './state.js';

/**
 * Finds the state file behind PATH the way Terraform itself would for
 * `terraform show -json` — without running Terraform: a file is read as
 * given; a working directory gives the state of its selected workspace on
 * the local backend (`terraform.tfstate`, or `terraform.tfstate.d/NAME/`,
 * or the backend's configured `path`). A remote backend cannot be read
 * offline: the error says which command makes a file of it.
 */

/** States larger than this are refused before reading (a real one is a few MB at most). */
const MAX_STATE_BYTES = 64 * 1024 * 1024;

const DEFAULT_WORKSPACE = 'default';

export interface LocatedState {
  /** Absolute path of the file read. */
  path: string;
  /** As shown to users (relative to cwd when inside it). */
  shown: string;
  text: string;
}

export async function readTerraformSource(path: string, cwd: string): Promise<LocatedState> {
  const st = await statOrNull(path);
  if (!st) throw new TerraformStateError(`${show(path, cwd)}: no such file or directory`);
  const file = st.isDirectory() ? await stateOfWorkingDir(path, cwd) : path;
  const fst = file === path ? st : await statOrNull(file);
  if (!fst || !fst.isFile()) throw new TerraformStateError(`${show(file, cwd)}: not a regular file`);
  if (fst.size > MAX_STATE_BYTES) throw new TerraformStateError(`${show(file, cwd)}: ${fst.size} bytes is larger than a Terraform state can reasonably be (limit ${MAX_STATE_BYTES})`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TerraformStateError(`${show(file, cwd)}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return { path: file, shown: show(file, cwd), text };
}

async function stateOfWorkingDir(dir: string, cwd: string): Promise<string> {
  const workspace = (await readText(join(dir, '.terraform', 'environment')))?.trim() || DEFAULT_WORKSPACE;
  const backend = await readBackend(dir, cwd);
  if (backend && backend.type !== 'local') {
    throw new TerraformStateError(
      `${show(dir, cwd)}: the state is kept in a "${backend.type}" backend, which dynoform cannot read offline: ` +
        `in that folder run \`terraform show -json > show.json\` (or \`terraform state pull > terraform.tfstate\`) and pass that file`,
    );
  }
  const configured = backend?.path;
  const candidates =
    workspace === DEFAULT_WORKSPACE
      ? [configured ? join(dir, configured) : join(dir, 'terraform.tfstate')]
      : [join(dir, backend?.workspaceDir ?? 'terraform.tfstate.d', workspace, configured ? basename(configured) : 'terraform.tfstate')];
  for (const c of candidates) {
    const st = await statOrNull(c);
    if (st?.isFile()) return c;
  }
  throw new TerraformStateError(
    `${show(dir, cwd)}: no Terraform state found (looked for ${candidates.map((c) => show(c, cwd)).join(', ')}${workspace !== DEFAULT_WORKSPACE ? `, workspace "${workspace}"` : ''}): ` +
      'pass a terraform.tfstate, or the output of `terraform show -json`',
  );
}


interface Backend {
  type: string;
  path?: string;
  workspaceDir?: string;
}

/** `.terraform/terraform.tfstate` records the initialised backend (not resources): `{"backend": {"type": "s3", "config": {…}}}`. */
async function readBackend(dir: string, cwd: string): Promise<Backend | undefined> {
  const file = join(dir, '.terraform', 'terraform.tfstate');
  const text = await readText(file);
  if (text === undefined) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new TerraformStateError(`${show(file, cwd)}: not JSON: run \`terraform init\` again, or pass the state file itself`);
  }
  const backend = (doc as { backend?: unknown } | null)?.backend;
  if (typeof backend !== 'object' || backend === null) return undefined;
  const b = backend as { type?: unknown; config?: Record<string, unknown> | null };
  if (typeof b.type !== 'string') return undefined;
  const path = b.config?.['path'];
  const workspaceDir = b.config?.['workspace_dir'];
  return { type: b.type, ...(typeof path === 'string' && path ? { path } : {}), ...(typeof workspaceDir === 'string' && workspaceDir ? { workspaceDir } : {}) };
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function statOrNull(p: string) {
  try {
    return await stat(p);
  } catch {
    return null;
  }
}

function basename(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

function show(p: string, cwd: string): string {
  const r = relative(cwd, p);
  return r && !r.startsWith('..') ? r : p;
}
