// Runs every benchmark script in this folder (bench/<task>.mjs), one after the other so they never
// compete for the 2 cores, then rebuilds RESULTS.md and the charts (report.mjs).
//   node bench/run-all.mjs [TASK...] [--no-report]
// A script that fails is reported and the others still run; the exit status is 1 if any failed.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const NOT_BENCHMARKS = new Set(['run-all.mjs', 'report.mjs']);
const args = process.argv.slice(2);
const report = !args.includes('--no-report');
const wanted = args.filter((a) => !a.startsWith('--')).map((a) => a.replace(/\.mjs$/, ''));

const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && !NOT_BENCHMARKS.has(f) && !f.startsWith('_'))
  .sort();
const unknown = wanted.filter((w) => !scripts.includes(`${w}.mjs`));
if (unknown.length) {
  console.error(
    `run-all: no benchmark named ${unknown.join(', ')}; available: ${scripts.map((s) => s.replace(/\.mjs$/, '')).join(', ') || 'none yet'}`,
  );
  process.exit(2);
}
const chosen = wanted.length ? scripts.filter((s) => wanted.includes(s.replace(/\.mjs$/, ''))) : scripts;
if (!chosen.length) console.log('run-all: no benchmark scripts yet (bench/<task>.mjs)');

const outcomes = [];
for (const script of chosen) {
  console.log(`\n=== ${script} ===`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--expose-gc', join(here, script)], { cwd: here, stdio: 'inherit' });
  const seconds = (Date.now() - started) / 1000;
  const status = r.status ?? (r.signal ? `signal ${r.signal}` : 'error');
  outcomes.push({ script, status, seconds });
  console.log(`=== ${script}: ${status === 0 ? 'ok' : `FAILED (${status})`} in ${seconds.toFixed(0)} s ===`);
}

if (outcomes.length) {
  console.log('\nbenchmarks:');
  for (const o of outcomes)
    console.log(
      `  ${o.status === 0 ? 'ok    ' : 'FAILED'} ${o.script.padEnd(28)} ${o.seconds.toFixed(0).padStart(5)} s`,
    );
}
let reportStatus = 0;
if (report)
  reportStatus =
    spawnSync(process.execPath, [join(here, 'report.mjs')], { cwd: here, stdio: 'inherit' }).status ?? 1;
process.exit(outcomes.some((o) => o.status !== 0) || reportStatus ? 1 : 0);
