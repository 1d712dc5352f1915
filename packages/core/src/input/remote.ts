import { getConfig, isNode } from '../env.js';
import { AbortedError, InputError, TimeoutError, throwIfAborted } from '../errors.js';

/**
 * Whether fetching a URL string given as an input is a network request the user must allow.
 * `data:` and `blob:` URLs are local (their bytes are already in this process). In a page
 * (`pageUrl` set), URLs of the page's own origin, relative ones included, are how images are
 * passed and count as local; every other origin is remote. Without a page (Node, `pageUrl`
 * undefined) every `http(s)://` URL is remote.
 *
 * @internal
 * @example
 * ```ts
 * classifyInputUrl('/cat.jpg', location.href); // 'local'
 * classifyInputUrl('https://cdn.example.net/cat.jpg', location.href); // 'remote'
 * ```
 */
export function classifyInputUrl(url: string, pageUrl: string | undefined): 'local' | 'remote' {
  if (/^(data|blob):/i.test(url)) return 'local';
  if (pageUrl === undefined) return 'remote';
  let target: URL;
  let page: URL;
  try {
    page = new URL(pageUrl);
    target = new URL(url, page);
  } catch {
    return 'remote';
  }
  return target.origin === page.origin && page.origin !== 'null' ? 'local' : 'remote';
}

/** The page's URL in a browser or worker, undefined in Node. */
export function currentPageUrl(): string | undefined {
  const loc = (globalThis as { location?: { href?: unknown } }).location;
  return typeof loc?.href === 'string' ? loc.href : undefined;
}

/** Options of {@link fetchInput}; every one falls back to {@link configure}'s setting. */
export interface FetchInputOptions {
  /** Allow a remote URL for this call. Default: `configure({ allowRemoteInputs })`, which is `false`. */
  allowRemote?: boolean | undefined;
  /** Milliseconds for the whole fetch. Default: `configure({ remoteInputTimeout })`, 30 000. */
  timeout?: number | undefined;
  /** Most bytes to read. Default: `configure({ remoteInputMaxBytes })`, 50 MiB. */
  maxBytes?: number | undefined;
  /** Cancels the fetch (rejects with {@link AbortedError}). */
  signal?: AbortSignal | undefined;
}

function shortUrl(url: string): string {
  return url.startsWith('data:') ? `${url.slice(0, 32)}…` : url;
}

/**
 * Fetches the bytes of an input given as a URL string, with the opt-in, time limit, byte limit and
 * abort every input fetch needs. A remote URL that is not allowed rejects at once with
 * {@link InputError} and sends no request; a fetch past its timeout rejects with
 * {@link TimeoutError}, an aborted one with {@link AbortedError}; a body (or a declared
 * `Content-Length`) over the byte limit rejects with {@link InputError} and reading stops there.
 *
 * @internal
 * @example
 * ```ts
 * const { bytes, type } = await fetchInput(url, 'image', { signal, allowRemote: true });
 * ```
 */
export async function fetchInput(
  url: string,
  kind: string,
  options: FetchInputOptions = {},
): Promise<{ bytes: Uint8Array; type: string }> {
  const config = getConfig();
  const what = `Fetching the ${kind} ${shortUrl(url)}`;
  const allowRemote = options.allowRemote ?? config.allowRemoteInputs;
  const timeout = options.timeout ?? config.remoteInputTimeout;
  const maxBytes = options.maxBytes ?? config.remoteInputMaxBytes;
  throwIfAborted(options.signal, what);
  if (!allowRemote && classifyInputUrl(url, currentPageUrl()) === 'remote') {
    const itself = isNode()
      ? 'its bytes or a file path'
      : `its bytes${kind === 'image' ? ', a Blob or an element' : ''}`;
    throw new InputError(
      `The ${kind} ${shortUrl(url)} is a network URL, and @ondevice never fetches inputs from the network unless you allow it. ` +
        `Pass the ${kind} itself (${itself}), or opt in with configure({ allowRemoteInputs: true })` +
        `${kind === 'image' ? ' or decodeImage(url, { allowRemote: true })' : ''}.`,
    );
  }
  const controller = new AbortController();
  let timedOut = false;
  const timer =
    Number.isFinite(timeout) && timeout > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeout)
      : undefined;
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // Every way out: a fired signal or the timer wins over whatever error the aborted fetch threw.
  const settle = (error: unknown): never => {
    if (options.signal?.aborted) throw new AbortedError(what, { cause: options.signal.reason });
    if (timedOut) throw new TimeoutError(`${what} (remoteInputTimeout)`, timeout);
    throw error;
  };
  try {
    let res: Response;
    try {
      res = await fetch(url, { signal: controller.signal });
    } catch (error) {
      return settle(
        new InputError(`${what} failed: ${(error as Error)?.message ?? error}.`, { cause: error }),
      );
    }
    if (!res.ok) {
      void res.body?.cancel().catch(() => {});
      throw new InputError(`${what} failed: the server answered HTTP ${res.status}.`);
    }
    const tooBig = (declared?: number) =>
      new InputError(
        `${what} stopped: ${declared ? `the server declares ${declared} bytes, more than` : 'the body passed'} the ${maxBytes} bytes allowed. ` +
          'Raise configure({ remoteInputMaxBytes }) (or maxBytes for one call), or pass the bytes yourself.',
      );
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      void res.body?.cancel().catch(() => {});
      throw tooBig(declared);
    }
    const type = res.headers.get('content-type') ?? '';
    if (!res.body) return { bytes: new Uint8Array(0), type };
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
          void reader.cancel().catch(() => {});
          controller.abort();
          throw tooBig();
        }
        chunks.push(value);
      }
    } catch (error) {
      if (error instanceof InputError) throw error;
      return settle(new InputError(`${what} failed while reading the body.`, { cause: error }));
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.byteLength;
    }
    return { bytes, type };
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
