import { lineColOf } from '../../config/text.js';

/**
 * Pure: a Terraform state, from either of the two files people have — the
 * state itself (`terraform.tfstate`, format version 4) or `terraform show
 * -json` of it (JSON output format 1.x) — as one list of resource
 * instances. Everything in the file is untrusted: a shape we do not
 * recognise is an error naming the file and the place, never a guess.
 */

/** A path into an instance's attributes: attribute names and map keys (strings), list indexes (numbers). */
export type AttrPath = ReadonlyArray<string | number>;

export interface TfInstance {
  /** The Terraform address, as `terraform state list` prints it: `module.m.heroku_domain.www["a.example.com"]`. */
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  /** The provider's source address: `registry.terraform.io/heroku/heroku`. */
  provider: string;
  schemaVersion?: number;
  attributes: Record<string, unknown>;
  /** Paths Terraform marks sensitive; a path covers everything below it. */
  sensitive: AttrPath[];
  /** A deposed object (left by a failed create_before_destroy): not the resource's current object. */
  deposed?: string;
}

export interface TfState {
  format: 'tfstate' | 'show-json';
  terraformVersion?: string;
  instances: TfInstance[];
}

export class TerraformStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TerraformStateError';
  }
}

/** Reads either format; throws TerraformStateError (naming `file`) for anything else. */
export function parseTerraformState(text: string, file: string): TfState {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    const at = m ? lineColOf(text, Number(m[1])) : undefined;
    throw new TerraformStateError(`${file}${at ? `:${at.line}:${at.col}` : ''}: not JSON (${(err as Error).message.replace(/ in JSON at position \d+.*$/, '')}): expected a terraform.tfstate or the output of \`terraform show -json\``);
  }
  if (!isObject(doc)) throw new TerraformStateError(`${file}: not a Terraform state: expected a JSON object`);
  if ('format_version' in doc) return readShowJson(doc, file);
  if ('version' in doc) return readTfstate(doc, file);
  throw new TerraformStateError(`${file}: not a Terraform state: no "version" (terraform.tfstate) or "format_version" (terraform show -json)`);
}

// ------------------------------------------------------------ terraform.tfstate

function readTfstate(doc: Record<string, unknown>, file: string): TfState {
  const version = doc['version'];
  if (version !== 4) {
    throw new TerraformStateError(
      `${file}: state format version ${JSON.stringify(version)} is not supported: only version 4 (Terraform 0.12 and later). ` +
        'Upgrade the state with a current Terraform (`terraform apply -refresh-only`), or pass the output of `terraform show -json`',
    );
  }
  const resources = doc['resources'] ?? [];
  if (!Array.isArray(resources)) throw shapeError(file, 'resources', 'a list');
  const instances: TfInstance[] = [];
  resources.forEach((r, i) => {
    const where = `resources[${i}]`;
    if (!isObject(r)) throw shapeError(file, where, 'an object');
    const mode = r['mode'];
    const type = r['type'];
    const name = r['name'];
    if (mode !== 'managed' && mode !== 'data') throw shapeError(file, `${where}.mode`, '"managed" or "data"');
    if (typeof type !== 'string' || typeof name !== 'string') throw shapeError(file, `${where}.type/name`, 'strings');
    const module = r['module'];
    if (module !== undefined && typeof module !== 'string') throw shapeError(file, `${where}.module`, 'a string');
    const provider = providerSource(r['provider'], file, `${where}.provider`);
    const list = r['instances'] ?? [];
    if (!Array.isArray(list)) throw shapeError(file, `${where}.instances`, 'a list');
    list.forEach((inst, j) => {
      const iw = `${where}.instances[${j}]`;
      if (!isObject(inst)) throw shapeError(file, iw, 'an object');
      const attributes = inst['attributes'];
      if (!isObject(attributes)) {
        // attributes_flat is the pre-0.12 layout that version 4 only carries for never-upgraded resources.
        throw shapeError(file, `${iw}.attributes`, inst['attributes_flat'] !== undefined ? 'an object (this instance still has the 0.11 layout: run `terraform apply -refresh-only` first)' : 'an object');
      }
      const indexKey = inst['index_key'];
      if (indexKey !== undefined && typeof indexKey !== 'string' && typeof indexKey !== 'number') throw shapeError(file, `${iw}.index_key`, 'a string or number');
      const schemaVersion = inst['schema_version'];
      const deposed = inst['deposed'];
      instances.push({
        address: address(module, mode, type, name, indexKey),
        mode,
        type,
        name,
        provider,
        ...(typeof schemaVersion === 'number' ? { schemaVersion } : {}),
        attributes,
        sensitive: tfstateSensitivePaths(inst['sensitive_attributes'], file, `${iw}.sensitive_attributes`),
        ...(typeof deposed === 'string' ? { deposed } : {}),
      });
    });
  });
  const tv = doc['terraform_version'];
  return { format: 'tfstate', ...(typeof tv === 'string' ? { terraformVersion: tv } : {}), instances };
}

/** `provider["registry.terraform.io/heroku/heroku"]` (maybe with `.alias`, maybe after `module.x.`) → the source address. */
function providerSource(raw: unknown, file: string, where: string): string {
  if (typeof raw !== 'string') throw shapeError(file, where, 'a string');
  const m = /provider\["([^"]+)"\]/.exec(raw);
  if (m) return m[1]!;
  // The 0.12 spelling without a source address: `provider.heroku` means the default registry's hashicorp-era name.
  const legacy = /(?:^|\.)provider\.([a-z0-9_-]+)/.exec(raw);
  if (legacy) return `registry.terraform.io/-/${legacy[1]}`;
  throw shapeError(file, where, 'a provider address such as provider["registry.terraform.io/heroku/heroku"]');
}

/**
 * Version 4 lists sensitive paths as steps: `[{type: "get_attr", value:
 * "config_vars"}, {type: "index", value: {value: "KEY", type: "string"}}]`.
 * A step we cannot read ends the path there: the whole attribute above it
 * then counts as sensitive, which errs on the safe side.
 */
function tfstateSensitivePaths(raw: unknown, file: string, where: string): AttrPath[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw shapeError(file, where, 'a list');
  const out: AttrPath[] = [];
  for (const steps of raw) {
    if (!Array.isArray(steps)) continue;
    const path: Array<string | number> = [];
    for (const s of steps) {
      if (!isObject(s)) break;
      if (s['type'] === 'get_attr' && typeof s['value'] === 'string') path.push(s['value']);
      else if (s['type'] === 'index' && isObject(s['value']) && (typeof s['value']['value'] === 'string' || typeof s['value']['value'] === 'number')) path.push(s['value']['value']);
      else break;
    }
    out.push(path.length > 0 ? path : []);
  }
  return out;
}

// ------------------------------------------------------------ terraform show -json

function readShowJson(doc: Record<string, unknown>, file: string): TfState {
  const fv = doc['format_version'];
  if (typeof fv !== 'string' || !/^1\.\d+$/.test(fv)) {
    throw new TerraformStateError(`${file}: \`terraform show -json\` format version ${JSON.stringify(fv)} is not supported: only 1.x`);
  }
  if ('planned_values' in doc || 'resource_changes' in doc) {
    throw new TerraformStateError(`${file}: this is \`terraform show -json\` of a plan, not of a state: run \`terraform show -json\` without a plan file`);
  }
  const values = doc['values'];
  const instances: TfInstance[] = [];
  if (values !== undefined) {
    if (!isObject(values)) throw shapeError(file, 'values', 'an object');
    const root = values['root_module'];
    if (root !== undefined) walkModule(root, 'values.root_module', file, instances);
  }
  const tv = doc['terraform_version'];
  return { format: 'show-json', ...(typeof tv === 'string' ? { terraformVersion: tv } : {}), instances };
}

function walkModule(mod: unknown, where: string, file: string, out: TfInstance[]): void {
  if (!isObject(mod)) throw shapeError(file, where, 'an object');
  const resources = mod['resources'] ?? [];
  if (!Array.isArray(resources)) throw shapeError(file, `${where}.resources`, 'a list');
  resources.forEach((r, i) => {
    const rw = `${where}.resources[${i}]`;
    if (!isObject(r)) throw shapeError(file, rw, 'an object');
    const { address: addr, mode, type, name, provider_name: provider, values: attributes } = r;
    if (typeof addr !== 'string' || typeof type !== 'string' || typeof name !== 'string') throw shapeError(file, `${rw}.address/type/name`, 'strings');
    if (mode !== 'managed' && mode !== 'data') throw shapeError(file, `${rw}.mode`, '"managed" or "data"');
    if (typeof provider !== 'string') throw shapeError(file, `${rw}.provider_name`, 'a string');
    if (!isObject(attributes)) throw shapeError(file, `${rw}.values`, 'an object');
    const sv = r['schema_version'];
    const deposed = r['deposed_key'];
    out.push({
      address: addr,
      mode,
      type,
      name,
      provider,
      ...(typeof sv === 'number' ? { schemaVersion: sv } : {}),
      attributes,
      sensitive: showSensitivePaths(r['sensitive_values']),
      ...(typeof deposed === 'string' ? { deposed } : {}),
    });
  });
  const children = mod['child_modules'] ?? [];
  if (!Array.isArray(children)) throw shapeError(file, `${where}.child_modules`, 'a list');
  children.forEach((c, i) => walkModule(c, `${where}.child_modules[${i}]`, file, out));
}

/** `sensitive_values` mirrors the attributes with `true` where a value is sensitive. */
function showSensitivePaths(tree: unknown, prefix: Array<string | number> = []): AttrPath[] {
  if (tree === true) return [prefix];
  if (Array.isArray(tree)) return tree.flatMap((t, i) => showSensitivePaths(t, [...prefix, i]));
  if (isObject(tree)) return Object.entries(tree).flatMap(([k, v]) => showSensitivePaths(v, [...prefix, k]));
  return [];
}

// ------------------------------------------------------------ helpers

/** True when Terraform marks the value at `path` (or anything above it) sensitive. */
export function isSensitive(inst: Pick<TfInstance, 'sensitive'>, path: AttrPath): boolean {
  return inst.sensitive.some((p) => p.length <= path.length && p.every((s, i) => s === path[i]));
}

function address(module: string | undefined, mode: string, type: string, name: string, indexKey: unknown): string {
  const key = typeof indexKey === 'string' ? `[${JSON.stringify(indexKey)}]` : typeof indexKey === 'number' ? `[${indexKey}]` : '';
  return `${module ? `${module}.` : ''}${mode === 'data' ? 'data.' : ''}${type}.${name}${key}`;
}

function shapeError(file: string, where: string, expected: string): TerraformStateError {
  return new TerraformStateError(`${file}: ${where}: expected ${expected}: not a state Terraform wrote`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
