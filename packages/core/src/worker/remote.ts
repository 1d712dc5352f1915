// Tasks in a Web Worker with the same API: a task package's worker entry serves its one-shot
// functions and factories (`serveTasks`); on the page, `routed` and `routedFactory` wrap each
// exported function so that with `configure({ worker: true })` it runs in that worker instead,
// returning what it would have returned (a factory returns a stand-in with the same methods and
// readouts). Settings made with configure() on the page are sent along; errors come back as the
// same classes; AbortSignals and callbacks (onProgress, onScores) in the options cross.
import { getConfig, isNode, type OnDeviceConfig, onConfigChange } from '../env.js';
import { configure } from '../env.js';
import { prefetchModel } from '../model/store.js';
import {
  type ErrorClass,
  type HandlerContext,
  serve,
  TaskWorker,
  type WebWorker,
  type WorkerScope,
} from './rpc.js';

// biome-ignore lint/suspicious/noExplicitAny: task functions have their own signatures.
type AnyFn = (...args: any[]) => any;

const toTransfer = new WeakSet<object>();

/**
 * Marks an input to be moved to the task worker rather than copied when a task runs there
 * (`configure({ worker: true })`): an `ImageBitmap`, `VideoFrame`, `ArrayBuffer` or typed array
 * (its buffer), or `ImageData`/raw pixels (their buffer). The page can no longer use it (a frame
 * or bitmap is closed once read); without the mark inputs are copied and stay yours. Returns its
 * argument, so it wraps a call's input in place. No effect when tasks run in this thread.
 *
 * @example
 * ```ts
 * configure({ worker: true });
 * const objects = await detectObjects(transferToWorker(new VideoFrame(video)));
 * ```
 */
export function transferToWorker<T extends object>(input: T): T {
  toTransfer.add(input);
  return input;
}

/**
 * Whether tasks called here run in their package's worker: `configure({ worker: true })`, on a
 * page's main thread with module workers. In Node and inside workers tasks run in this thread.
 *
 * @example
 * ```ts
 * configure({ worker: true });
 * tasksRunInWorker(); // true in a browser page, false in Node
 * ```
 */
export function tasksRunInWorker(): boolean {
  return (
    getConfig().worker === true &&
    !isNode() &&
    typeof Worker === 'function' &&
    typeof document !== 'undefined' &&
    typeof window !== 'undefined'
  );
}

/** The settings a worker copies from the page: cloneable, URLs resolved against the page. */
function settingsForWorker(config: Readonly<OnDeviceConfig>): Partial<OnDeviceConfig> {
  const { logger: _logger, worker: _worker, ...rest } = config;
  const page = globalThis.document?.baseURI;
  const out: Record<string, unknown> = { ...rest };
  for (const key of ['modelBaseUrl', 'wasmBaseUrl', 'assetsUrl'] as const) {
    const v = rest[key];
    if (typeof v === 'string' && page) out[key] = new URL(v, page).href;
  }
  return out as Partial<OnDeviceConfig>;
}

const DOM_SOURCES = ['HTMLImageElement', 'HTMLVideoElement', 'HTMLCanvasElement', 'SVGImageElement'];

function domSource(v: unknown): v is ImageBitmapSource {
  return DOM_SOURCES.some((name) => {
    const C = (globalThis as Record<string, unknown>)[name];
    return typeof C === 'function' && v instanceof (C as new () => object);
  });
}

function bufferOf(v: unknown): ArrayBuffer | undefined {
  if (v instanceof ArrayBuffer) return v;
  if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) return v.buffer;
  if (v && typeof v === 'object' && 'data' in v) return bufferOf((v as { data: unknown }).data);
  return undefined;
}

/**
 * Makes a call's arguments ready to post: DOM images and canvases (which cannot cross) become
 * ImageBitmaps made here and moved; an OffscreenCanvas is copied to one too; inputs marked with
 * {@link transferToWorker} are moved; the rest is copied.
 */
async function prepare(
  args: unknown[],
  urls = false,
): Promise<{ args: unknown[]; transfer: Transferable[] }> {
  const transfer: Transferable[] = [];
  const out = await Promise.all(
    args.map(async (a, i) => {
      // A relative URL names a file beside the page, not beside the worker's script.
      if (urls && i === 0 && typeof a === 'string' && globalThis.document?.baseURI) {
        try {
          return new URL(a, document.baseURI).href;
        } catch {
          return a;
        }
      }
      if (domSource(a)) {
        const bitmap = await createImageBitmap(a);
        transfer.push(bitmap);
        return bitmap;
      }
      if (typeof OffscreenCanvas === 'function' && a instanceof OffscreenCanvas) {
        const bitmap = await createImageBitmap(a);
        transfer.push(bitmap);
        return bitmap;
      }
      if (a && typeof a === 'object' && toTransfer.has(a)) {
        toTransfer.delete(a);
        const buffer = bufferOf(a);
        if (buffer) transfer.push(buffer);
        else transfer.push(a as Transferable);
      }
      return a;
    }),
  );
  return { args: out, transfer };
}

/** What a task instance shows the page: its methods, and its readouts (runtime, lastTimings…). */
interface Shape {
  id: number;
  methods: string[];
  props: Record<string, unknown>;
}

function methodsOf(obj: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = obj; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Object.getOwnPropertyNames(o)) {
      if (k === 'constructor') continue;
      const d = Object.getOwnPropertyDescriptor(o, k);
      if (d && typeof d.value === 'function') names.add(k);
    }
  }
  return [...names];
}

function propsOf(obj: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let o: object | null = obj; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Object.getOwnPropertyNames(o)) {
      if (k === 'constructor' || k in out) continue;
      const d = Object.getOwnPropertyDescriptor(o, k);
      if (!d || typeof d.value === 'function' || (!('value' in d) && !d.get)) continue;
      try {
        const v = (obj as Record<string, unknown>)[k];
        if (typeof v === 'function') continue;
        out[k] = v === null || typeof v !== 'object' ? v : structuredClone(v);
      } catch {
        // Not cloneable: not shown on the page.
      }
    }
  }
  return out;
}

function closeInputs(args: unknown[]): void {
  for (const a of args) {
    if (a && typeof a === 'object' && 'close' in a && typeof a.close === 'function') {
      const isFrame =
        (typeof ImageBitmap === 'function' && a instanceof ImageBitmap) ||
        (typeof VideoFrame === 'function' && a instanceof VideoFrame);
      if (isFrame) (a as { close(): void }).close();
    }
  }
}

/**
 * Serves a task package's functions from inside its worker: each one-shot function (`detectObjects`)
 * and factory (`createObjectDetector`) by name, plus core's `prefetchModel`. The package's worker
 * entry is one call; its page side is {@link remoteTasks}.
 *
 * @example
 * ```ts
 * // packages/vision/src/worker/vision.worker.ts
 * serveTasks({ detectObjects, createObjectDetector });
 * ```
 */
export function serveTasks(tasks: Record<string, AnyFn>, scope?: WorkerScope): void {
  const all: Record<string, AnyFn> = { prefetchModel, ...tasks };
  const instances = new Map<number, Record<string, AnyFn>>();
  let next = 1;
  const fn = (name: string) => {
    const f = Object.hasOwn(all, name) ? all[name] : undefined;
    if (!f) throw new Error(`This task worker has no "${name}"; it has ${Object.keys(all).join(', ')}.`);
    return f;
  };
  const handlers = {
    configure(settings: Partial<OnDeviceConfig>): void {
      configure({ ...settings, worker: false });
    },
    async run(arg: { fn: string; args: unknown[] }): Promise<unknown> {
      try {
        return await fn(arg.fn)(...arg.args);
      } finally {
        closeInputs(arg.args);
      }
    },
    async create(arg: { fn: string; args: unknown[] }): Promise<Shape> {
      const instance = (await fn(arg.fn)(...arg.args)) as Record<string, AnyFn>;
      const id = next++;
      instances.set(id, instance);
      return { id, methods: methodsOf(instance), props: propsOf(instance) };
    },
    async invoke(arg: { id: number; method: string; args: unknown[] }, ctx: HandlerContext) {
      const instance = instances.get(arg.id);
      if (!instance)
        throw new Error(`Task ${arg.id} is not in this worker (disposed, or the worker restarted).`);
      void ctx;
      try {
        const value = await instance[arg.method]!(...arg.args);
        if (arg.method === 'dispose') instances.delete(arg.id);
        return { value, props: propsOf(instance) };
      } finally {
        closeInputs(arg.args);
      }
    },
  };
  serve(handlers, scope);
}

/** The page's side of a task package's worker: see {@link remoteTasks}. */
export interface RemoteTasks {
  /** Calls the worker's one-shot function `fn` with `args`. */
  run(fn: string, args: unknown[]): Promise<unknown>;
  /** Calls the worker's factory `fn`; resolves to a stand-in with the instance's methods and readouts. */
  create(fn: string, args: unknown[]): Promise<object>;
  /** The worker, started on first use. */
  readonly worker: TaskWorker<ServedHandlers>;
  /** Stops the worker (the next call starts a new one). */
  terminate(): void;
}

type ServedHandlers = {
  configure(settings: Partial<OnDeviceConfig>): void;
  run(arg: { fn: string; args: unknown[] }): Promise<unknown>;
  create(arg: { fn: string; args: unknown[] }): Promise<Shape>;
  invoke(arg: {
    id: number;
    method: string;
    args: unknown[];
  }): Promise<{ value: unknown; props: Record<string, unknown> }>;
};

/**
 * The page's side of a task package's worker. `start` makes the module worker — written where the
 * package ships it, `new Worker(new URL('./vision.worker.js', import.meta.url), { type: 'module' })`,
 * so Vite and webpack 5 bundle it — and is called on first use. The page's configure() settings
 * go to the worker then and on every change; errors come back as core's classes and `errors`.
 *
 * @example
 * ```ts
 * const remote = remoteTasks(() => new Worker(new URL('./vision.worker.js', import.meta.url), { type: 'module' }));
 * export const detectObjects = routed(remote, 'detectObjects', localDetectObjects);
 * ```
 */
export function remoteTasks(
  start: () => WebWorker,
  options: {
    /** Error classes (beyond core's) the worker's errors are rebuilt as. */
    errors?: readonly ErrorClass[];
    /** Whether a string first argument is a URL, resolved against the page before it crosses. Default: false. */
    urlInputs?: boolean;
  } = {},
): RemoteTasks {
  let current: TaskWorker<ServedHandlers> | undefined;
  let unsubscribe: (() => void) | undefined;
  let keys = 1;
  const get = (): TaskWorker<ServedHandlers> => {
    if (current) return current;
    const w = new TaskWorker<ServedHandlers>(start(), options.errors ? { errors: options.errors } : {});
    current = w;
    void w.call('configure', settingsForWorker(getConfig()));
    unsubscribe = onConfigChange((c) => {
      void w.call('configure', settingsForWorker(c));
    });
    return w;
  };
  return {
    get worker() {
      return get();
    },
    async run(fn, args) {
      const w = get();
      const ready = await prepare(args, options.urlInputs);
      return w.call('run', { fn, args: ready.args }, { transfer: ready.transfer });
    },
    async create(fn, args) {
      const w = get();
      const key = `task-${keys++}`;
      const shape = await w.call('create', { fn, args }, { keepCallbacks: key });
      let props = shape.props;
      let disposed = false;
      const stand: Record<PropertyKey, unknown> = {};
      for (const method of shape.methods) {
        stand[method] = async (...args: unknown[]) => {
          const ready = await prepare(args, options.urlInputs);
          const out = await w.call(
            'invoke',
            { id: shape.id, method, args: ready.args },
            { transfer: ready.transfer },
          );
          props = out.props;
          if (method === 'dispose' && !disposed) {
            disposed = true;
            w.release(key);
          }
          return out.value;
        };
      }
      for (const name of Object.keys(props)) {
        Object.defineProperty(stand, name, { get: () => props[name], enumerable: true });
      }
      if (typeof stand.dispose === 'function') {
        const dispose = stand.dispose as () => Promise<void>;
        stand[Symbol.dispose] = () => void dispose().catch(() => undefined);
        stand[Symbol.asyncDispose] = dispose;
      }
      return stand;
    },
    terminate() {
      unsubscribe?.();
      current?.terminate();
      current = undefined;
    },
  };
}

/**
 * Wraps a task package's one-shot function so it runs in the package's worker when
 * {@link tasksRunInWorker} (`configure({ worker: true })` on a page), and here otherwise. The type
 * is the local function's: the API stays the same.
 *
 * @example
 * ```ts
 * export const detectObjects: typeof local.detectObjects = routed(remote, 'detectObjects', local.detectObjects);
 * ```
 */
export function routed<F extends AnyFn>(remote: RemoteTasks, name: string, local: F): F {
  return ((...args: unknown[]) => (tasksRunInWorker() ? remote.run(name, args) : local(...args))) as F;
}

/**
 * Wraps a task package's factory as {@link routed} does: with the worker on it resolves to a
 * stand-in whose methods (`detect`, `dispose`, …) run the instance in the worker and whose readouts
 * (`runtime`, `lastTimings`, …) are the instance's after its latest call.
 *
 * @example
 * ```ts
 * export const createObjectDetector: typeof local.createObjectDetector = routedFactory(remote, 'createObjectDetector', local.createObjectDetector);
 * ```
 */
export function routedFactory<F extends AnyFn>(remote: RemoteTasks, name: string, local: F): F {
  return ((...args: unknown[]) => (tasksRunInWorker() ? remote.create(name, args) : local(...args))) as F;
}
