import { Worker } from 'node:worker_threads';
import { CliError, EXIT, UsageError } from './exit-codes.js';
import type { InputItem } from './inputs.js';
import { createRunner, type RunnerSettings, type SerializedError, serializeError } from './runner.js';
import type { FromWorker, ToWorker } from './worker.js';

/** What became of one input. */
export type Outcome = { ok: true; result: unknown } | { ok: false; error: SerializedError };

function startupError(e: SerializedError): CliError {
  if (e.exitCode === EXIT.USAGE || e.code === 'ERR_OPTIONS') return new UsageError(e.message);
  return new CliError(e.message, e.exitCode ?? EXIT.UNAVAILABLE);
}

/**
 * Runs every input through the task, in this thread (`size` 1) or on `size` worker threads that
 * each build the task once. `onOutcome` is called as inputs finish (in any order). Rejects with a
 * {@link CliError} only when the task cannot start; a failing input is an outcome, not a rejection.
 *
 * @example
 * ```ts
 * await runPool({ command: 'detect', values: {} }, items, 2, (i, o) => console.log(items[i].name, o));
 * ```
 */
export async function runPool(
  settings: RunnerSettings,
  items: readonly InputItem[],
  size: number,
  onOutcome: (index: number, outcome: Outcome) => void,
): Promise<void> {
  if (!items.length) return;
  if (size <= 1) {
    let runner: Awaited<ReturnType<typeof createRunner>>;
    try {
      runner = await createRunner(settings);
    } catch (error) {
      throw startupError(serializeError(error));
    }
    for (let i = 0; i < items.length; i++) {
      try {
        onOutcome(i, { ok: true, result: await runner.run(items[i] as InputItem) });
      } catch (error) {
        onOutcome(i, { ok: false, error: serializeError(error) });
      }
    }
    await runner.dispose().catch(() => undefined);
    return;
  }

  const workerUrl = new URL('./worker.js', import.meta.url);
  const workers = new Set<Worker>();
  let next = 0;
  let finished = 0;
  let crashes = 0;
  let ready = 0;

  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (error: CliError) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(error);
    };
    const done = () => {
      if (finished === items.length) {
        for (const w of workers) void w.terminate();
        resolve();
      }
    };
    const spawn = () => {
      const worker = new Worker(workerUrl, { workerData: settings });
      workers.add(worker);
      let current: number | undefined;
      const feed = () => {
        if (next >= items.length) {
          current = undefined;
          worker.postMessage({ type: 'close' } satisfies ToWorker);
          return;
        }
        current = next++;
        worker.postMessage({
          type: 'run',
          id: current,
          item: items[current] as InputItem,
        } satisfies ToWorker);
      };
      worker.on('message', (m: FromWorker) => {
        if (failed) return;
        if (m.type === 'ready') {
          ready++;
          feed();
        } else if (m.type === 'init-error') {
          fail(startupError(m.error));
        } else {
          finished++;
          onOutcome(
            m.id,
            m.type === 'result' ? { ok: true, result: m.result } : { ok: false, error: m.error },
          );
          feed();
          done();
        }
      });
      const lost = (why: string) => {
        workers.delete(worker);
        if (failed || finished === items.length) return;
        if (current !== undefined) {
          const id = current;
          current = undefined;
          finished++;
          onOutcome(id, { ok: false, error: { name: 'WorkerError', message: `worker stopped: ${why}` } });
          done();
        }
        if (ready === 0 && crashes++ >= 1) {
          fail(new CliError(`the task's workers could not start: ${why}`, EXIT.UNAVAILABLE));
          return;
        }
        if (next < items.length && workers.size < size) spawn();
      };
      worker.on('error', (error) => lost(String(error?.message ?? error)));
      worker.on('exit', (code) => {
        if (workers.has(worker)) lost(`exited with code ${code}`);
      });
    };
    for (let i = 0; i < Math.min(size, items.length); i++) spawn();
  });
}
