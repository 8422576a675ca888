import type { EnvVarNeeded } from '../import/build.js';
import type { TerraformReportEntry } from '../import/terraform/map.js';
import type { Diagnostic } from '../model/diagnostic.js';

/**
 * Pure: the report of `dynoform import --from-terraform`: each Terraform
 * address and what it became, what was not mapped and why, the variables to
 * set, and what to do next. It names keys, addresses and masked URLs only:
 * nothing in it comes from a value of the state.
 */

export interface TerraformReportView {
  /** The state file read, as shown to the user. */
  source: string;
  format: 'tfstate' | 'show-json';
  terraformVersion?: string;
  report: TerraformReportEntry[];
  diagnostics: Diagnostic[];
  env: EnvVarNeeded[];
  /** Where the YAML went: a file, or "standard output". */
  yamlTo: string;
  /** The file `dynoform plan -f` should be given. */
  planFile: string;
  /** Where ownership was recorded; undefined for a dry run. */
  state?: string;
  dryRun: boolean;
}

export function renderTerraformReport(v: TerraformReportView): string {
  const out: string[] = [];
  const what = v.format === 'tfstate' ? 'state format version 4' : '`terraform show -json`';
  out.push(`Terraform state ${v.source} (${what}${v.terraformVersion ? `, Terraform ${v.terraformVersion}` : ''}): ${v.report.length} resource instance${v.report.length === 1 ? '' : 's'}.`);

  const mapped = v.report.filter((e) => e.status === 'mapped' || e.status === 'no-yaml');
  const unmapped = v.report.filter((e) => e.status === 'not-mapped' || e.status === 'later');
  const width = Math.min(56, Math.max(0, ...v.report.map((e) => e.address.length)));
  if (mapped.length > 0) {
    out.push('', `Mapped (${mapped.length}):`);
    for (const e of mapped) {
      const to = e.status === 'no-yaml' ? `(no YAML) ${e.reason ?? ''}` : summarise(e.yaml);
      out.push(`  ${e.address.padEnd(width)}  → ${to}`);
      if (e.status === 'mapped' && e.reason) out.push(`  ${''.padEnd(width)}    ${e.reason}`);
    }
  }
  if (unmapped.length > 0) {
    out.push('', `Not mapped (${unmapped.length}):`);
    for (const e of unmapped) out.push(`  ${e.address.padEnd(width)}  ${e.reason ?? ''}`);
    const later = unmapped.filter((e) => e.status === 'later').length;
    if (later > 0) out.push(`  (${later} of these ${later === 1 ? 'is a kind' : 'are kinds'} a later version of dynoform will map.)`);
  }
  const warnings = v.diagnostics.filter((d) => d.severity !== 'info');
  if (warnings.length > 0) {
    out.push('', 'Warnings:');
    for (const d of warnings) out.push(`  ${d.message}`);
  }
  if (v.env.length > 0) {
    out.push('', `Set these environment variables (to the apps' current values) before running plan or apply:`);
    const w = Math.max(...v.env.map((e) => e.name.length));
    for (const e of v.env) out.push(`  ${e.name.padEnd(w)}  ${e.uses.join(', ')} (${e.why})`);
    out.push(`  For example: heroku config:get KEY -a APP, or heroku drains -a APP --json for drain URLs.`);
  }

  out.push('');
  if (v.dryRun) {
    out.push(`Dry run: the YAML went to ${v.yamlTo}; dynoform's state was not touched.`);
  } else {
    out.push(`YAML written to ${v.yamlTo}; ownership recorded in ${v.state ?? '(state)'}.`);
  }
  const handOver = mapped.map((e) => e.address);
  out.push('', 'Next:');
  let n = 1;
  if (v.dryRun) out.push(`  ${n++}. Run it again without --dry-run to write the YAML and take ownership in dynoform's state.`);
  out.push(`  ${n++}. ${v.env.length > 0 ? 'Set the variables above (in CI: as secrets), then run' : 'Run'}: dynoform plan -f ${v.planFile} — it should say "No changes".`);
  if (handOver.length > 0) {
    out.push(
      `  ${n++}. Hand these resources over from Terraform, which would otherwise keep changing them: delete their blocks from the .tf files and`,
      `     remove them from Terraform's state (this deletes nothing on Heroku; a resource left in the .tf files would be created again):`,
      `       terraform state rm ${handOver.map(shellQuote).join(' ')}`,
      `     (Terraform 1.7+: a \`removed { from = ADDRESS  lifecycle { destroy = false } }\` block per resource does the same through a reviewed plan.)`,
      `     Or keep Terraform read-only for a while: stop running terraform apply on these resources (terraform plan still shows drift), and remove them once dynoform runs.`,
    );
  }
  if (unmapped.length > 0) {
    out.push(`  ${n++}. The resources not mapped stay in Terraform: keep managing them there until dynoform maps their kinds.`);
    const referring = unmapped.filter((e) => e.refersTo && e.refersTo.length > 0);
    for (const e of referring) {
      out.push(`     ${e.address} refers to ${e.refersTo!.join(', ')}: before removing ${e.refersTo!.length === 1 ? 'it' : 'them'}, replace the reference in the .tf files by the id (or a data source).`);
    }
  }
  return out.join('\n') + '\n';
}

/** `apps.a.config.X, apps.a.config.Y` → `apps.a.config.{X, Y}`: one line per resource even for many config vars. */
function summarise(paths: readonly string[]): string {
  if (paths.length === 0) return '(nothing left to declare)';
  const groups = new Map<string, string[]>();
  const order: string[] = [];
  for (const p of paths) {
    const m = /^(apps\.[^.]+\.config)\.(.+)$/.exec(p);
    const head = m ? m[1]! : p;
    if (!groups.has(head)) {
      groups.set(head, []);
      order.push(head);
    }
    if (m) groups.get(head)!.push(m[2]!);
  }
  return order.map((h) => (groups.get(h)!.length > 0 ? `${h}.{${groups.get(h)!.join(', ')}}` : h)).join(', ');
}

function shellQuote(address: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(address) ? address : `'${address.replace(/'/g, `'\\''`)}'`;
}
