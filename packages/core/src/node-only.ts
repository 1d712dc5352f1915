/**
 * Imports a Node-only package by a name bundlers cannot see, so that browser bundles (Vite,
 * webpack, esbuild) do not try to bundle native Node packages such as `sharp` or
 * `onnxruntime-node`. Only call it after checking `isNode()`.
 *
 * @internal
 */
export function importNodeOnly<T>(name: 'sharp' | 'onnxruntime-node'): Promise<T> {
  const specifier: string = name;
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier) as Promise<T>;
}
