import { Document, isMap, isPair, isScalar, isSeq, Scalar, type YAMLMap } from 'yaml';
import type { ImportPlan } from './build.js';
import { pipelinesSection } from './pipelines.js';
import { directorySections } from './members.js';

export interface ImportYamlOptions {
  includeValues: boolean;
  /** Path or URL of dynoform.schema.json for the `yaml-language-server` comment. */
  schemaRef: string;
  /** The command named in the header comment (default `dynoform import`). */
  writtenBy?: string;
}

/** Words YAML 1.1 tools read as booleans or null: always quoted, so no reader mistakes them. */
const AMBIGUOUS = /^(?:y|n|yes|no|on|off|true|false|null|~)$/i;

/** Pure: the YAML text of an import, one app after another, in the order given. */
export function renderImportYaml(plan: ImportPlan, opts: ImportYamlOptions): string {
  const apps: Record<string, unknown> = {};
  for (const app of plan.apps) {
    const body: Record<string, unknown> = {
      ...(app.team !== undefined ? { team: app.team, ...(app.locked !== undefined ? { locked: app.locked } : {}) } : {}),
      region: app.region,
      stack: app.stack,
    };
    if (app.maintenance !== undefined) body['maintenance'] = app.maintenance;
    if (app.config.length > 0) {
      body['config'] = Object.fromEntries(app.config.map((c) => [c.key, c.envName !== undefined ? `\${env:${c.envName}}` : escapeLiteral(c.value)]));
    }
    if (app.addons.length > 0) {
      body['addons'] = Object.fromEntries(
        app.addons.map((a) => [
          a.key,
          { plan: a.plan, as: a.as, ...(a.declareName ? { name: a.name } : {}), ...(a.config ? { config: mapValues(a.config, escapeLiteral) } : {}) },
        ]),
      );
    }
    if (app.formation.length > 0) body['formation'] = Object.fromEntries(app.formation.map((f) => [f.type, { quantity: f.quantity, size: f.size }]));
    if (app.domains.length > 0) body['domains'] = app.domains.map((d) => (d.sniEndpoint !== undefined ? { hostname: d.hostname, sni_endpoint: d.sniEndpoint } : d.hostname));
    if (app.drains.length > 0) body['drains'] = app.drains.map((d) => (d.envName !== undefined ? `\${env:${d.envName}}` : escapeLiteral(d.url)));
    if (app.acm) body['acm'] = true;
    if (app.certificates && app.certificates.length > 0) {
      body['certificates'] = Object.fromEntries(app.certificates.map((c) => [c.key, { certificate_chain: c.file, private_key: `\${env:${c.envName ?? 'PRIVATE_KEY'}}` }]));
    }
    if (app.buildpacks) body['buildpacks'] = [...app.buildpacks];
    const features = [...app.features.map((f) => [f, true] as const), ...(app.disabledFeatures ?? []).map((f) => [f, false] as const)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (features.length > 0) body['features'] = Object.fromEntries(features);
    const collaborators = app.collaborators ?? [];
    if (collaborators.length > 0) {
      // View is implied: a collaborator with view only is written as its e-mail alone.
      body['collaborators'] = collaborators.map((c) =>
        c.permissions && c.permissions.some((p) => p !== 'view') ? { email: c.email, permissions: c.permissions.filter((p) => p !== 'view') } : c.email,
      );
    }
    if (app.webhooks && app.webhooks.length > 0) {
      // The API never shows a webhook's secret or authorization: the user adds them (as ${env:…}) to manage them.
      body['webhooks'] = app.webhooks.map((w) => ({ url: w.url, include: [...w.include], ...(w.level !== 'notify' ? { level: w.level } : {}) }));
    }
    if (app.attachments && app.attachments.length > 0) body['attachments'] = Object.fromEntries(app.attachments.map((a) => [a.name, `${a.app}/${a.addon}`]));
    apps[app.key] = body;
  }
  const doc = new Document({
    version: 1,
    apps,
    ...(plan.pipelines && plan.pipelines.length > 0 ? { pipelines: pipelinesSection(plan.pipelines) } : {}),
    ...(plan.directory ? directorySections(plan.directory) : {}),
  });
  const by = opts.writtenBy ?? 'dynoform import';
  doc.commentBefore = ` yaml-language-server: $schema=${opts.schemaRef}\n Written by \`${by}\`${
    opts.includeValues
      ? ' with --include-values: config values are in plain text here, review before committing'
      : ': secret-looking values are ${env:…} references (set those variables before planning), the others literals'
  }.`;

  const appsNode = doc.get('apps', true);
  if (isMap(appsNode)) {
    appsNode.items.forEach((pair, i) => {
      if (i > 0 && isScalar(pair.key)) pair.key.spaceBefore = true;
      if (!isMap(pair.value)) return;
      const formation = pair.value.get('formation', true);
      if (isMap(formation)) for (const p of formation.items) if (isMap(p.value)) p.value.flow = true;
      const config = pair.value.get('config', true);
      if (isMap(config)) quoteAmbiguous(config);
    });
  }
  const pipelinesNode = doc.get('pipelines', true);
  if (isMap(pipelinesNode)) {
    pipelinesNode.spaceBefore = true;
    for (const pair of pipelinesNode.items) {
      const stages = isMap(pair.value) ? pair.value.get('stages', true) : undefined;
      if (isMap(stages)) for (const s of stages.items) if (isSeq(s.value)) s.value.flow = true;
      const config = isMap(pair.value) ? pair.value.get('config', true) : undefined;
      if (isMap(config)) for (const s of config.items) if (isMap(s.value)) quoteAmbiguous(s.value);
    }
  }
  for (const section of ['teams', 'account']) {
    const node = doc.get(section, true);
    if (isMap(node)) node.spaceBefore = true;
  }
  return doc.toString({ lineWidth: 0 });
}

function mapValues(m: Record<string, string>, f: (v: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, f(v)]));
}

function quoteAmbiguous(map: YAMLMap): void {
  for (const p of map.items) {
    if (isPair(p) && isScalar(p.value) && typeof p.value.value === 'string' && AMBIGUOUS.test(p.value.value)) {
      p.value.type = Scalar.QUOTE_DOUBLE;
    }
  }
}

/**
 * A live value that itself contains `${` must not be read back as an
 * environment reference: `$${` is the loader's escape for a literal `${`.
 */
export function escapeLiteral(value: string): string {
  return value.replace(/\$\{/g, () => '$${'); // a function: in a replacement string "$$" would mean one "$"
}
