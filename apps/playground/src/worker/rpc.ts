// A small typed request/response channel between a page and its task worker, so models run off
// the main thread and the page never freezes while they do. The worker side registers handlers
// (`serve`); the page side calls them by name (`TaskWorker.call`), passing big inputs by transfer
// (ImageBitmap, VideoFrame, ArrayBuffer), getting progress events and cancelling with an AbortSignal.

/** What a handler gets besides its argument. */
export interface HandlerContext {
  /** Aborts when the page's signal for this call aborts. */
  signal: AbortSignal;
  /** Sends a progress event to the page (delivered to the call's `onProgress`). */
  progress(event: unknown): void;
  /** Objects in the result to transfer rather than copy. */
  transfer(...objects: Transferable[]): void;
}

/** The handlers a worker serves, by name. */
// biome-ignore lint/suspicious/noExplicitAny: each handler declares its own argument type.
export type Handlers = Record<string, (arg: any, ctx: HandlerContext) => unknown>;

type Request = { kind: 'call'; id: number; method: string; arg: unknown } | { kind: 'abort'; id: number };

/** An error as it crosses to the page: name, message and the error's own plain fields (code, …). */
export interface SerializedError {
  name: string;
  message: string;
  fields: Record<string, unknown>;
}

type Reply =
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'error'; id: number; error: SerializedError }
  | { kind: 'progress'; id: number; event: unknown };

/** Plain copies of an error's own fields (e.g. `code`, `coverage`, `outOfVocabulary`). */
export function serializeError(err: unknown): SerializedError {
  const error = err instanceof Error ? err : new Error(String(err));
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(error)) {
    if (k === 'name' || k === 'message' || k === 'stack' || k === 'cause') continue;
    try {
      fields[k] = structuredClone(v);
    } catch {
      // Not cloneable (a function, a DOM object): left out.
    }
  }
  return { name: error.name, message: error.message, fields };
}

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
}

/**
 * Serves `handlers` from inside a worker. A handler's thrown error reaches the page with its
 * `name`, `message` and `code` (the @ondevice error classes' fields).
 *
 * @example
 * ```ts
 * serve({ async detect(bitmap: ImageBitmap, { signal }) { return detector.detect(bitmap, { signal }); } });
 * ```
 */
export function serve(handlers: Handlers, scope: WorkerScope = self as unknown as WorkerScope): void {
  const running = new Map<number, AbortController>();
  scope.addEventListener('message', async (e: MessageEvent<Request>) => {
    const msg = e.data;
    if (msg.kind === 'abort') {
      running.get(msg.id)?.abort();
      return;
    }
    const controller = new AbortController();
    running.set(msg.id, controller);
    const transfer: Transferable[] = [];
    const ctx: HandlerContext = {
      signal: controller.signal,
      progress: (event) => scope.postMessage({ kind: 'progress', id: msg.id, event } satisfies Reply),
      transfer: (...objects) => transfer.push(...objects),
    };
    try {
      const handler = handlers[msg.method];
      if (!handler)
        throw new Error(`This worker has no "${msg.method}"; it has ${Object.keys(handlers).join(', ')}.`);
      const value = await handler(msg.arg, ctx);
      scope.postMessage({ kind: 'result', id: msg.id, value } satisfies Reply, transfer);
    } catch (err) {
      scope.postMessage({ kind: 'error', id: msg.id, error: serializeError(err) } satisfies Reply);
    } finally {
      running.delete(msg.id);
    }
  });
}

/** Options of one {@link TaskWorker.call}. */
export interface CallOptions {
  /** Objects in the argument to transfer (the page loses them): ImageBitmap, VideoFrame, ArrayBuffer. */
  transfer?: Transferable[];
  /** Progress events the handler sends. */
  onProgress?: (event: unknown) => void;
  /** Aborts the call: the worker's handler sees its signal abort and the call rejects. */
  signal?: AbortSignal;
}

/**
 * An error a worker handler threw, rebuilt on the page with the same name, message and own fields
 * (`code`, and e.g. a VocabularyCoverageError's `coverage`), read with {@link WorkerTaskError.field}.
 *
 * @example
 * ```ts
 * if (e instanceof WorkerTaskError && e.name === 'VocabularyCoverageError') console.log(e.field('coverage'));
 * ```
 */
export class WorkerTaskError extends Error {
  readonly code: string | undefined;
  readonly fields: Readonly<Record<string, unknown>>;
  constructor(error: SerializedError) {
    super(error.message);
    this.name = error.name;
    this.fields = error.fields;
    this.code = typeof error.fields.code === 'string' ? error.fields.code : undefined;
  }
  /** One of the original error's fields. */
  field<T = unknown>(name: string): T | undefined {
    return this.fields[name] as T | undefined;
  }
}

type Arg<F> = F extends (arg: infer A, ctx: HandlerContext) => unknown ? A : never;
type Result<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;

/**
 * The page's side of a task worker: calls its handlers by name.
 *
 * @example
 * ```ts
 * const worker = new TaskWorker<VisionHandlers>(new Worker(new URL('./vision.worker.ts', import.meta.url), { type: 'module' }));
 * const objects = await worker.call('detectObjects', { image: bitmap }, { transfer: [bitmap] });
 * ```
 */
export class TaskWorker<H extends Handlers> {
  private next = 1;
  private readonly pending = new Map<
    number,
    { resolve(v: unknown): void; reject(e: unknown): void; onProgress?: ((e: unknown) => void) | undefined }
  >();

  constructor(readonly worker: Worker) {
    worker.addEventListener('message', (e: MessageEvent<Reply>) => {
      const msg = e.data;
      const call = this.pending.get(msg.id);
      if (!call) return;
      if (msg.kind === 'progress') call.onProgress?.(msg.event);
      else {
        this.pending.delete(msg.id);
        if (msg.kind === 'result') call.resolve(msg.value);
        else call.reject(new WorkerTaskError(msg.error));
      }
    });
    worker.addEventListener('error', (e) => {
      const error = new Error(`The task worker failed: ${e.message || 'it could not start'}.`);
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
    });
  }

  /** Calls the worker's `method` with `arg`; resolves to what it returns. */
  call<K extends keyof H & string>(
    method: K,
    arg: Arg<H[K]>,
    options: CallOptions = {},
  ): Promise<Result<H[K]>> {
    const id = this.next++;
    const { signal } = options;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      this.pending.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: options.onProgress,
      });
      signal?.addEventListener(
        'abort',
        () => this.worker.postMessage({ kind: 'abort', id } satisfies Request),
        {
          once: true,
        },
      );
      this.worker.postMessage({ kind: 'call', id, method, arg } satisfies Request, options.transfer ?? []);
    });
  }

  /** Calls still waiting for the worker. */
  get busy(): number {
    return this.pending.size;
  }

  /** Stops the worker; calls still waiting reject. */
  terminate(): void {
    this.worker.terminate();
    for (const call of this.pending.values()) call.reject(new Error('The task worker was stopped.'));
    this.pending.clear();
  }
}
