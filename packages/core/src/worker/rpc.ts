// A small typed request/response channel between a page and a task worker, so models run off the
// main thread and the page never freezes while they do. The worker side registers handlers
// (`serve`); the page side calls them by name (`TaskWorker.call`), passing big inputs by transfer
// (ImageBitmap, VideoFrame, OffscreenCanvas, ArrayBuffer), getting progress events, cancelling with
// an AbortSignal and getting errors back as the same classes (OptionsError, InputError, …) with
// their fields. Functions and AbortSignals inside an argument cross too: a function becomes a
// callback the worker can call (progress, onScores), a signal aborts the handler's `ctx.signal`.
import * as coreErrors from '../errors.js';
import { AbortedError, OnDeviceError } from '../errors.js';
import type { DomType } from '../input/dom-types.js';

/**
 * An object `postMessage` can move rather than copy (an ArrayBuffer, ImageBitmap, VideoFrame,
 * MessagePort, …): the DOM's `Transferable`, named without the DOM lib so that the declarations
 * type-check in apps without it.
 */
export type TransferableObject = object;

/** A dedicated worker (`Worker` where the DOM lib is loaded, `never` elsewhere). */
export type WebWorker = DomType<'Worker'>;

/** What a handler gets besides its argument. */
export interface HandlerContext {
  /** Aborts when the page's signal for this call aborts. */
  signal: AbortSignal;
  /** Sends a progress event to the page (delivered to the call's `onProgress`). */
  progress(event: unknown): void;
  /** Objects in the result to transfer rather than copy. */
  transfer(...objects: TransferableObject[]): void;
}

/** The handlers a worker serves, by name. */
// biome-ignore lint/suspicious/noExplicitAny: each handler declares its own argument type.
export type Handlers = Record<string, (arg: any, ctx: HandlerContext) => unknown>;

/** Marks a function (callback id) or an AbortSignal inside an argument as it crosses. */
const FN = '__ondeviceCallback';
const SIGNAL = '__ondeviceSignal';

type Request =
  | { kind: 'call'; id: number; method: string; arg: unknown }
  | { kind: 'abort'; id: number }
  | { kind: 'release'; fns: number[] };

/** An error as it crosses to the page: name, message, stack and the error's own plain fields (code, …). */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string | undefined;
  fields: Record<string, unknown>;
}

type Reply =
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'error'; id: number; error: SerializedError }
  | { kind: 'progress'; id: number; event: unknown }
  | { kind: 'callback'; fn: number; args: unknown[] };

/**
 * Plain copies of an error's own fields (e.g. `code`, `coverage`, `outOfVocabulary`), for sending
 * it across `postMessage`.
 *
 * @example
 * ```ts
 * serializeError(new InputError('bad image')); // { name: 'InputError', message: 'bad image', fields: { code: 'ERR_INPUT' } }
 * ```
 */
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
  return { name: error.name, message: error.message, stack: error.stack, fields };
}

/** An error class a page can get back from a worker, rebuilt by its `name`. */
// biome-ignore lint/suspicious/noExplicitAny: any constructor signature; it is never called.
export type ErrorClass = abstract new (...args: any[]) => Error;

/** core's OnDeviceError and every subclass it exports, by name. */
const CORE_ERRORS = (Object.values(coreErrors) as unknown[]).filter(
  (v): v is ErrorClass =>
    typeof v === 'function' && (v === OnDeviceError || v.prototype instanceof OnDeviceError),
);

/**
 * An error a worker handler threw whose class the page does not know (not one of core's nor one
 * passed as `errors` to {@link TaskWorker}), rebuilt with the same name, message and own fields,
 * read with {@link WorkerTaskError.field}.
 *
 * @example
 * ```ts
 * if (e instanceof WorkerTaskError && e.name === 'CoverageError') console.log(e.field('coverage'));
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

const names = new WeakMap<ErrorClass, string>();

/**
 * The `name` a class's errors carry. Read from an instance, not from the class: a bundler's
 * minifier renames classes (`class VocabularyCoverageError` becomes `class e`), but the `name`
 * field each @ondevice error sets survives.
 */
function errorName(C: ErrorClass): string {
  let name = names.get(C);
  if (name === undefined) {
    try {
      name = new (C as unknown as new (...args: unknown[]) => Error)('', {}).name;
    } catch {
      name = C.name;
    }
    names.set(C, name);
  }
  return name;
}

/**
 * Rebuilds a {@link SerializedError} as an instance of the class of the same name among `classes`
 * and core's error classes (so `instanceof InputError` and `error.code` work as in one thread),
 * with its own fields; a {@link WorkerTaskError} when no class has that name.
 *
 * @example
 * ```ts
 * const e = reviveError(serializeError(new InputError('bad image')));
 * e instanceof InputError; // true
 * ```
 */
export function reviveError(error: SerializedError, classes: readonly ErrorClass[] = []): Error {
  const Class = [...classes, ...CORE_ERRORS].find((c) => errorName(c) === error.name);
  if (!Class) return new WorkerTaskError(error);
  // Built without its constructor (their signatures differ), with the fields it had.
  const e = Object.create(Class.prototype) as Error;
  Object.assign(e, error.fields);
  Object.defineProperty(e, 'name', { value: error.name, writable: true, configurable: true });
  Object.defineProperty(e, 'message', { value: error.message, writable: true, configurable: true });
  Object.defineProperty(e, 'stack', {
    value: `${error.stack ?? `${error.name}: ${error.message}`}\n    (thrown in a task worker)`,
    writable: true,
    configurable: true,
  });
  return e;
}

/** Where `serve` listens: a worker's global scope, or one end of a MessageChannel. */
export interface WorkerScope {
  postMessage(message: unknown, transfer?: TransferableObject[]): void;
  // biome-ignore lint/suspicious/noExplicitAny: a MessageEvent, named without the DOM lib.
  addEventListener(type: 'message', listener: (e: { data: any }) => void): void;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Replaces the markers of functions and signals in `arg` (plain objects and arrays, 3 levels). */
function unmark(arg: unknown, fn: (id: number) => unknown, signal: AbortSignal, depth = 0): unknown {
  if (depth > 3) return arg;
  if (Array.isArray(arg)) return arg.map((v) => unmark(v, fn, signal, depth + 1));
  if (!isPlain(arg)) return arg;
  if (typeof arg[FN] === 'number') return fn(arg[FN]);
  if (arg[SIGNAL] === true) return signal;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(arg)) out[k] = unmark(v, fn, signal, depth + 1);
  return out;
}

/**
 * Serves `handlers` from inside a worker. A handler's thrown error reaches the page with its
 * `name`, `message` and own fields (`code`, …), rebuilt there as the same class.
 *
 * @example
 * ```ts
 * serve({ async detect(bitmap: ImageBitmap, { signal }) { return detector.detect(bitmap, { signal }); } });
 * ```
 */
export function serve(handlers: Handlers, scope: WorkerScope = self as unknown as WorkerScope): void {
  const running = new Map<number, AbortController>();
  const callback =
    (fn: number) =>
    (...args: unknown[]) => {
      try {
        scope.postMessage({ kind: 'callback', fn, args } satisfies Reply);
      } catch {
        // An argument that cannot be cloned: the callback is not worth the call failing.
      }
    };
  scope.addEventListener('message', async (e: { data: Request }) => {
    const msg = e.data;
    if (msg.kind === 'release') return;
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
      const handler = Object.hasOwn(handlers, msg.method) ? handlers[msg.method] : undefined;
      if (!handler)
        throw new Error(`This worker has no "${msg.method}"; it has ${Object.keys(handlers).join(', ')}.`);
      const value = await handler(unmark(msg.arg, callback, controller.signal), ctx);
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
  transfer?: TransferableObject[];
  /** Progress events the handler sends. */
  onProgress?: (event: unknown) => void;
  /**
   * Aborts the call: the worker's handler sees its signal abort and the call rejects at once with
   * `AbortedError`. Default: the first AbortSignal found in the argument, if any.
   */
  signal?: AbortSignal | undefined;
  /**
   * Keeps the functions found in the argument callable from the worker after the call settles,
   * until {@link TaskWorker.release} with this key (a task's `onScores` lives as long as the task).
   * Default: they are dropped when the call settles.
   */
  keepCallbacks?: string;
}

type Arg<F> = F extends (arg: infer A, ctx: HandlerContext) => unknown ? A : never;
type Result<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;

/** Options of a {@link TaskWorker}. */
export interface TaskWorkerOptions {
  /** Error classes (beyond core's) that the worker's errors are rebuilt as, by name. */
  errors?: readonly ErrorClass[];
}

/**
 * The page's side of a task worker: calls its handlers by name.
 *
 * @example
 * ```ts
 * const worker = new TaskWorker<VisionHandlers>(new Worker(new URL('./vision.worker.js', import.meta.url), { type: 'module' }));
 * const objects = await worker.call('detectObjects', { image: bitmap }, { transfer: [bitmap] });
 * ```
 */
export class TaskWorker<H extends Handlers> {
  private next = 1;
  private nextFn = 1;
  private readonly fns = new Map<number, (...args: unknown[]) => unknown>();
  private readonly kept = new Map<string, number[]>();
  private readonly errors: readonly ErrorClass[];
  private readonly pending = new Map<
    number,
    { resolve(v: unknown): void; reject(e: unknown): void; onProgress?: ((e: unknown) => void) | undefined }
  >();

  constructor(
    readonly worker: WebWorker,
    options: TaskWorkerOptions = {},
  ) {
    this.errors = options.errors ?? [];
    worker.addEventListener('message', (e: MessageEvent<Reply>) => {
      const msg = e.data;
      if (msg.kind === 'callback') {
        try {
          this.fns.get(msg.fn)?.(...msg.args);
        } catch (error) {
          console.warn(error);
        }
        return;
      }
      const call = this.pending.get(msg.id);
      if (!call) return;
      if (msg.kind === 'progress') call.onProgress?.(msg.event);
      else {
        this.pending.delete(msg.id);
        if (msg.kind === 'result') call.resolve(msg.value);
        else call.reject(reviveError(msg.error, this.errors));
      }
    });
    worker.addEventListener('error', (e) => {
      const error = new Error(`The task worker failed: ${e.message || 'it could not start'}.`);
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
    });
  }

  /** Replaces functions and signals in `arg` by markers; returns the marked copy. */
  private mark(arg: unknown, fns: number[], found: { signal?: AbortSignal }, depth = 0): unknown {
    if (typeof arg === 'function') {
      const id = this.nextFn++;
      this.fns.set(id, arg as (...args: unknown[]) => unknown);
      fns.push(id);
      return { [FN]: id };
    }
    if (typeof AbortSignal !== 'undefined' && arg instanceof AbortSignal) {
      found.signal ??= arg;
      return { [SIGNAL]: true };
    }
    if (depth > 3) return arg;
    if (Array.isArray(arg)) return arg.map((v) => this.mark(v, fns, found, depth + 1));
    if (!isPlain(arg)) return arg;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(arg)) out[k] = this.mark(v, fns, found, depth + 1);
    return out;
  }

  /** Calls the worker's `method` with `arg`; resolves to what it returns. */
  call<K extends keyof H & string>(
    method: K,
    arg: Arg<H[K]>,
    options: CallOptions = {},
  ): Promise<Result<H[K]>> {
    const id = this.next++;
    const fns: number[] = [];
    const found: { signal?: AbortSignal } = {};
    const marked = this.mark(arg, fns, found);
    const signal = options.signal ?? found.signal;
    const { keepCallbacks } = options;
    if (keepCallbacks && fns.length)
      this.kept.set(keepCallbacks, [...(this.kept.get(keepCallbacks) ?? []), ...fns]);
    const settle = () => {
      if (!keepCallbacks) this.drop(fns);
    };
    return new Promise<Result<H[K]>>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new AbortedError(`The worker's "${method}"`, { cause: signal.reason }));
        return;
      }
      this.pending.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: options.onProgress,
      });
      // The worker's handler sees its signal abort (tasks check it between stages); the call
      // rejects at once, so a page's Cancel button answers even while a model still runs.
      signal?.addEventListener(
        'abort',
        () => {
          if (!this.pending.delete(id)) return;
          this.worker.postMessage({ kind: 'abort', id } satisfies Request);
          reject(new AbortedError(`The worker's "${method}"`, { cause: signal.reason }));
        },
        { once: true },
      );
      try {
        this.worker.postMessage(
          { kind: 'call', id, method, arg: marked } satisfies Request,
          options.transfer ?? [],
        );
      } catch (error) {
        this.pending.delete(id);
        reject(error);
      }
    }).finally(settle);
  }

  private drop(fns: number[]): void {
    if (!fns.length) return;
    for (const f of fns) this.fns.delete(f);
    this.worker.postMessage({ kind: 'release', fns } satisfies Request);
  }

  /** Drops the callbacks kept under `key` (see {@link CallOptions.keepCallbacks}). */
  release(key: string): void {
    this.drop(this.kept.get(key) ?? []);
    this.kept.delete(key);
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
    this.fns.clear();
  }
}
