import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AbortedError, configure, decodeImage, InputError, resetConfig, TimeoutError } from '../src/index.js';
import { classifyInputUrl } from '../src/input/remote.js';

// A local server on 127.0.0.1 that answers well, never answers, streams forever or lies.
let server: Server;
let base: string;
let png: Buffer;
const sockets = new Set<Socket>();
const requests: string[] = [];
/** Bytes written by /endless responses, and whether the client went away. */
const endless = { sent: 0, closed: false };

function route(req: IncomingMessage, res: ServerResponse): void {
  requests.push(req.url ?? '');
  const path = (req.url ?? '').split('?')[0];
  if (path === '/ok.png') {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.byteLength });
    res.end(png);
  } else if (path === '/hang') {
    // Accept, read the request, never answer.
  } else if (path === '/stall') {
    // Headers and a few bytes, then nothing.
    res.writeHead(200, { 'content-type': 'image/png' });
    res.write(png.subarray(0, 10));
  } else if (path === '/endless') {
    // A huge body, served slowly, without Content-Length: 64 KiB every 2 ms until the client leaves.
    res.writeHead(200, { 'content-type': 'image/png' });
    const chunk = Buffer.alloc(64 * 1024, 7);
    const timer = setInterval(() => {
      if (res.destroyed) return;
      endless.sent += chunk.byteLength;
      res.write(chunk);
    }, 2);
    res.on('close', () => {
      endless.closed = true;
      clearInterval(timer);
    });
  } else if (path === '/declared-huge') {
    // Says 600 MB, then sends slowly.
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': 600 * 1024 * 1024 });
    const timer = setInterval(() => res.write(Buffer.alloc(1024)), 20);
    res.on('close', () => clearInterval(timer));
  } else {
    res.writeHead(404);
    res.end('not found');
  }
}

beforeAll(async () => {
  png = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#ff0000' } })
    .png()
    .toBuffer();
  server = createServer(route);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => resetConfig());

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('remote image inputs in Node', () => {
  it('refuses an http(s) URL at once by default, without any request', async () => {
    const before = requests.length;
    const error = await failure(decodeImage(`${base}/ok.png`));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/allowRemoteInputs: true/);
    expect((error as Error).message).toMatch(/never fetches/);
    await expect(decodeImage('https://example.invalid/cat.jpg')).rejects.toBeInstanceOf(InputError);
    expect(requests.length).toBe(before);
  });

  it('fetches when allowed by configure() or per call', async () => {
    configure({ allowRemoteInputs: true });
    const a = await decodeImage(`${base}/ok.png`);
    expect([a.width, a.height]).toEqual([8, 6]);
    resetConfig();
    const b = await decodeImage(`${base}/ok.png`, { allowRemote: true });
    expect(Array.from(b.data.subarray(0, 3))).toEqual([255, 0, 0]);
  });

  it('a per-call allowRemote: false wins over configure()', async () => {
    configure({ allowRemoteInputs: true });
    await expect(decodeImage(`${base}/ok.png`, { allowRemote: false })).rejects.toBeInstanceOf(InputError);
  });

  it('honours the AbortSignal on a server that never answers', { timeout: 5000 }, async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(
      decodeImage(`${base}/hang`, { allowRemote: true, signal: controller.signal }),
    );
    expect(error).toBeInstanceOf(AbortedError);
  });

  it('rejects with AbortedError at once when the signal has already fired', async () => {
    const before = requests.length;
    const error = await failure(
      decodeImage(`${base}/ok.png`, { allowRemote: true, signal: AbortSignal.abort() }),
    );
    expect(error).toBeInstanceOf(AbortedError);
    expect(requests.length).toBe(before);
  });

  it('times out on a server that never answers, or stalls mid-body', { timeout: 5000 }, async () => {
    configure({ allowRemoteInputs: true, remoteInputTimeout: 200 });
    const hang = await failure(decodeImage(`${base}/hang`));
    expect(hang).toBeInstanceOf(TimeoutError);
    expect((hang as Error).message).toMatch(/200 ms/);
    const stall = await failure(decodeImage(`${base}/stall`, { timeout: 150 }));
    expect(stall).toBeInstanceOf(TimeoutError);
  });

  it('stops reading a huge slow body once it passes the byte limit', { timeout: 5000 }, async () => {
    endless.sent = 0;
    endless.closed = false;
    const error = await failure(decodeImage(`${base}/endless`, { allowRemote: true, maxBytes: 1024 * 1024 }));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/passed the 1048576 bytes allowed/);
    // The connection is dropped: the server stops soon after the limit.
    await expect.poll(() => endless.closed, { timeout: 2000 }).toBe(true);
    expect(endless.sent).toBeLessThan(16 * 1024 * 1024);
  });

  it('refuses a declared Content-Length over the limit before reading the body', {
    timeout: 5000,
  }, async () => {
    configure({ allowRemoteInputs: true, remoteInputMaxBytes: 10 * 1024 * 1024 });
    const error = await failure(decodeImage(`${base}/declared-huge`));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(
      /declares 629145600 bytes, more than the 10485760 bytes allowed/,
    );
  });

  it('turns an HTTP error or a refused connection into InputError', async () => {
    const notFound = await failure(decodeImage(`${base}/missing.png`, { allowRemote: true }));
    expect(notFound).toBeInstanceOf(InputError);
    expect((notFound as Error).message).toMatch(/HTTP 404/);
    const refused = await failure(decodeImage('http://127.0.0.1:1/x.png', { allowRemote: true }));
    expect(refused).toBeInstanceOf(InputError);
  });

  it('decodes a data: URL without opting in (it is not network)', async () => {
    const img = await decodeImage(`data:image/png;base64,${png.toString('base64')}`);
    expect([img.width, img.height]).toEqual([8, 6]);
  });

  it('decodes a blob: URL without opting in', async () => {
    const url = URL.createObjectURL(new Blob([new Uint8Array(png)], { type: 'image/png' }));
    const img = await decodeImage(url);
    expect([img.width, img.height]).toEqual([8, 6]);
    URL.revokeObjectURL(url);
  });

  it('rejects bad remote options with OptionsError', () => {
    expect(() => configure({ remoteInputTimeout: -1 })).toThrow(/remoteInputTimeout/);
    expect(() => configure({ remoteInputMaxBytes: 0 })).toThrow(/remoteInputMaxBytes/);
    expect(() => configure({ allowRemoteInputs: 'yes' as never })).toThrow(/allowRemoteInputs/);
    expect(() => configure({ maxImagePixels: Number.NaN })).toThrow(/maxImagePixels/);
  });
});

describe('which URL strings count as remote', () => {
  it('in Node every http(s) URL is remote; data: and blob: are not', () => {
    expect(classifyInputUrl('http://127.0.0.1/a.png', undefined)).toBe('remote');
    expect(classifyInputUrl('https://example.com/a.png', undefined)).toBe('remote');
    expect(classifyInputUrl('data:image/png;base64,AAAA', undefined)).toBe('local');
    expect(classifyInputUrl('blob:nodedata:1234', undefined)).toBe('local');
  });

  it('in a page, same-origin (and relative) URLs, blob: and data: are local; other origins are remote', () => {
    const page = 'https://app.example.com/demo/index.html';
    expect(classifyInputUrl('/images/cat.jpg', page)).toBe('local');
    expect(classifyInputUrl('cat.jpg', page)).toBe('local');
    expect(classifyInputUrl('https://app.example.com/x.png', page)).toBe('local');
    expect(classifyInputUrl('blob:https://app.example.com/8c1f', page)).toBe('local');
    expect(classifyInputUrl('data:image/png;base64,AAAA', page)).toBe('local');
    expect(classifyInputUrl('https://cdn.example.net/x.png', page)).toBe('remote');
    expect(classifyInputUrl('http://app.example.com/x.png', page)).toBe('remote'); // other scheme, other origin
    expect(classifyInputUrl('//cdn.example.net/x.png', page)).toBe('remote');
  });
});
