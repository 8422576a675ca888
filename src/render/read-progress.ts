/**
 * The words for a long live read: the estimate before it starts and the
 * progress while it runs (operations' read-estimate / read-progress events).
 * Pure: the CLI view decides when to print them.
 */
import type { ReadEstimateEvent, ReadProgressEvent } from '../model/live.js';

type ReadEstimate = Omit<ReadEstimateEvent, 'type' | 'reserve'>;
type ReadProgress = Omit<ReadProgressEvent, 'type'>;

const count = (n: number): string => n.toLocaleString('en-US');

/** "45 s", "12 min", "1 h 5 min": an estimate, not a stopwatch. */
export function formatEta(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  const rest = min % 60;
  return rest === 0 ? `${h} h` : `${h} h ${rest} min`;
}

/** "10.0 req/s" or "1.3 req/min": a refill rate as a pace the user can picture. */
export function formatRate(perHour: number): string {
  const perSecond = perHour / 3600;
  return perSecond >= 1 ? `${perSecond.toFixed(1)} req/s` : `${(perSecond * 60).toFixed(1)} req/min`;
}

/** Printed before the first read when the budget cannot hold the reads: the plan will wait, and for how long. */
export function renderReadEstimate(e: ReadEstimate): string {
  const budget = e.remaining === undefined ? 'the rate-limit budget is unknown' : `the rate-limit budget allows ${count(e.remaining)} now`;
  return (
    `Reading ${count(e.apps)} app${e.apps === 1 ? '' : 's'} needs about ${count(e.requests)} API requests; ${budget} ` +
    `(refilling ${count(Math.round(e.refillPerHour))}/hour), so this will take about ${formatEta(e.etaMs)}.`
  );
}

/** How far the reads are, by requests (an app completes only when its last read does). */
export function readFraction(p: ReadProgress): number {
  return p.requestsTotal <= 0 ? 1 : Math.min(1, p.requests / p.requestsTotal);
}

/** One progress line: requests sent of those needed, apps complete, budget, pace when paced, ETA. */
export function renderReadProgress(p: ReadProgress, remainingEtaMs: number = p.etaMs): string {
  const done = p.appsRead >= p.appsTotal;
  const parts = [
    `Reading live state: ${count(p.requests)}/${count(done ? p.requests : p.requestsTotal)} requests (${done ? 100 : Math.floor(readFraction(p) * 100)}%)`,
    `${count(p.appsRead)}/${count(p.appsTotal)} apps`,
    ...(p.remaining !== undefined ? [`budget ${count(p.remaining)} left`] : []),
    ...(p.pacedPerHour !== undefined ? [`paced at ${formatRate(p.pacedPerHour)}`] : []),
    ...(done ? [] : [`about ${formatEta(remainingEtaMs)} left`]),
  ];
  return parts.join(', ');
}
