import { createServer, type Socket } from 'node:net';

/**
 * How the fault server answers a request, chosen by the first segment of its path
 * (`/<fault>/<file key>`):
 *
 * - `ok`: 200 with the right `Content-Length` and the whole body, sent in small pieces.
 * - `hang`: accepts the connection, reads the request, never answers.
 * - `stall`: headers and the first half of the body, then nothing (the socket stays open).
 * - `reset`: headers and the first half of the body, then a TCP reset.
 * - `truncate`: the right `Content-Length`, half the body, then a clean close.
 * - `lie-long`: a `Content-Length` 1000 bytes larger than the body, the whole body, then a close.
 * - `lie-short`: a `Content-Length` of half the body, then the whole body.
 * - `short-chunked`: chunked encoding, half the body, then a proper last chunk (a clean early end).
 * - `too-long`: no `Content-Length`, the body followed by 1000 more bytes, then a close.
 * - `slow`: the right headers, then 1 KiB every 50 ms (for killing a client mid-download).
 * - `error`: 500. An unknown key gets 404.
 */
export type Fault =
  | 'ok'
  | 'hang'
  | 'stall'
  | 'reset'
  | 'truncate'
  | 'lie-long'
  | 'lie-short'
  | 'short-chunked'
  | 'too-long'
  | 'slow'
  | 'error';

/**
 * Every fault the server knows, in the order of {@link Fault}.
 *
 * @example
 * ```ts
 * for (const fault of FAULTS) server.serve(`m-${fault}/1/w.bin`, bytes);
 * ```
 */
export const FAULTS: readonly Fault[] = [
  'ok',
  'hang',
  'stall',
  'reset',
  'truncate',
  'lie-long',
  'lie-short',
  'short-chunked',
  'too-long',
  'slow',
  'error',
];

/** A running fault server. */
export interface FaultServer {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** The base URL that answers every file with `fault`: `http://127.0.0.1:<port>/<fault>/`. */
  baseUrl(fault: Fault): string;
  /** Every request received, as `<fault>/<key>`, in order. */
  readonly requests: string[];
  /** Serves `bytes` under `key` (a path such as `tiny/1.0.0/weights.bin`). */
  serve(key: string, bytes: Uint8Array): void;
  /** Destroys every open connection (hung and stalled ones too) and stops listening. */
  close(): Promise<void>;
}

const status = (code: number, text: string, headers: Record<string, string | number> = {}) =>
  `HTTP/1.1 ${code} ${text}\r\n${Object.entries({ ...headers, connection: 'close' })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;

/**
 * Starts a small HTTP/1.1 server on 127.0.0.1 (a random free port) whose answers go wrong on
 * purpose, for testing that downloads settle: it can hang, stall mid-body, reset, truncate and lie
 * about `Content-Length` (see {@link Fault}). It writes raw bytes on the socket, so the lies reach
 * the client exactly as written. Close it when done: hung connections are held until then.
 *
 * @example
 * ```ts
 * const server = await startFaultServer();
 * server.serve('tiny/1.0.0/weights.bin', bytes);
 * configure({ modelBaseUrl: server.baseUrl('stall'), downloadIdleTimeout: 200 });
 * await expect(loadModel(spec)).rejects.toBeInstanceOf(TimeoutError);
 * await server.close();
 * ```
 */
export async function startFaultServer(): Promise<FaultServer> {
  const files = new Map<string, Uint8Array>();
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const answer = (socket: Socket, fault: Fault | undefined, key: string) => {
    const body = files.get(key);
    if (!fault || !FAULTS.includes(fault) || !body) {
      socket.end(status(404, 'Not Found', { 'content-length': 0 }));
      return;
    }
    const half = Math.floor(body.byteLength / 2);
    const head = (length?: number, extra: Record<string, string> = {}) =>
      status(200, 'OK', {
        'content-type': 'application/octet-stream',
        ...(length === undefined ? {} : { 'content-length': length }),
        ...extra,
      });
    switch (fault) {
      case 'hang':
        return;
      case 'error':
        socket.end(status(500, 'Internal Server Error', { 'content-length': 0 }));
        return;
      case 'ok': {
        socket.write(head(body.byteLength));
        let o = 0;
        const step = () => {
          if (socket.destroyed) return;
          if (o >= body.byteLength) return void socket.end();
          socket.write(body.subarray(o, o + 16_384));
          o += 16_384;
          setImmediate(step);
        };
        step();
        return;
      }
      case 'stall':
        socket.write(head(body.byteLength));
        socket.write(body.subarray(0, half));
        return;
      case 'reset':
        socket.write(head(body.byteLength));
        socket.write(body.subarray(0, half), () => later(20, () => socket.resetAndDestroy()));
        return;
      case 'truncate':
        socket.write(head(body.byteLength));
        socket.end(body.subarray(0, half));
        return;
      case 'lie-long':
        socket.write(head(body.byteLength + 1000));
        socket.end(body);
        return;
      case 'lie-short':
        socket.write(head(half));
        socket.end(body);
        return;
      case 'short-chunked':
        socket.write(head(undefined, { 'transfer-encoding': 'chunked' }));
        socket.write(`${half.toString(16)}\r\n`);
        socket.write(body.subarray(0, half));
        socket.end('\r\n0\r\n\r\n');
        return;
      case 'too-long':
        socket.write(head());
        socket.write(body);
        socket.end(new Uint8Array(1000).fill(7));
        return;
      case 'slow': {
        socket.write(head(body.byteLength));
        let o = 0;
        const step = () => {
          if (socket.destroyed) return;
          if (o >= body.byteLength) return void socket.end();
          socket.write(body.subarray(o, o + 1024));
          o += 1024;
          later(50, step);
        };
        step();
        return;
      }
    }
  };

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      const target = head.split(' ')[1] ?? '/';
      const [fault, ...rest] = decodeURIComponent(target.split('?')[0] ?? '')
        .replace(/^\/+/, '')
        .split('/');
      const key = rest.join('/');
      requests.push(`${fault}/${key}`);
      answer(socket, fault as Fault, key);
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    baseUrl: (fault) => `${url}${fault}/`,
    requests,
    serve(key, bytes) {
      files.set(key.replace(/^\/+/, ''), bytes);
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
