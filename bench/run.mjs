// Runs every benchmark in turn (npm run bench). Each prints its own figures
// and ratios; none fails on time. The soak suite is separate: npm run soak.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const benches = ['emulator.mjs', 'client.mjs', 'config.mjs', 'plan.mjs', 'apply.mjs'];
let failed = 0;
for (const b of benches) {
  console.log(`\n=== bench/${b}`);
  const r = spawnSync(process.execPath, [join(here, b), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed += 1;
    console.log(`bench/${b} exited with ${r.status ?? r.signal}`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
