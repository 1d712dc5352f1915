import type * as TfCore from '@tensorflow/tfjs-core';

type Tensor = TfCore.Tensor;
type Container = Tensor | Tensor[] | Record<string, Tensor> | null | undefined;

/** Tracks tensors so that all of them are disposed in one sweep, also across `await`s (unlike `tf.tidy`). */
export interface TensorScope {
  /** Tracks a tensor (or an array/record of them) and returns it. */
  track<T extends Container>(tensors: T): T;
  /** Stops tracking a tensor so it survives `dispose()`. */
  keep<T extends Tensor>(tensor: T): T;
  /** Disposes every tracked tensor. Safe to call twice. */
  dispose(): void;
}

/**
 * Creates a {@link TensorScope}.
 *
 * @example
 * ```ts
 * const scope = createTensorScope();
 * try {
 *   const input = scope.track(tf.tidy(() => preprocess(pixels)));
 *   const out = scope.track(await model.executeAsync(input));
 *   return await out.data();
 * } finally {
 *   scope.dispose();
 * }
 * ```
 */
export function createTensorScope(): TensorScope {
  const tracked = new Set<Tensor>();
  const add = (t: unknown) => {
    if (t && typeof (t as Tensor).dispose === 'function') tracked.add(t as Tensor);
  };
  return {
    track(tensors) {
      if (Array.isArray(tensors)) tensors.forEach(add);
      else if (tensors && typeof (tensors as Tensor).dispose !== 'function')
        Object.values(tensors).forEach(add);
      else add(tensors);
      return tensors;
    },
    keep(tensor) {
      tracked.delete(tensor);
      return tensor;
    },
    dispose() {
      for (const t of tracked) if (!t.isDisposed) t.dispose();
      tracked.clear();
    },
  };
}

/**
 * Runs `fn` with a fresh {@link TensorScope} and disposes it afterwards, whether `fn` resolves or throws.
 *
 * @example
 * ```ts
 * const scores = await withTensorScope(async (scope) => {
 *   const out = scope.track(model.execute(scope.track(input)) as tf.Tensor);
 *   return out.data();
 * });
 * ```
 */
export async function withTensorScope<T>(fn: (scope: TensorScope) => Promise<T> | T): Promise<T> {
  const scope = createTensorScope();
  try {
    return await fn(scope);
  } finally {
    scope.dispose();
  }
}
