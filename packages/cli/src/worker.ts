// One worker of the pool: builds the task instance once, then runs the inputs it is sent, one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import type { InputItem } from './inputs.js';
import { createRunner, type RunnerSettings, serializeError } from './runner.js';

/** Messages from the main thread. */
export type ToWorker = { type: 'run'; id: number; item: InputItem } | { type: 'close' };
/** Messages to the main thread. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-error'; error: ReturnType<typeof serializeError> }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: ReturnType<typeof serializeError> };

const port = parentPort;
if (port) {
  const post = (m: FromWorker) => port.postMessage(m);
  try {
    const runner = await createRunner(workerData as RunnerSettings);
    port.on('message', async (m: ToWorker) => {
      if (m.type === 'close') {
        await runner.dispose().catch(() => undefined);
        port.close();
        return;
      }
      try {
        post({ type: 'result', id: m.id, result: await runner.run(m.item) });
      } catch (error) {
        post({ type: 'error', id: m.id, error: serializeError(error) });
      }
    });
    post({ type: 'ready' });
  } catch (error) {
    post({ type: 'init-error', error: serializeError(error) });
  }
}
