/**
 * Serves `root` on 127.0.0.1 (port 0: any free port); see serve.mjs.
 *
 * @example
 * ```ts
 * const server = await startServer({ root: 'dist' });
 * await page.goto(`${server.url}/`); // crossOriginIsolated === true there
 * await server.close();
 * ```
 */
export function startServer(options: { root: string; port?: number }): Promise<{
  url: string;
  close(): Promise<void>;
}>;

/**
 * The COOP/COEP/CORP headers every response carries, so the pages are cross-origin isolated
 * (SharedArrayBuffer, WASM threads); see serve.mjs.
 *
 * @example
 * ```ts
 * res.writeHead(200, { ...ISOLATION_HEADERS, 'content-type': 'text/html' });
 * ```
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>>;
