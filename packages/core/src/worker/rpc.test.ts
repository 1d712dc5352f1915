// The page <-> worker channel and the task stand-ins over a real MessageChannel: results, progress
// events, transfer, errors rebuilt as their own classes with their fields, callbacks and
// AbortSignals inside arguments, and a factory's stand-in with the instance's methods and readouts.
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { AbortedError, InputError, OnDeviceError, throwIfAborted } from '../errors.js';
import { remoteTasks, serveTasks } from './remote.js';
import { type HandlerContext, serve, TaskWorker, WorkerTaskError } from './rpc.js';

class CoverageError extends InputError {
  override name = 'CoverageError';
  constructor(
    message: string,
    readonly coverage: number,
    readonly unknown: string[],
  ) {
    super(message);
  }
}

class OtherError extends Error {
  override name = 'OtherError';
  readonly extra = 7;
}

function channel() {
  const { port1, port2 } = new MessageChannel();
  port1.start();
  port2.start();
  const close = () => {
    port1.close();
    port2.close();
  };
  return { page: port1 as unknown as Worker, worker: port2 as unknown as Parameters<typeof serve>[1], close };
}

let abortedInWorker = 0;

function connect() {
  const { page, worker: scope, close } = channel();
  const handlers = {
    async add(arg: { a: number; b: number }) {
      return arg.a + arg.b;
    },
    async count(n: number, ctx: HandlerContext) {
      for (let i = 1; i <= n; i++) ctx.progress(i);
      return n;
    },
    async sum(buffer: ArrayBuffer) {
      return new Uint8Array(buffer).reduce((s, v) => s + v, 0);
    },
    async refuse() {
      throw new CoverageError('knows 40% of these words', 0.4, ['weather', 'nice']);
    },
    async other() {
      throw new OtherError('not ours');
    },
    async callBack(arg: { onStep: (i: number) => void; n: number }) {
      for (let i = 0; i < arg.n; i++) arg.onStep(i);
      return arg.n;
    },
    wait(_: { signal?: AbortSignal } | undefined, ctx: HandlerContext) {
      return new Promise((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => {
          abortedInWorker++;
          reject(new AbortedError('Waiting'));
        });
      });
    },
  };
  serve(handlers, scope);
  const worker = new TaskWorker<typeof handlers>(page, { errors: [CoverageError] });
  return { worker, close };
}

describe('worker RPC', () => {
  it('returns results, streams progress and transfers buffers', async () => {
    const { worker, close } = connect();
    expect(await worker.call('add', { a: 2, b: 3 })).toBe(5);
    const seen: unknown[] = [];
    expect(await worker.call('count', 3, { onProgress: (e) => seen.push(e) })).toBe(3);
    expect(seen).toEqual([1, 2, 3]);
    const buffer = new Uint8Array([1, 2, 3, 4]).buffer;
    expect(await worker.call('sum', buffer, { transfer: [buffer] })).toBe(10);
    expect(buffer.byteLength).toBe(0); // moved, not copied
    expect(worker.busy).toBe(0);
    close();
  });

  it("rebuilds a handler's error as its own class, with its name, message and fields", async () => {
    const { worker, close } = connect();
    const error = await worker.call('refuse', undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoverageError);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toBeInstanceOf(OnDeviceError);
    const e = error as CoverageError;
    expect(e.name).toBe('CoverageError');
    expect(e.code).toBe('ERR_INPUT');
    expect(e.message).toBe('knows 40% of these words');
    expect(e.coverage).toBe(0.4);
    expect(e.unknown).toEqual(['weather', 'nice']);
    expect(e.stack).toContain('thrown in a task worker');
    // Matched by the name its errors carry, not the class's own (a minifier renames classes).
    const Minified = {
      e: class extends InputError {
        override name = 'CoverageError';
      },
    }.e;
    const { page, worker: scope, close: close2 } = channel();
    serve(
      {
        async refuse() {
          throw new CoverageError('again', 0.5, []);
        },
      },
      scope,
    );
    const other2 = new TaskWorker<{ refuse(): Promise<void> }>(page, { errors: [Minified] });
    expect(await other2.call('refuse', undefined).catch((x: unknown) => x)).toBeInstanceOf(Minified);
    close2();
    // A class the page was not told about: a WorkerTaskError with the same name and fields.
    const other = (await worker.call('other', undefined).catch((x: unknown) => x)) as WorkerTaskError;
    expect(other).toBeInstanceOf(WorkerTaskError);
    expect(other.name).toBe('OtherError');
    expect(other.field('extra')).toBe(7);
    close();
  });

  it('a function inside the argument is called back from the worker', async () => {
    const { worker, close } = connect();
    const steps: number[] = [];
    expect(await worker.call('callBack', { onStep: (i) => steps.push(i), n: 3 })).toBe(3);
    expect(steps).toEqual([0, 1, 2]);
    close();
  });

  it('an AbortSignal (in the options or the argument) aborts the handler with AbortedError', async () => {
    const { worker, close } = connect();
    const controller = new AbortController();
    const call = worker.call('wait', undefined, { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(AbortedError);
    const inArg = new AbortController();
    const call2 = worker.call('wait', { signal: inArg.signal });
    inArg.abort();
    await expect(call2).rejects.toBeInstanceOf(AbortedError);
    // The call rejected at once; the handler in the worker saw its signal abort too.
    await new Promise((r) => setTimeout(r, 50));
    expect(abortedInWorker).toBe(2);
    expect(worker.busy).toBe(0);
    await expect(worker.call('add', { a: 1, b: 1 }, { signal: controller.signal })).rejects.toThrow();
    close();
  });

  it('an unknown method rejects, naming the ones there are', async () => {
    const { worker, close } = connect();
    await expect(
      (worker as unknown as TaskWorker<{ nope(): void }>).call('nope', undefined as never),
    ).rejects.toThrow(/no "nope"; it has add, count, sum, refuse/);
    close();
  });
});

describe('tasks in a worker (serveTasks / remoteTasks)', () => {
  function tasks() {
    const { page, worker: scope, close } = channel();
    let made = 0;
    class Counter {
      runs = 0;
      readonly runtime = 'wasm';
      constructor(readonly onStep: ((n: number) => void) | undefined) {}
      get lastTimings() {
        return { runs: this.runs };
      }
      async count(text: string, options: { signal?: AbortSignal } = {}) {
        throwIfAborted(options.signal, 'Counting');
        this.runs++;
        this.onStep?.(this.runs);
        if (!text) throw new InputError('Give some text.');
        return text.length;
      }
      async dispose() {}
    }
    serveTasks(
      {
        async countWords(text: string) {
          return text.split(' ').length;
        },
        async createCounter(options: { onStep?: (n: number) => void } = {}) {
          made++;
          return new Counter(options.onStep);
        },
      },
      scope,
    );
    const remote = remoteTasks(() => page);
    return { remote, close, made: () => made };
  }

  it('runs one-shot functions and factories; the stand-in has the methods and readouts', async () => {
    const { remote, close, made } = tasks();
    expect(await remote.run('countWords', ['a b c'])).toBe(3);
    const steps: number[] = [];
    const counter = (await remote.create('createCounter', [{ onStep: (n: number) => steps.push(n) }])) as {
      count(t: string, o?: { signal?: AbortSignal }): Promise<number>;
      dispose(): Promise<void>;
      runtime: string;
      runs: number;
      lastTimings: { runs: number };
    };
    expect(made()).toBe(1);
    expect(counter.runtime).toBe('wasm');
    expect(await counter.count('hello')).toBe(5);
    expect(await counter.count('hi')).toBe(2);
    expect(counter.lastTimings).toEqual({ runs: 2 });
    expect(steps).toEqual([1, 2]); // the factory's callback lives as long as the task
    await expect(counter.count('')).rejects.toBeInstanceOf(InputError);
    const aborted = new AbortController();
    aborted.abort();
    await expect(counter.count('x', { signal: aborted.signal })).rejects.toThrow();
    await counter.dispose();
    await expect(counter.count('x')).rejects.toThrow(/not in this worker/);
    await expect(remote.run('nope', [])).rejects.toThrow(/has prefetchModel, countWords, createCounter/);
    close();
  });
});
