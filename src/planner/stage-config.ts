import { CONFIG_STAGES, type DesiredPipeline } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { InventoryPipeline } from '../model/inventory.js';
import type { LivePipeline, LivePipelines } from '../model/live.js';
import type { Change } from '../model/plan.js';
import { formatPipelineAddress } from '../util/address.js';
import { planConfigVars } from './config.js';
import { locOf, makeChange, plural, type FingerprintFn } from './context.js';

export interface StageConfigScope {
  pipeline: DesiredPipeline;
  /** The live pipeline; undefined when this apply creates it. */
  found?: LivePipeline;
  /** The state entry, only when it describes the live pipeline. */
  inv?: InventoryPipeline;
  live: LivePipelines;
  fingerprint: FingerprintFn;
  diagnostics: Diagnostic[];
}

/**
 * A pipeline's stage config vars (review apps, CI): one change per stage,
 * planned by the same function as an app's config, so the literal/secret
 * rules, ownership, `config_mode`, hidden values and guards are the same.
 * A stage is planned when it is declared or state owns keys of it. No key is
 * reserved: add-ons do not attach to a pipeline stage.
 */
export function planStageConfig(s: StageConfigScope): Change[] {
  const d = s.pipeline;
  const scope = `pipeline.${d.key}`;
  const out: Change[] = [];
  for (const stage of CONFIG_STAGES) {
    const declared = d.config?.[stage];
    const owned = s.inv?.stageConfig?.[stage];
    if (declared === undefined && owned === undefined) continue;
    const address = formatPipelineAddress(d.key, { config: stage });
    const live = s.found ? s.live.stageConfig?.[s.found.id]?.[stage] : undefined;
    if (s.found && !live) throw new Error(`${address}: the live reader did not read this stage's config`);
    const where = d.fieldLocs?.[`config.${stage}`] ?? d.fieldLocs?.['config'] ?? d.loc;
    const planned = planConfigVars({
      address,
      declared: declared ?? {},
      // Exclusive mode covers the stages declared; a stage removed from the YAML loses only its owned keys.
      mode: declared !== undefined ? d.configMode : 'merge',
      ...(live ? { live } : {}),
      owned: owned ?? {},
      reserved: () => undefined,
      fingerprint: s.fingerprint,
      diagnostics: s.diagnostics,
      unmanaged: (names) => {
        if (names.length === 0) return;
        s.diagnostics.push({
          severity: 'info',
          code: 'config-unmanaged-keys',
          message: `${plural(names.length, 'config var')} of the ${stage} stage of pipeline ${d.name} ${names.length === 1 ? 'is' : 'are'} neither declared nor owned; merge mode leaves them alone: ${[...names].sort().join(', ')}`,
          address,
          ...locOf(where),
        });
      },
    });
    if (!planned) continue;
    const { patch, writes: _writes, ...spec } = planned;
    out.push(
      makeChange({
        ...spec,
        address,
        app: scope,
        kind: 'stage-config',
        op: { type: 'stage-config.patch', stage, ...(s.found ? { pipelineId: s.found.id } : {}), ...patch },
        ...(where ? { loc: where } : {}),
      }),
    );
  }
  return out;
}
