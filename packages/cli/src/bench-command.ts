import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, EXIT } from './exit-codes.js';
import { type Io, parseFlags } from './run-task.js';
import type { FlagSpec } from './tasks.js';

const FLAGS: Record<string, FlagSpec> = {
  'report-only': {
    type: 'boolean',
    description: 'only rebuild RESULTS.md and the charts from bench/results/*.json',
  },
  dir: {
    type: 'string',
    value: 'DIR',
    description: 'the bench/ folder (default: the repository checkout this CLI runs from)',
  },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/**
 * Help text of `ondevice bench`.
 *
 * @example
 * ```ts
 * process.stdout.write(`${BENCH_HELP}\n`);
 * ```
 */
export const BENCH_HELP = `ondevice bench — side-by-side benchmarks against the peers, on this machine

usage: ondevice bench [TASK...] [--report-only] [--dir DIR]
  TASK   run only bench/<TASK>.mjs (e.g. object-detection); default: every benchmark script

Runs each benchmark script in turn (bench/run-all.mjs), then bench/report.mjs writes bench/RESULTS.md
and one SVG chart per task in bench/charts/, and the summary table is printed.
Needs a repository checkout (the benchmarks and their peers are not part of the published CLI).

exit status: 0 ok, 1 a benchmark failed, 2 usage error, 3 no bench folder found`;

/**
 * The bench folder: --dir, else ./bench, else the checkout this CLI was built in.
 *
 * @example
 * ```ts
 * const dir = findBenchDir(); // './bench' in a checkout, else undefined
 * ```
 */
export function findBenchDir(dir?: string): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = dir ? [resolve(dir)] : [resolve('bench'), resolve(here, '../../../bench')];
  return candidates.find((c) => existsSync(join(c, 'run-all.mjs')));
}

function run(script: string, args: string[], cwd: string): Promise<number> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, stdio: 'inherit' });
    child.on('exit', (code, signal) => res(code ?? (signal ? 128 : 1)));
    child.on('error', () => res(1));
  });
}

/**
 * The summary table at the top of RESULTS.md (between the `<!-- summary -->` markers).
 *
 * @example
 * ```ts
 * console.log(summaryOf(await readFile('bench/RESULTS.md', 'utf8')));
 * ```
 */
export function summaryOf(markdown: string): string {
  const m = /<!-- summary -->([\s\S]*?)<!-- \/summary -->/.exec(markdown);
  return (m?.[1] ?? markdown).trim();
}

/**
 * `ondevice bench`: runs the benchmark scripts, rebuilds RESULTS.md and prints its summary table.
 *
 * @example
 * ```ts
 * process.exitCode = await runBenchCommand(['object-detection'], process);
 * ```
 */
export async function runBenchCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags('bench', args, FLAGS);
  if (values.help) {
    io.stdout.write(`${BENCH_HELP}\n`);
    return EXIT.OK;
  }
  const dir = findBenchDir(values.dir as string | undefined);
  if (!dir)
    throw new CliError(
      'no bench folder with run-all.mjs found: run from the repository root or pass --dir path/to/bench',
      EXIT.UNAVAILABLE,
    );
  let status = 0;
  if (!values['report-only'])
    status = await run(join(dir, 'run-all.mjs'), ['--no-report', ...positionals], dir);
  // run-all exits 2 (after one line on stderr) when a named benchmark does not exist.
  if (status === EXIT.USAGE) return EXIT.USAGE;
  const reportStatus = await run(join(dir, 'report.mjs'), [], dir);
  const results = join(dir, 'RESULTS.md');
  if (existsSync(results))
    io.stdout.write(`\n${summaryOf(readFileSync(results, 'utf8'))}\n\nFull report: ${results}\n`);
  return status || reportStatus ? EXIT.SOME_INPUTS_FAILED : EXIT.OK;
}
