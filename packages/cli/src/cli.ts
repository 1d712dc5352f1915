import { createRequire } from 'node:module';
import { NATIVE_MISSING, nativeRuntimeAvailable } from '@ondevice/core/onnx';
import { BENCH_HELP, runBenchCommand } from './bench-command.js';
import { CliError, EXIT, oneLine, UsageError } from './exit-codes.js';
import { KEYWORDS_HELP, runKeywordsCommand } from './keywords-command.js';
import { CONVERT_HELP, runConvertCommand } from './commands/convert.js';
import { OPTIMIZE_HELP, runOptimizeCommand } from './commands/optimize.js';
import { MODELS_HELP, runModelsCommand } from './models-command.js';
import { ASSETS_HELP, runAssetsCommand } from './commands/assets.js';
import { type Io, runTaskCommand, taskHelp } from './run-task.js';
import { findTask, TASKS } from './tasks.js';

const version = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

/**
 * Top-level help.
 *
 * @example
 * ```ts
 * console.log(mainHelp());
 * ```
 */
export function mainHelp(): string {
  return [
    `ondevice ${version} — on-device ML tasks from the command line (no server, no network at inference)`,
    '',
    'usage: ondevice <command> [options] <inputs...>',
    '',
    'tasks:',
    ...TASKS.map((t) => `  ${t.name.padEnd(10)} ${t.summary}`),
    '',
    'other commands:',
    '  models     list | pull | verify | remove the models (cache and npm packages)',
    '  assets     copy the runtime and model files of --tasks into a folder a browser app serves',
    '  bench      run the side-by-side benchmarks and rebuild bench/RESULTS.md',
    '  optimize   quantise/prune a TFJS graph model (model.json), with a size report',
    '  convert    convert a TFJS graph model (model.json) to ONNX: -o model.onnx',
    '  keywords   train "<phrase>": train a keyword head of your own from text (espeak-ng)',
    '  help CMD   help for a command (also: ondevice CMD --help)',
    '',
    'Inputs are files, folders (walked recursively) and globs; batches run on a worker pool',
    '(--workers N). Output is human-readable; --json prints one JSON object per input and line:',
    '{"input": NAME, "result": <the library result>} or {"input": NAME, "error": {"code", "message"}}.',
    '',
    'exit status: 0 ok, 1 some inputs failed (the others were processed), 2 usage error,',
    '             3 task or model not available on this device',
  ].join('\n');
}

/** Tasks that run on onnxruntime-node when it is installed (3-6x faster than WASM). */
const NATIVE_TASKS = new Set(['detect', 'faces', 'ocr', 'listen']);

function helpFor(command: string | undefined): string {
  if (!command) return mainHelp();
  if (command === 'models') return MODELS_HELP;
  if (command === 'assets') return ASSETS_HELP;
  if (command === 'bench') return BENCH_HELP;
  if (command === 'optimize') return OPTIMIZE_HELP;
  if (command === 'convert') return CONVERT_HELP;
  if (command === 'keywords') return KEYWORDS_HELP;
  const task = findTask(command);
  if (!task) throw new UsageError(`unknown command "${command}" (see ondevice --help)`);
  return taskHelp(task);
}

/**
 * Runs the `ondevice` command with its arguments and returns the exit status. Every failure that
 * ends the command is one line on stderr.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['detect', 'photo.jpg', '--json']);
 * ```
 */
export async function main(argv: readonly string[], io: Io = process): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command) {
      io.stderr.write(`${mainHelp()}\n`);
      return EXIT.USAGE;
    }
    if (command === '--help' || command === '-h') {
      io.stdout.write(`${mainHelp()}\n`);
      return EXIT.OK;
    }
    if (command === '--version' || command === '-V') {
      io.stdout.write(`${version}\n`);
      return EXIT.OK;
    }
    if (command === 'help') {
      io.stdout.write(`${helpFor(rest[0])}\n`);
      return EXIT.OK;
    }
    if (command === 'models') return await runModelsCommand(rest, io);
    if (command === 'assets') return await runAssetsCommand(rest, io);
    if (command === 'bench') return await runBenchCommand(rest, io);
    if (command === 'optimize') return await runOptimizeCommand(rest, io);
    if (command === 'convert') return await runConvertCommand(rest, io);
    if (command === 'keywords') return await runKeywordsCommand(rest, io);
    const task = findTask(command);
    if (!task)
      throw new UsageError(
        command.startsWith('-')
          ? `unknown option ${command} (see ondevice --help)`
          : `unknown command "${command}"; commands: ${[...TASKS.map((t) => t.name), 'models', 'assets', 'bench', 'keywords', 'optimize', 'convert'].join(', ')}`,
      );
    if (NATIVE_TASKS.has(task.name) && !rest.includes('--help') && !(await nativeRuntimeAvailable()))
      io.stderr.write(`ondevice: note: ${NATIVE_MISSING}\n`);
    return await runTaskCommand(task, rest, io);
  } catch (error) {
    const where =
      command &&
      (findTask(command) ||
        command === 'models' ||
        command === 'assets' ||
        command === 'bench' ||
        command === 'optimize' ||
        command === 'convert')
        ? `ondevice ${command}`
        : 'ondevice';
    io.stderr.write(`${where}: ${oneLine(error)}\n`);
    return error instanceof CliError ? error.exitCode : EXIT.SOME_INPUTS_FAILED;
  }
}
