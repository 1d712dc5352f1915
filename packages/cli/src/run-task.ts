import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { EXIT, oneLine, UsageError } from './exit-codes.js';
import { expandInputs, type InputItem } from './inputs.js';
import { type Outcome, runPool } from './pool.js';
import { createProgress } from './progress.js';
import { type FlagSpec, FlagValueError, type FlagValues, type TaskCommand } from './tasks.js';

/**
 * Flags every task command takes.
 *
 * @example
 * ```ts
 * const { values } = parseFlags('detect', argv, { ...COMMON_FLAGS, ...task.flags });
 * ```
 */
export const COMMON_FLAGS: Record<string, FlagSpec> = {
  json: {
    type: 'boolean',
    description: 'print one JSON object per input and line: {"input","result"} or {"input","error"}',
  },
  workers: {
    type: 'string',
    short: 'w',
    value: 'N',
    description: `worker threads for batches (default: available parallelism, ${availableParallelism()} here)`,
  },
  text: {
    type: 'string',
    multiple: true,
    value: 'TEXT',
    description: 'a text to process (text tasks; repeatable)',
  },
  'no-progress': {
    type: 'boolean',
    description: 'never draw the progress bar (it is drawn only on a terminal)',
  },
  backend: { type: 'string', value: 'NAME', description: 'tfjs backend: auto | wasm | cpu (default auto)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/** Output and input streams, replaceable in tests. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WriteStream;
}

/**
 * parseArgs with one-line messages for unknown options and missing values.
 *
 * @example
 * ```ts
 * const { values, positionals } = parseFlags('detect', ['--json', 'a.jpg'], COMMON_FLAGS);
 * ```
 */
export function parseFlags(
  command: string,
  args: readonly string[],
  flags: Record<string, FlagSpec>,
): { values: FlagValues; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, f] of Object.entries(flags))
    options[name] = {
      type: f.type,
      ...(f.short ? { short: f.short } : {}),
      ...(f.multiple ? { multiple: true } : {}),
    };
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values: values as FlagValues, positionals };
  } catch (error) {
    const e = error as { code?: string; message?: string };
    const m = /'(-[^']*)'/.exec(e.message ?? '')?.[1];
    const help = `(see ondevice ${command} --help)`;
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${m ?? ''} ${help}`);
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      throw new UsageError(`option ${m?.split(',')[0] ?? ''} needs a value ${help}`.replace('  ', ' '));
    throw new UsageError(`${oneLine(error)} ${help}`);
  }
}

/**
 * Help text of a task command.
 *
 * @example
 * ```ts
 * console.log(taskHelp(findTask('detect')!));
 * ```
 */
export function taskHelp(task: TaskCommand): string {
  const row = (name: string, f: FlagSpec) =>
    `  ${`${f.short ? `-${f.short}, ` : '    '}--${name}${f.type === 'string' ? ` ${f.value ?? 'VALUE'}` : ''}`.padEnd(30)} ${f.description}`;
  const inputs =
    task.input === 'text'
      ? '<inputs...>  text files, folders (*.txt, *.md), globs, or - (each stdin line is one text)'
      : `<inputs...>  ${task.input} files, folders (walked recursively), globs, or - (stdin)`;
  return [
    `ondevice ${task.name} — ${task.summary}`,
    '',
    `usage: ondevice ${task.name} [options] <inputs...>`,
    `  ${inputs}`,
    '',
    'task options:',
    ...Object.entries(task.flags).map(([n, f]) => row(n, f)),
    '',
    'common options:',
    ...Object.entries(COMMON_FLAGS)
      .filter(([n]) => n !== 'text' || task.input === 'text')
      .map(([n, f]) => row(n, f)),
    '',
    'exit status: 0 all inputs done, 1 some inputs failed, 2 usage error, 3 task or model unavailable',
    '',
    'examples:',
    ...task.examples.map((e) => `  ${e}`),
  ].join('\n');
}

/**
 * Runs a task command: parses flags, expands inputs, runs them on the worker pool, prints results
 * in input order (human-readable, or JSON lines with --json) and returns the exit status.
 *
 * @example
 * ```ts
 * process.exitCode = await runTaskCommand(findTask('detect')!, ['photo.jpg', '--json'], process);
 * ```
 */
export async function runTaskCommand(task: TaskCommand, args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(task.name, args, { ...task.flags, ...COMMON_FLAGS });
  if (values.help) {
    io.stdout.write(`${taskHelp(task)}\n`);
    return EXIT.OK;
  }
  if (values.text !== undefined && task.input !== 'text')
    throw new UsageError(`--text is for text tasks (langid, translate), not ${task.name}`);
  try {
    task.options(values);
  } catch (error) {
    if (error instanceof FlagValueError) throw new UsageError(error.message);
    throw error;
  }
  let workers = availableParallelism();
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1)
      throw new UsageError(`--workers expects a whole number ≥ 1, got "${String(values.workers)}"`);
  }
  const texts = (values.text as string[] | undefined) ?? [];
  if (!positionals.length && !texts.length)
    throw new UsageError(
      `no inputs: give ${task.input === 'text' ? 'text files, --text or -' : `${task.input} files, folders or globs`} (see ondevice ${task.name} --help)`,
    );

  const json = !!values.json;
  const { items: fileItems, problems } = await expandInputs(positionals, task.input);
  const items: InputItem[] = [...texts.map((text, i) => ({ name: `text:${i + 1}`, text })), ...fileItems];
  const fail = (name: string, message: string, code?: string) => {
    io.stderr.write(`ondevice ${task.name}: ${name}: ${message}\n`);
    if (json)
      io.stdout.write(`${JSON.stringify({ input: name, error: { code: code ?? 'ERR_INPUT', message } })}\n`);
  };
  let failures = 0;
  for (const p of problems) {
    failures++;
    fail(p.name, p.message);
  }
  if (!items.length) return EXIT.SOME_INPUTS_FAILED;

  const progress = createProgress(task.name, items.length, {
    enabled: !values['no-progress'] && items.length > 1,
  });
  const pending = new Map<number, Outcome>();
  let printed = 0;
  let completed = 0;
  const print = (item: InputItem, outcome: Outcome) => {
    if (!outcome.ok) {
      failures++;
      fail(item.name, outcome.error.message, outcome.error.code);
      return;
    }
    if (json) {
      io.stdout.write(`${JSON.stringify({ input: item.name, result: outcome.result })}\n`);
      return;
    }
    const r = task.format(outcome.result);
    io.stdout.write(`${item.name}: ${r.summary}\n${r.lines.map((l) => `  ${l}\n`).join('')}`);
  };
  // Inputs finish in any order on the pool; they are printed in the order given.
  const onOutcome = (index: number, outcome: Outcome) => {
    completed++;
    pending.set(index, outcome);
    progress.around(() => {
      while (pending.has(printed)) {
        const o = pending.get(printed) as Outcome;
        pending.delete(printed);
        print(items[printed] as InputItem, o);
        printed++;
      }
    });
    progress.update(completed);
  };
  try {
    await runPool(
      { command: task.name, values, backend: values.backend as string | undefined },
      items,
      Math.min(workers, items.length),
      onOutcome,
    );
  } finally {
    progress.finish();
  }
  return failures ? EXIT.SOME_INPUTS_FAILED : EXIT.OK;
}
