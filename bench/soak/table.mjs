// The soak's closing report: a table of figures and one PASS/FAIL line per
// property. Pure: result in, text out.

const n = (x) => (x === undefined || x === null ? 'n/a' : Number(x).toLocaleString('en-US'));

export function formatDuration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

const ratio = (used, min) => (min > 0 ? `${(used / min).toFixed(2)}×` : 'n/a');

/**
 * @param {object} r the result of runSoak
 * @returns {string}
 */
export function formatReport(r) {
  const o = r.options;
  const f = r.figures;
  const rows = [];
  const faults = f.faults;
  rows.push(['faults injected', `${n(faults.total)}  (500: ${n(faults['500'])}, 503: ${n(faults['503'])}, dropped before: ${n(faults['drop-before'])}, dropped after handling: ${n(faults['drop-after'])})`]);
  rows.push(['retries', `${n(f.retries.dynoform)} by dynoform (faults + 429s its requests met: each costs one retry or read-back), ${n(f.retries.harness)} by the other client`]);
  rows.push([
    '412s',
    `${n(f.status412.total)} answered: ${n(f.status412.outsideApply)} during the apply with outside edits, where dynoform reported ` +
      `${n(f.status412.conflictsReported)} conflicts for ${n(f.status412.expected)} edited apps; ${n(f.status412.total - f.status412.outsideApply)} elsewhere, with no other writer active`,
  ]);
  rows.push([
    '429s received',
    `${n(f.status429.total)}  (by dynoform: ${n(f.status429.dynoform)}; by the other client: ${n(f.status429.harness)}, ` +
      `of which a noisy neighbour emptying the bucket during the first apply: ${n(f.neighbour?.limited)} of its ${n(f.neighbour?.sent)} requests)`,
  ]);
  rows.push([
    'requests vs minimum',
    `applies: ${n(f.requests.applyUsed)} used / ${n(f.requests.applyMinimum)} planned = ${ratio(f.requests.applyUsed, f.requests.applyMinimum)}` +
      `; first converge: ${n(f.requests.convergeUsed)} / ${n(f.requests.convergeMinimum)} = ${ratio(f.requests.convergeUsed, f.requests.convergeMinimum)}`,
  ]);
  rows.push(['', `plan -o reads: ${n(f.requests.planReads)} over ${n(f.requests.plans)} plans (minimum 4N+5 = ${n(4 * o.apps + 5)} each, GET /account included = ${ratio(f.requests.planReads, f.requests.plans * (4 * o.apps + 5))})`]);
  rows.push(['', `all: ${n(f.requests.total)} API requests over ${n(f.runs)} dynoform runs`]);
  const pts = (f.kills.points ?? []).map((p) => p.requestsSeen).sort((a, b) => a - b);
  const spread = pts.length ? `, after ${pts[0]}–${pts[pts.length - 1]} requests (median ${pts[Math.floor(pts.length / 2)]})` : '';
  rows.push([
    'kills',
    `${n(f.kills.killed)} of ${n(f.kills.attempted)} applies killed with SIGKILL mid-run${spread}; ${n(f.kills.finishedFirst)} finished first; ` +
      `${n(f.kills.staleLocks)} stale locks cleared with \`dynoform state unlock\``,
  ]);
  rows.push(['convergence', `first converge in ${n(f.rounds.first)} apply rounds; worst re-run after a kill: ${n(f.rounds.worstAfterKill)} rounds`]);
  rows.push(['secret scan', `${n(f.scan.secrets)} secret values in ${n(f.scan.files)} files (${n(f.scan.bytes)} bytes): ${n(f.scan.hits)} hits`]);
  rows.push(['wall time', formatDuration(f.wallMs)]);

  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [];
  lines.push(
    `soak: ${o.apps} apps, fault rate ${o.faultRate}, latency ${o.latencyMin}–${o.latencyMax} ms, bucket ${o.bucket}, ` +
      `refill ${n(o.refillPerHour)}/h, ${o.kills} kills, seed ${o.seed}`,
  );
  lines.push('');
  for (const [k, v] of rows) lines.push(`  ${k.padEnd(width)}  ${v}`);
  lines.push('');
  for (const p of r.properties) lines.push(`${p.ok ? 'PASS' : 'FAIL'}  ${p.name}${p.detail ? ` — ${p.detail}` : ''}`);
  lines.push('');
  lines.push(r.ok ? 'soak: PASS' : `soak: FAIL (${r.properties.filter((p) => !p.ok).length} of ${r.properties.length} properties failed)`);
  return lines.join('\n');
}
