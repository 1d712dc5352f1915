/** Serves `root` on 127.0.0.1 (port 0: any free port); see serve.mjs. */
export function startServer(options: { root: string; port?: number }): Promise<{
  url: string;
  close(): Promise<void>;
}>;
