import type { DesiredPipeline, DesiredState } from '../model/desired.js';
import type { SourceLocation } from '../model/diagnostic.js';
import type { DriftItem } from '../model/drift.js';
import type { Inventory, InventoryPipeline } from '../model/inventory.js';
import type { LiveCoupling, LivePipeline, LiveState } from '../model/live.js';
import { formatPipelineAddress } from '../util/address.js';

type Item = Omit<DriftItem, 'address' | 'app' | 'kind'>;

/**
 * Pure: drift of the declared and owned pipelines and their couplings.
 * Nothing when the live reader did not read pipelines (nothing declared
 * or owned).
 */
export function classifyPipelines(desired: DesiredState, live: LiveState, inventory: Inventory): DriftItem[] {
  const lp = live.pipelines;
  if (!lp) return [];
  const out: DriftItem[] = [];
  const declared = desired.pipelines ?? {};
  const owned = inventory.pipelines ?? {};
  const appName = (id: string): string => Object.entries(live.appIds).find(([, v]) => v === id)?.[0] ?? id;
  const appIdOf = (key: string): string | undefined => {
    const invId = inventory.apps[key]?.id;
    if (invId !== undefined && Object.values(live.appIds).includes(invId)) return invId;
    const name = desired.apps[key]?.name;
    return name !== undefined ? live.appIds[name] : undefined;
  };

  for (const key of [...new Set([...Object.keys(declared), ...Object.keys(owned)])].sort()) {
    const d = declared[key];
    const inv = owned[key];
    const scope = `pipeline.${key}`;
    const pipelineItem = (n: Item): void => {
      out.push({ ...n, address: formatPipelineAddress(key), app: scope, kind: 'pipeline' });
    };
    const couplingItem = (app: string, n: Item): void => {
      out.push({ ...n, address: formatPipelineAddress(key, app), app: scope, kind: 'coupling', key: app });
    };
    const loc = (l: SourceLocation | undefined): { loc?: SourceLocation } => (l ? { loc: l } : d?.loc ? { loc: d.loc } : {});
    const found: LivePipeline | undefined = inv ? lp.pipelines.find((p) => p.id === inv.id) : d ? lp.pipelines.find((p) => p.name === d.name) : undefined;

    if (!found) {
      if (inv) pipelineItem({ class: 'missing', message: `pipeline ${inv.name} was deleted outside dynoform`, ...loc(undefined), before: inv.name, after: null });
      else if (d) pipelineItem({ class: 'pending', message: `pipeline ${d.name} is declared but does not exist yet: apply will create it`, ...loc(undefined), before: null, after: d.name });
      continue;
    }
    if (inv && !d) {
      pipelineItem({
        class: 'pending',
        message: `pipeline ${found.name} was removed from the YAML and not applied: apply would delete it (refused unless protect: false was applied and --allow-destroy is given)`,
        before: found.name,
        after: null,
      });
      continue;
    }
    if (!d) continue;
    if (!inv) {
      pipelineItem({ class: 'pending', message: `pipeline ${found.name} exists but is not managed yet: apply will adopt it`, ...loc(undefined), before: null, after: found.name });
    } else {
      if (found.name !== inv.name) {
        pipelineItem({ class: 'changed-outside', field: 'name', message: `pipeline ${inv.name} was renamed outside dynoform`, ...loc(d.fieldLocs?.['name']), before: inv.name, after: found.name });
      }
      if (d.name !== inv.name) {
        pipelineItem({ class: 'pending', field: 'name', message: `pipeline name changed in the YAML and not applied`, ...loc(d.fieldLocs?.['name']), before: inv.name, after: d.name });
      }
    }
    couplings(d, inv, found, lp.couplings, appIdOf, appName, couplingItem);
  }
  return out;
}

function couplings(
  d: DesiredPipeline,
  inv: InventoryPipeline | undefined,
  found: LivePipeline,
  live: LiveCoupling[],
  appIdOf: (key: string) => string | undefined,
  appName: (id: string) => string,
  add: (app: string, n: Item) => void,
): void {
  const owned = inv?.couplings ?? {};
  const at = (app: string): { loc?: SourceLocation } => {
    const l = d.couplings[app]?.loc ?? d.fieldLocs?.['stages'] ?? d.loc;
    return l ? { loc: l } : {};
  };
  for (const app of [...new Set([...Object.keys(d.couplings), ...Object.keys(owned)])].sort()) {
    const dc = d.couplings[app];
    const oc = owned[app];
    const lc = oc ? live.find((c) => c.id === oc.id) : undefined;
    if (oc && !lc) {
      add(app, { class: 'missing', message: `${app} was removed from pipeline ${found.name} outside dynoform`, ...at(app), before: oc.stage, after: null });
      continue;
    }
    if (oc && lc) {
      if (lc.pipelineId !== found.id || lc.stage !== oc.stage) {
        add(app, { class: 'changed-outside', field: 'stage', message: `the stage of ${app} was changed outside dynoform`, ...at(app), before: oc.stage, after: lc.stage });
      }
      if (!dc) add(app, { class: 'pending', message: `${app} was removed from pipeline ${found.name} in the YAML and not applied`, ...at(app), before: oc.stage, after: null });
      else if (dc.stage !== oc.stage) add(app, { class: 'pending', field: 'stage', message: `the stage of ${app} changed in the YAML and not applied`, ...at(app), before: oc.stage, after: dc.stage });
      continue;
    }
    if (dc) {
      const id = appIdOf(app);
      const current = id !== undefined ? live.find((c) => c.appId === id) : undefined;
      const here = current && current.pipelineId === found.id;
      add(app, {
        class: 'pending',
        message: here ? `${app} is in pipeline ${found.name} but not managed yet: apply will adopt the coupling` : `${app} is declared in stage ${dc.stage} and not coupled yet`,
        ...at(app),
        before: here ? current.stage : null,
        after: dc.stage,
      });
    }
  }
  const known = new Set([...Object.values(owned).map((c) => c.id)]);
  const declaredIds = new Set(Object.keys(d.couplings).map(appIdOf).filter((x): x is string => x !== undefined));
  for (const c of live.filter((x) => x.pipelineId === found.id && !known.has(x.id) && !declaredIds.has(x.appId))) {
    const name = appName(c.appId);
    add(name, { class: 'unmanaged', message: `${name} is in pipeline ${found.name} (${c.stage}) but neither declared nor owned`, ...(d.fieldLocs?.['stages'] ? { loc: d.fieldLocs['stages'] } : d.loc ? { loc: d.loc } : {}), before: null, after: c.stage });
  }
}
