/**
 * The script of our Tesseract worker threads: tesseract.js 7's own Node worker script, with three
 * guards in front of it.
 *
 * 1. A job is settled at most once. tesseract.js's `initialize` rejects a job and then resolves
 *    it too when Tesseract cannot load the language data; its parent-side handler then throws a
 *    `TypeError` inside the worker's `message` event, which nobody can catch: it took the whole
 *    process down.
 * 2. An uncaught exception or rejection inside the thread rejects the job being run instead of
 *    surfacing as an `error` event on the `Worker`, which tesseract.js does not listen to (it sets
 *    `onerror`, which Node's `Worker` never calls), so it would also have crashed the process.
 * 3. A worker whose start-up failed (`load`, `loadLanguage`, `initialize`) ends its own thread:
 *    tesseract.js never hands such a worker back, so nobody else could stop it.
 *
 * It is loaded from a `data:` URL (tesseract.js passes `workerPath` to `new Worker` as is), so it
 * works from the sources and from the build alike, and writes nothing anywhere.
 */
const START_ACTIONS = ['load', 'loadLanguage', 'initialize'];

function workerSource(tesseractScript: string): string {
  const script = JSON.stringify(tesseractScript);
  return `
import { parentPort } from 'node:worker_threads';
import { createRequire } from 'node:module';
const post = parentPort.postMessage.bind(parentPort);
const settled = [];
let current;
parentPort.postMessage = (m) => {
  if (m && (m.status === 'resolve' || m.status === 'reject')) {
    const key = m.action + '-' + m.jobId;
    if (settled.includes(key)) return;
    settled.push(key);
    if (settled.length > 64) settled.shift();
    if (m.status === 'reject' && ${JSON.stringify(START_ACTIONS)}.includes(m.action)) {
      post(m);
      setTimeout(() => process.exit(1), 20);
      return;
    }
  }
  post(m);
};
parentPort.on('message', (packet) => { current = packet; });
const fail = (e) => {
  if (!current) return;
  parentPort.postMessage({
    jobId: current.jobId,
    workerId: current.workerId,
    action: current.action,
    status: 'reject',
    data: 'Tesseract worker error: ' + String((e && e.message) || e),
  });
};
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
createRequire(${script})(${script});
`;
}

let url: Promise<URL> | undefined;

/**
 * The `workerPath` to give tesseract.js: a `data:` URL of the guarded worker script (Node).
 *
 * @example
 * ```ts
 * const worker = await createWorker('eng', 1, { workerPath: await guardedWorkerUrl() });
 * ```
 */
export function guardedWorkerUrl(): Promise<URL> {
  url ??= (async () => {
    const { createRequire } = await import('node:module');
    const script = createRequire(import.meta.url).resolve('tesseract.js/src/worker-script/node/index.js');
    return new URL(`data:text/javascript,${encodeURIComponent(workerSource(script))}`);
  })();
  return url;
}
