// The soak suite at CI size (issue 9): the same harness as `npm run soak`,
// with 6 apps and 3 kills, every property asserted. Runs dynoform from
// dist/ (`npm test` builds first) as real child processes.
import { describe, expect, it } from 'vitest';
import { runSoak } from '../../../bench/soak/harness.mjs';

type Any = any; // the harness is plain JavaScript without type declarations

// The 200-token bucket. dynoform's children are told the account's
// profile (DYNOFORM_RATE_LIMIT_POOL / _REFILL_PER_HOUR) as a user of such an
// account would; a noisy neighbour also empties the bucket during the first
// apply, so the pacing and 429 paths are both exercised.
const CI = { apps: 6, kills: 3, faultRate: 0.1, latencyMin: 5, latencyMax: 50, bucket: 200, refillPerHour: 360_000, seed: 20261126 };

describe('soak (CI size)', () => {
  // A bound on the run, not an assertion: about 200 s at a load average of 20 on two cores,
  // a minute of it the every-format phase (issue 13).
  it('converges under faults, outside edits and kill -9 with nothing duplicated, overwritten or leaked', { timeout: 360_000 }, async () => {
    const result: Any = await runSoak(CI);
    const failed = result.properties.filter((p: Any) => !p.ok).map((p: Any) => `${p.name}: ${p.detail}`);
    expect(failed).toEqual([]);
    for (const p of result.properties) expect(p.ok, p.name).toBe(true);

    const f = result.figures;
    // The conditions really were hostile...
    expect(f.faults.total).toBeGreaterThan(0);
    expect(f.neighbour.limited).toBeGreaterThan(0);
    // A kill point drawn near the end of a short apply may come after it finished; most must land.
    expect(f.kills.killed).toBeGreaterThanOrEqual(CI.kills - 1);
    expect(f.kills.killed + f.kills.finishedFirst).toBe(CI.kills);
    // ...every outside edit met its 412 and nothing else did...
    expect(f.status412.conflictsReported).toBe(f.status412.expected);
    expect(f.status412.total).toBeGreaterThanOrEqual(f.status412.expected);
    // ...and the scan looked at real output.
    expect(f.scan.hits).toBe(0);
    // The scan covered the composed, hand-set and echoed values too (fleet.mjs, the formats phase).
    expect(result.properties.find((p: Any) => p.name.startsWith('secret scan')).ok).toBe(true);
    expect(f.scan.files).toBeGreaterThan(f.runs);
    expect(f.scan.secrets).toBeGreaterThan(CI.apps);
    expect(f.requests.applyMinimum).toBeGreaterThan(0);
  });
});
