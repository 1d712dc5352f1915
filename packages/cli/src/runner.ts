import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { CliError, EXIT, oneLine, startupExitCode, UsageError } from './exit-codes.js';
import type { InputItem } from './inputs.js';
import { FlagValueError, type FlagValues, findTask, type TaskCommand } from './tasks.js';

/** A task instance that runs one input at a time. */
export interface Runner {
  run(item: InputItem): Promise<unknown>;
  dispose(): Promise<void>;
}

/** Settings that reach every runner (also through worker_threads' workerData). */
export interface RunnerSettings {
  command: string;
  values: FlagValues;
  backend?: string | undefined;
}

/** An error as it crosses a worker boundary. */
export interface SerializedError {
  name: string;
  code?: string;
  message: string;
  exitCode?: number;
}

/**
 * Plain-object form of an error.
 *
 * @example
 * ```ts
 * port.postMessage({ error: serializeError(error) });
 * ```
 */
export function serializeError(error: unknown): SerializedError {
  const e = error as { name?: string; code?: unknown; exitCode?: unknown };
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    message: oneLine(error),
    ...(typeof e?.exitCode === 'number' ? { exitCode: e.exitCode } : {}),
  };
}

const require = createRequire(import.meta.url);

/**
 * The folder of an installed workspace package, or undefined when it cannot be resolved.
 *
 * @example
 * ```ts
 * const visionDir = packageDir('@ondevice/vision');
 * ```
 */
export function packageDir(name: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/**
 * Builds the task instance a command drives: imports its package, lets the model store find the
 * weight packages that package depends on, and calls its factory with the options the flags give.
 * Fails with exit status 3 when the task is not in this build, 2 when the library rejects an
 * option or a file given as one (`OptionsError`, `InputError`), 3 when a model cannot be loaded.
 *
 * @example
 * ```ts
 * const runner = await createRunner({ command: 'detect', values: { threshold: '0.5' } });
 * console.log(await runner.run({ name: 'a.jpg', path: 'a.jpg' }));
 * ```
 */
export async function createRunner(settings: RunnerSettings): Promise<Runner> {
  const task = findTask(settings.command);
  if (!task) throw new UsageError(`unknown command "${settings.command}"`);
  const what = `${task.name} (${task.module} ${task.factory})`;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(task.module)) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(
      `${task.name} is not available yet: ${task.module} could not be loaded (${oneLine(error)})`,
      EXIT.UNAVAILABLE,
    );
  }
  const core = (await import('@ondevice/core')) as typeof import('@ondevice/core');
  const dir = packageDir(task.module);
  if (dir) core.addModelPackageRoot(dir);
  if (settings.backend) core.configure({ backend: settings.backend as 'auto' });
  let options: Record<string, unknown>;
  try {
    options = task.options(settings.values);
  } catch (error) {
    throw new UsageError(oneLine(error));
  }
  const callOptions = task.callOptions?.(settings.values);
  const unavailable = () =>
    new CliError(
      `${task.name} is not available yet: ${task.module} has no ${task.factory}() in this build`,
      EXIT.UNAVAILABLE,
    );
  const startError = (error: unknown) => {
    // One code per class of error (exit-codes.ts): a bad option value, or a file given as one
    // (a keyword head that is not valid JSON), is a usage error like an unreadable one.
    if (error instanceof FlagValueError || startupExitCode(error) === EXIT.USAGE)
      return new UsageError(oneLine(error));
    return new CliError(`could not start ${what}: ${oneLine(error)}`, EXIT.UNAVAILABLE);
  };
  if (task.create) {
    let custom: Awaited<ReturnType<NonNullable<TaskCommand['create']>>>;
    try {
      custom = await task.create(mod, options);
    } catch (error) {
      throw startError(error);
    }
    if (!custom) throw unavailable();
    const c = custom;
    return { run: (item) => c.run(item.text ?? item.bytes ?? item.path), dispose: () => c.dispose() };
  }
  const factory = mod[task.factory];
  if (typeof factory !== 'function') throw unavailable();
  let instance: Record<string, unknown>;
  try {
    instance = (await (factory as (o: unknown) => Promise<unknown>)(options)) as Record<string, unknown>;
  } catch (error) {
    throw startError(error);
  }
  const verb = task.verbs.find((v) => typeof instance[v] === 'function');
  if (!verb)
    throw new CliError(
      `${task.name} is not available yet: ${task.factory}() returned no ${task.verbs[0]}() method`,
      EXIT.UNAVAILABLE,
    );
  const fn = (instance[verb] as (input: unknown, o?: unknown) => Promise<unknown>).bind(instance);
  return {
    async run(item) {
      const input = item.text ?? item.bytes ?? item.path;
      return callOptions ? fn(input, callOptions) : fn(input);
    },
    async dispose() {
      const dispose = instance.dispose;
      if (typeof dispose === 'function') await (dispose as () => unknown).call(instance);
    },
  };
}
