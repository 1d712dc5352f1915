/**
 * Every failure in @ondevice rejects with an {@link OnDeviceError}: check `instanceof` against a
 * subclass, or switch on the stable `code`.
 *
 * @example
 * ```ts
 * import { detectObjects } from '@ondevice/vision';
 * import { InputError, OnDeviceError } from '@ondevice/core';
 * try {
 *   await detectObjects('missing.jpg');
 * } catch (error) {
 *   if (error instanceof InputError) console.error('Bad image:', error.message);
 *   else if (error instanceof OnDeviceError) console.error(error.code, error.message);
 * }
 * ```
 */
export type OnDeviceErrorCode =
  | 'ERR_OPTIONS'
  | 'ERR_INPUT'
  | 'ERR_MODEL_LOAD'
  | 'ERR_MODEL_OFFLINE'
  | 'ERR_MODEL_INTEGRITY'
  | 'ERR_BACKEND'
  | 'ERR_DISPOSED'
  | 'ERR_ABORTED'
  | 'ERR_TIMEOUT'
  | 'ERR_INTERNAL';

/**
 * Base class of every error @ondevice throws. `code` is stable across versions; `message` says
 * what happened and what to do about it.
 *
 * @example
 * ```ts
 * if (error instanceof OnDeviceError && error.code === 'ERR_MODEL_OFFLINE') showDownloadHint();
 * ```
 */
export class OnDeviceError extends Error {
  override name = 'OnDeviceError';
  readonly code: OnDeviceErrorCode;
  constructor(code: OnDeviceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * An option had a wrong type or value. The message lists what is allowed.
 *
 * @example
 * ```ts
 * await detectObjects(img, { categoryAllowlist: ['persn'] }); // rejects with OptionsError
 * ```
 */
export class OptionsError extends OnDeviceError {
  override name = 'OptionsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_OPTIONS', message, options);
  }
}

/**
 * An input (image, audio, text) was empty, corrupt, of an unsupported type or absurdly large.
 *
 * @example
 * ```ts
 * await detectObjects(new Uint8Array(0)); // rejects with InputError
 * ```
 */
export class InputError extends OnDeviceError {
  override name = 'InputError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_INPUT', message, options);
  }
}

/**
 * A model could not be loaded: missing file, unreadable, or not a model the runtime understands.
 *
 * @example
 * ```ts
 * if (error instanceof ModelLoadError) console.error(error.message); // names the file and the fix
 * ```
 */
export class ModelLoadError extends OnDeviceError {
  override name = 'ModelLoadError';
  constructor(message: string, options?: { cause?: unknown; code?: 'ERR_MODEL_LOAD' | 'ERR_MODEL_OFFLINE' }) {
    super(options?.code ?? 'ERR_MODEL_LOAD', message, options);
  }
}

/**
 * A model file is needed, is not on this device, and remote models are not allowed. Its message
 * names the missing file and how to provide it.
 *
 * @example
 * ```ts
 * configure({ allowRemoteModels: false });
 * await prefetchModel(spec); // rejects with ModelUnavailableOfflineError when spec is not local
 * ```
 */
export class ModelUnavailableOfflineError extends ModelLoadError {
  override name = 'ModelUnavailableOfflineError';
  constructor(message: string) {
    super(message, { code: 'ERR_MODEL_OFFLINE' });
  }
}

/**
 * A model file's bytes did not match the SHA-256 (or size) in its spec. The bad file is not kept.
 *
 * @example
 * ```ts
 * if (error instanceof ModelIntegrityError) await deleteCachedModel(spec);
 * ```
 */
export class ModelIntegrityError extends OnDeviceError {
  override name = 'ModelIntegrityError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_MODEL_INTEGRITY', message, options);
  }
}

/**
 * The requested backend (e.g. `webgpu`) is not available in this environment.
 *
 * @example
 * ```ts
 * configure({ backend: 'webgpu' }); // in Node: later calls reject with BackendUnavailableError
 * ```
 */
export class BackendUnavailableError extends OnDeviceError {
  override name = 'BackendUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_BACKEND', message, options);
  }
}

/**
 * A method was called on a task object after `dispose()`.
 *
 * @example
 * ```ts
 * detector.dispose();
 * await detector.detect(img); // rejects with DisposedError
 * ```
 */
export class DisposedError extends OnDeviceError {
  override name = 'DisposedError';
  constructor(what: string) {
    super('ERR_DISPOSED', `${what} has been disposed; create a new one to keep working.`);
  }
}

/**
 * The caller's `AbortSignal` fired.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const pending = detectObjects(img, { signal: controller.signal });
 * controller.abort(); // pending rejects with AbortedError
 * ```
 */
export class AbortedError extends OnDeviceError {
  override name = 'AbortedError';
  constructor(what = 'The operation', options?: { cause?: unknown }) {
    super('ERR_ABORTED', `${what} was aborted by its AbortSignal.`, options);
  }
}

/**
 * An operation did not finish within its `timeout`.
 *
 * @example
 * ```ts
 * await recognizeText(img, { timeout: 10 }); // may reject with TimeoutError
 * ```
 */
export class TimeoutError extends OnDeviceError {
  override name = 'TimeoutError';
  constructor(what: string, ms: number) {
    super('ERR_TIMEOUT', `${what} did not finish within ${ms} ms; raise the timeout or use a smaller input.`);
  }
}

/**
 * Throws {@link AbortedError} if `signal` has fired.
 *
 * @example
 * ```ts
 * throwIfAborted(options.signal, 'Object detection');
 * ```
 */
export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw new AbortedError(what, { cause: signal.reason });
}

/**
 * Runs `promise` with a deadline and an optional abort signal; rejects with {@link TimeoutError}
 * or {@link AbortedError}. Calls `onCancel` when either fires so the work can be stopped.
 *
 * @example
 * ```ts
 * const worker = await withDeadline(createWorker(), { timeout: 30_000, what: 'Starting Tesseract' });
 * ```
 */
export function withDeadline<T>(
  promise: Promise<T>,
  options: {
    timeout?: number | undefined;
    signal?: AbortSignal | undefined;
    what: string;
    onCancel?: () => void;
  },
): Promise<T> {
  const { timeout, signal, what, onCancel } = options;
  if (!timeout && !signal) return promise;
  throwIfAborted(signal, what);
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const cleanup = () => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      cleanup();
      onCancel?.();
      reject(new AbortedError(what, { cause: signal?.reason }));
    };
    if (timeout && timeout > 0 && Number.isFinite(timeout)) {
      timer = setTimeout(() => {
        cleanup();
        onCancel?.();
        reject(new TimeoutError(what, timeout));
      }, timeout);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        cleanup();
        reject(error);
      },
    );
  });
}
