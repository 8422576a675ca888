import type { Plan } from '../../model/plan.js';
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from '../../render/index.js';
import { terminalWidth, type CliContext } from '../context.js';
import { useColor } from '../options.js';

export type PlanFormat = 'text' | 'json' | 'markdown';

/** A plan as `dynoform plan` (and `apply`, before it writes) shows it, per --format. */
export function renderPlanView(ctx: CliContext, plan: Plan, format: PlanFormat, colorFlag: boolean): string {
  if (format === 'json') return renderPlanJson(plan);
  if (format === 'markdown') return renderPlanMarkdown(plan);
  return renderPlanText(plan, { color: colorFlag && useColor(ctx, ctx.stdout), width: terminalWidth(ctx.stdout, 100) });
}
