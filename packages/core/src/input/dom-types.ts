/**
 * The instance type of a global class by its name — `DomType<'ImageBitmap'>` is `ImageBitmap` —
 * where the program's libraries declare that global (`lib: ["dom"]`, or Node's `Blob` from
 * `@types/node`), and `never` where they do not. Public signatures name browser types through it,
 * so an app type-checks without the DOM lib, and a browser-only member of a union drops out there
 * instead of turning the whole type into `any` (or an error inside this package's declarations).
 *
 * @example
 * ```ts
 * function listen(stream: DomType<'MediaStream'>): void; // MediaStream in pages, never in Node
 * ```
 */
export type DomType<Name extends string> =
  typeof globalThis extends Record<Name, { prototype: infer Instance }> ? Instance : never;
