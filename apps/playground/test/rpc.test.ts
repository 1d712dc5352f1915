// The page <-> worker channel (src/worker/rpc.ts) over a real MessageChannel: results, progress
// events, transfer, errors with their fields, and cancellation by AbortSignal.
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { type HandlerContext, serve, TaskWorker, WorkerTaskError } from '../src/worker/rpc.js';

class CoverageError extends Error {
  override name = 'CoverageError';
  constructor(
    message: string,
    readonly coverage: number,
    readonly unknown: string[],
  ) {
    super(message);
  }
}

function connect() {
  const { port1, port2 } = new MessageChannel();
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
    wait(_: undefined, ctx: HandlerContext) {
      return new Promise((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => reject(new Error('stopped by the page')));
      });
    },
  };
  serve(handlers, port2 as unknown as Parameters<typeof serve>[1]);
  port1.start();
  port2.start();
  const worker = new TaskWorker<typeof handlers>(port1 as unknown as Worker);
  const close = () => {
    port1.close();
    port2.close();
  };
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

  it("rebuilds a handler's error with its name, message and own fields", async () => {
    const { worker, close } = connect();
    const error = await worker.call('refuse', undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerTaskError);
    const e = error as WorkerTaskError;
    expect(e.name).toBe('CoverageError');
    expect(e.message).toBe('knows 40% of these words');
    expect(e.field('coverage')).toBe(0.4);
    expect(e.field('unknown')).toEqual(['weather', 'nice']);
    close();
  });

  it('an AbortSignal aborts the handler and the call rejects', async () => {
    const { worker, close } = connect();
    const controller = new AbortController();
    const call = worker.call('wait', undefined, { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toThrow('stopped by the page');
    await expect(worker.call('add', { a: 1, b: 1 }, { signal: controller.signal })).rejects.toThrow();
    close();
  });

  it('an unknown method rejects, naming the ones there are', async () => {
    const { worker, close } = connect();
    await expect(
      (worker as unknown as TaskWorker<{ nope(): void }>).call('nope', undefined as never),
    ).rejects.toThrow(/no "nope"; it has add, count, sum, refuse, wait/);
    close();
  });
});
