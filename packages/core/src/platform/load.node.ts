// Node half of loading Node-only packages (selected by `#platform/load` in package.json `imports`).
import { createRequire } from 'node:module';

/** The Node-only packages core loads when they are there. */
export type NodeOnlyPackage = 'sharp' | 'onnxruntime-node';

/**
 * @internal Imports a Node-only package by a name bundlers cannot see: a bundle made for Node
 * (esbuild, webpack `target: 'node'`) must not try to inline native packages such as `sharp`, or
 * fail on `onnxruntime-node`, an optional peer that may not be installed.
 */
export function importNodeOnly<T>(name: NodeOnlyPackage): Promise<T> {
  const specifier: string = name;
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier) as Promise<T>;
}

/** @internal A `require()` that resolves from `from` (a module's `import.meta.url`). */
export function requireFrom(from: string): ((id: string) => unknown) | undefined {
  return createRequire(from);
}
