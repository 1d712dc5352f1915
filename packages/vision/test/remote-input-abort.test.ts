// With remote inputs allowed, a call's AbortSignal stops the fetch of its URL input: a server that
// accepts and never answers must not hold the call until the remote-input timeout (30 s).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AbortedError, configure, resetConfig } from '@ondevice/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceLandmarker, createObjectDetector, createTextRecognizer } from '../src/index.js';

let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer(() => {}); // accepts, never answers
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/photo.jpg`;
  configure({ allowRemoteInputs: true });
});
afterAll(async () => {
  resetConfig();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

/** Settles the call or says it hung for 5 s although its signal fired after 200 ms. */
async function settle(call: (signal: AbortSignal) => Promise<unknown>): Promise<unknown> {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 200);
  return Promise.race([
    call(controller.signal).then(
      () => 'resolved',
      (e: unknown) => e,
    ),
    new Promise((r) => setTimeout(() => r('hang'), 5_000)),
  ]);
}

describe('an aborted call stops fetching its remote input', () => {
  it('detectObjects', async () => {
    const d = await createObjectDetector();
    expect(await settle((signal) => d.detect(url, { signal }))).toBeInstanceOf(AbortedError);
    d.dispose();
  });
  it('detectFaceLandmarks', async () => {
    const f = await createFaceLandmarker();
    expect(await settle((signal) => f.detect(url, { signal }))).toBeInstanceOf(AbortedError);
    f.dispose();
  });
  it('recognizeText', async () => {
    const r = await createTextRecognizer({ engine: 'ppocr' });
    expect(await settle((signal) => r.recognize(url, { signal }))).toBeInstanceOf(AbortedError);
    await r.dispose();
  });
});
