import { resolve } from 'node:path';
import { CliError, EXIT, oneLine, UsageError } from '../exit-codes.js';
import { type Io, parseFlags } from '../run-task.js';
import type { FlagSpec } from '../tasks.js';

const FLAGS: Record<string, FlagSpec> = {
  out: { type: 'string', short: 'o', value: 'FILE', description: 'the .onnx file to write (required)' },
  outputs: {
    type: 'string',
    value: 'NAMES',
    description: 'comma-separated graph nodes that become the outputs (the graph is cut there)',
  },
  'input-shape': {
    type: 'string',
    multiple: true,
    value: '[NAME=]DIMS',
    description: 'replace an input shape, NHWC, -1 dynamic, e.g. -1,512,512,3',
  },
  json: { type: 'boolean', description: 'print what was written as JSON' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const CONVERT_HELP = `ondevice convert — convert a TFJS graph model (model.json + weights) to ONNX

usage: ondevice convert <model.json> -o <model.onnx> [--outputs A,B] [--input-shape=[NAME=]DIMS] [--json]
  -o, --out FILE             the ONNX file to write (opset 13; the same input gives the same bytes)
  --outputs A,B              graph nodes to output, e.g. tower_0/keypoints,tower_0/wh for CenterNet;
                             default: the model's signature outputs, else every node nothing reads
  --input-shape=[NAME=]DIMS  NHWC input shape replacing the recorded one, -1 for dynamic (e.g. a batch):
                             --input-shape=-1,512,512,3 (the only input; write the "=", the value
                             starts with "-") or --input-shape=tower_0/images=-1,512,512,3; repeatable
  --json                     print inputs, outputs, op counts and the file as JSON

Inputs and outputs keep their TFJS names and NHWC shapes; inside, activations run NCHW.
Quantised weights (uint8/uint16/float16) are dequantised to float32.

exit status: 0 written, 1 the model.json or a weights file is missing or invalid, 2 usage error,
             3 the model uses an op the converter does not cover (the message names it)`;

function parseShape(text: string): number[] {
  const dims = text.split(/[,x]/).map((d) => Number(d.trim()));
  if (!dims.length || dims.some((d) => !Number.isInteger(d) || d < -1))
    throw new UsageError(
      `--input-shape: "${text}" is not a list of integers ≥ -1, e.g. --input-shape=-1,512,512,3`,
    );
  return dims;
}

/**
 * `ondevice convert`: calls @ondevice/optimize's convertGraphModelFileToOnnx and prints what it
 * wrote.
 *
 * @example
 * ```ts
 * process.exitCode = await runConvertCommand(['model.json', '-o', 'model.onnx'], process);
 * ```
 */
export async function runConvertCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags('convert', args, FLAGS);
  if (values.help) {
    io.stdout.write(`${CONVERT_HELP}\n`);
    return EXIT.OK;
  }
  const [input, ...extra] = positionals;
  if (!input || extra.length)
    throw new UsageError('give exactly one model.json (see ondevice convert --help)');
  const out = values.out as string | undefined;
  if (!out) throw new UsageError('-o/--out FILE is required (see ondevice convert --help)');
  const outputs =
    values.outputs === undefined
      ? undefined
      : String(values.outputs)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  if (outputs && !outputs.length) throw new UsageError('--outputs needs at least one node name');
  let inputShapes: Record<string, number[]> | undefined;
  let unnamedShape: number[] | undefined;
  for (const spec of (values['input-shape'] as string[] | undefined) ?? []) {
    const at = spec.lastIndexOf('=');
    if (at < 0) {
      if (unnamedShape)
        throw new UsageError('--input-shape without NAME= can be given once (for the only input)');
      unnamedShape = parseShape(spec);
    } else {
      inputShapes = { ...inputShapes, [spec.slice(0, at)]: parseShape(spec.slice(at + 1)) };
    }
  }

  const optimize = await import('@ondevice/optimize');
  const { convertGraphModelFileToOnnx, UnsupportedOpError } = optimize;
  if (unnamedShape) {
    // The only input's name, from the model.json itself.
    const names = await inputNames(resolve(input));
    if (names.length !== 1)
      throw new UsageError(
        `--input-shape without NAME= needs a model with one input; this one has ${names.length}: ${names.join(', ')}`,
      );
    inputShapes = { ...inputShapes, [names[0]!]: unnamedShape };
  }
  let result: Awaited<ReturnType<typeof convertGraphModelFileToOnnx>>;
  try {
    result = await convertGraphModelFileToOnnx(resolve(input), resolve(out), {
      ...(outputs ? { outputs } : {}),
      ...(inputShapes ? { inputShapes } : {}),
    });
  } catch (error) {
    if (error instanceof UnsupportedOpError) throw new CliError(oneLine(error), EXIT.UNAVAILABLE);
    const code = (error as { code?: unknown })?.code;
    if (code === 'ERR_OPTIONS') throw new UsageError(oneLine(error));
    throw new CliError(oneLine(error), EXIT.SOME_INPUTS_FAILED);
  }
  const shape = (s: number[]) => `[${s.join(', ')}]`;
  if (values.json) {
    io.stdout.write(
      `${JSON.stringify({ file: result.file, bytes: result.onnx.byteLength, inputs: result.inputs, outputs: result.outputs, ops: result.ops, onnxNodes: result.onnxNodes })}\n`,
    );
  } else {
    const tfNodes = Object.values(result.ops).reduce((a, b) => a + b, 0);
    io.stdout.write(
      [
        `wrote ${result.file} (${(result.onnx.byteLength / 1e6).toFixed(2)} MB, ${result.onnxNodes} ONNX nodes from ${tfNodes} TFJS nodes)`,
        ...result.inputs.map((i) => `input  ${i.name} ${shape(i.shape)} ${i.dtype}`),
        ...result.outputs.map((o) => `output ${o.name} ${shape(o.shape)} ${o.dtype}`),
        '',
      ].join('\n'),
    );
  }
  return EXIT.OK;
}

async function inputNames(modelJsonPath: string): Promise<string[]> {
  const { readFile } = await import('node:fs/promises');
  let json: { modelTopology?: { node?: { name: string; op: string }[] } };
  try {
    json = JSON.parse(await readFile(modelJsonPath, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read ${modelJsonPath}: ${oneLine(error)}`, EXIT.SOME_INPUTS_FAILED);
  }
  return (json.modelTopology?.node ?? []).filter((n) => n.op === 'Placeholder').map((n) => n.name);
}
