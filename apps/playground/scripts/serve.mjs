#!/usr/bin/env node
// A small static server for the built playground (dist/) with the MIME types browsers need
// (application/wasm for .wasm, text/javascript for .mjs). Used by the end-to-end tests; also
// `pnpm run serve [port]` to try the built app. Binds 127.0.0.1 only.
// Revisits stay cheap: every response has an ETag (a matching If-None-Match gets 304 and no body),
// Vite's content-hashed /assets/ are cached for a year, everything else is revalidated, and text,
// JavaScript and WASM go gzip-compressed to clients that accept it (compressed once per file version).
// Every response also carries COOP/COEP (and CORP for the server's own files), so pages are
// cross-origin isolated: SharedArrayBuffer exists and onnxruntime-web / tfjs can run WASM threads.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.wav': 'audio/wav',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.gz': 'application/gzip',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
};

// Worth compressing: text, JavaScript, WASM and JSON. Images and audio are compressed already.
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.svg', '.txt', '.md']);
/**
 * Cross-origin isolation: COOP `same-origin` and COEP `require-corp` make `crossOriginIsolated`
 * true (SharedArrayBuffer, so WASM threads); CORP `same-origin` lets this server's own files load
 * under that COEP (and keeps other origins from embedding them).
 */
export const ISOLATION_HEADERS = Object.freeze({
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
});

/** path → { etag, bytes }: each file is gzipped once per version (size and mtime). */
const gzipped = new Map();

function gzipOf(path, etag) {
  const hit = gzipped.get(path);
  if (hit?.etag === etag) return hit.bytes;
  const bytes = gzipSync(readFileSync(path), { level: 6 });
  gzipped.set(path, { etag, bytes });
  return bytes;
}

/**
 * Serves `root` on 127.0.0.1. Resolves to `{ url, close() }` once listening (port 0 = any free port).
 * @param {{ root: string, port?: number }} options
 */
export function startServer({ root, port = 0 }) {
  const base = resolve(root);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let path = normalize(join(base, decodeURIComponent(url.pathname)));
    if (path !== base && !path.startsWith(base + sep)) {
      res.writeHead(403, ISOLATION_HEADERS).end();
      return;
    }
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
    if (!existsSync(path)) {
      res.writeHead(404, { ...ISOLATION_HEADERS, 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const info = statSync(path);
    const ext = extname(path).toLowerCase();
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const headers = {
      ...ISOLATION_HEADERS,
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      etag,
      // Vite names /assets/ files by their content hash; everything else may change in place.
      'cache-control': url.pathname.startsWith('/assets/')
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
      vary: 'accept-encoding',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
    const gzip = COMPRESSIBLE.has(ext) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzip) {
      const bytes = gzipOf(path, etag);
      res.writeHead(200, { ...headers, 'content-encoding': 'gzip', 'content-length': bytes.byteLength });
      res.end(req.method === 'HEAD' ? undefined : bytes);
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': info.size });
    if (req.method === 'HEAD') res.end();
    else createReadStream(path).pipe(res);
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address();
      done({
        url: `http://127.0.0.1:${actual}`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(fileURLToPath(new URL('../dist', import.meta.url)));
  const { url } = await startServer({ root, port: Number(process.argv[2] ?? 4173) });
  console.log(`playground: ${url}/`);
}
