import { spawn } from 'node:child_process';
import { basename, join, resolve } from 'node:path';
import { findBenchDir } from '../bench-command.js';
import { CliError, EXIT, UsageError } from '../exit-codes.js';
import { type Io, parseFlags } from '../run-task.js';
import type { FlagSpec } from '../tasks.js';

const FLAGS: Record<string, FlagSpec> = {
  quantize: {
    type: 'string',
    value: 'DTYPE',
    description: 'uint8 | uint16 | float16: weight storage (dequantised to float32 at load)',
  },
  prune: {
    type: 'string',
    value: 'S',
    description: 'magnitude-prune each conv/dense kernel to this sparsity (0–0.99)',
  },
  'keep-depthwise': {
    type: 'boolean',
    description: 'leave depthwise kernels unquantised (per-tensor uint8 ruins them in MobileNets)',
  },
  out: { type: 'string', short: 'o', value: 'DIR', description: 'output folder (required)' },
  eval: {
    type: 'string',
    value: 'TASK',
    description: 'detect: also evaluate original vs optimised on the detection set (repository checkout)',
  },
  json: { type: 'boolean', description: 'print the report as JSON' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const OPTIMIZE_HELP = `ondevice optimize — quantise and/or prune a TFJS graph model, with a size report

usage: ondevice optimize <model.json> [--quantize uint8|uint16|float16] [--prune 0.5] -o <dir> [--eval detect]
  --quantize DTYPE    weight storage written in the weights manifest; tfjs dequantises at load
  --prune S           zero the smallest S of each conv/dense kernel (not biases, BN, tiny tensors)
  --keep-depthwise    keep depthwise kernels in their storage type
  -o, --out DIR       where model.json and one .bin are written
  --eval detect       then compare original vs optimised on the object-detection set (CenterNet graphs)
  --json              the report as JSON

exit status: 0 ok, 1 failed, 2 usage error, 3 --eval needs a repository checkout`;

const DTYPES = ['uint8', 'uint16', 'float16'] as const;

/**
 * `ondevice optimize`: calls @ondevice/optimize's optimizeGraphModelFiles and prints its report.
 *
 * @example
 * ```ts
 * process.exitCode = await runOptimizeCommand(['model.json', '--quantize', 'uint8', '-o', 'out'], process);
 * ```
 */
export async function runOptimizeCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags('optimize', args, FLAGS);
  if (values.help) {
    io.stdout.write(`${OPTIMIZE_HELP}\n`);
    return EXIT.OK;
  }
  const [input, ...extra] = positionals;
  if (!input || extra.length)
    throw new UsageError('give exactly one model.json (see ondevice optimize --help)');
  const out = values.out as string | undefined;
  if (!out) throw new UsageError('-o/--out DIR is required (see ondevice optimize --help)');
  const quantize = values.quantize as string | undefined;
  if (quantize !== undefined && !(DTYPES as readonly string[]).includes(quantize))
    throw new UsageError(`--quantize must be one of ${DTYPES.join(', ')}, got "${quantize}"`);
  const prune = values.prune === undefined ? undefined : Number(values.prune);
  if (prune !== undefined && !(prune >= 0 && prune <= 0.99))
    throw new UsageError(`--prune must be a number in [0, 0.99], got "${String(values.prune)}"`);
  if (values.eval !== undefined && values.eval !== 'detect')
    throw new UsageError(`--eval supports "detect", got "${String(values.eval)}"`);
  if (quantize === undefined && prune === undefined)
    throw new UsageError('nothing to do: give --quantize and/or --prune (see ondevice optimize --help)');

  const { optimizeGraphModelFiles } = await import('@ondevice/optimize');
  const result = await optimizeGraphModelFiles(resolve(input), resolve(out), {
    ...(quantize ? { quantize: quantize as (typeof DTYPES)[number] } : {}),
    ...(prune !== undefined ? { prune } : {}),
    ...(values['keep-depthwise'] ? { quantizeDepthwise: false } : {}),
  });
  const r = result.report;
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ files: result.files, ...r, weights: undefined })}\n`);
  } else {
    const mb = (n: number | undefined) => (n === undefined ? '?' : `${(n / 1e6).toFixed(2)} MB`);
    io.stdout.write(
      [
        `wrote ${result.files.join(', ')}`,
        `raw   ${mb(r.before.totalBytes)} → ${mb(r.after.totalBytes)} (×${r.ratio.raw.toFixed(3)})`,
        `gzip  ${mb(r.before.gzipBytes)} → ${mb(r.after.gzipBytes)} (×${r.ratio.gzip?.toFixed(3) ?? '?'})`,
        ...(r.pruning
          ? [
              `pruned ${r.pruning.tensors} kernels: sparsity ${(100 * r.pruning.sparsity).toFixed(1)}% (measured after)`,
            ]
          : []),
        '',
      ].join('\n'),
    );
  }
  if (values.eval !== 'detect') return EXIT.OK;
  const dir = findBenchDir();
  if (!dir)
    throw new CliError(
      '--eval needs a repository checkout with bench/optimize.mjs (run from its root)',
      EXIT.UNAVAILABLE,
    );
  const json = result.files.find((f) => f.endsWith('.json')) ?? join(resolve(out), basename(input));
  return new Promise((res) => {
    const child = spawn(process.execPath, [join(dir, 'optimize.mjs'), '--compare', json], {
      cwd: dir,
      stdio: 'inherit',
    });
    child.on('exit', (code, signal) => res(code ?? (signal ? 128 : 1)));
    child.on('error', () => res(1));
  });
}
