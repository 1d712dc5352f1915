// listen() with a stand-in for the browser's Web Audio objects: checks the wiring (worklet module,
// MediaStream source, chunks to the spotter at the context's rate, stop) without a browser.
import { afterEach, describe, expect, it } from 'vitest';
import { createKeywordSpotter, type KeywordDetection, type KeywordHead } from '../src/index.js';

class FakePort {
  onmessage: ((e: MessageEvent<Float32Array>) => void) | null = null;
  sent: unknown[] = [];
  postMessage(m: unknown) {
    this.sent.push(m);
  }
}
const log: string[] = [];
class FakeNode {
  port = new FakePort();
  constructor(
    readonly ctx: FakeContext,
    readonly name: string,
  ) {
    ctx.nodes.push(this);
  }
  connect() {
    log.push('node.connect');
  }
  disconnect() {
    log.push('node.disconnect');
  }
}
class FakeContext {
  sampleRate = 48000;
  state = 'running';
  nodes: FakeNode[] = [];
  modules: string[] = [];
  audioWorklet = {
    addModule: async (url: string) => {
      this.modules.push(url);
    },
  };
  destination = {};
  createMediaStreamSource() {
    return {
      connect: () => log.push('source.connect'),
      disconnect: () => log.push('source.disconnect'),
    };
  }
  async resume() {}
  async close() {
    log.push('ctx.close');
  }
}

const g = globalThis as Record<string, unknown>;
afterEach(() => {
  delete g.AudioContext;
  delete g.AudioWorkletNode;
  log.length = 0;
});

describe('listen()', () => {
  it('feeds worklet chunks at the context rate and reports detections until stopped', async () => {
    let ctx: FakeContext | undefined;
    g.AudioContext = class extends FakeContext {
      constructor() {
        super();
        ctx = this;
      }
    };
    g.AudioWorkletNode = FakeNode;
    const head: KeywordHead = { labels: ['always'], windowSize: 16, predict: () => [0.9] };
    const spotter = await createKeywordSpotter({ keywords: [head] });
    const got: KeywordDetection[] = [];
    const stop = await spotter.listen({} as MediaStream, (d) => got.push(d));
    expect(ctx!.modules.length).toBe(1);
    const node = ctx!.nodes[0]!;
    expect(node.name).toBe('ondevice-keyword-tap');
    // 1.2 s of 48 kHz audio in 1024-sample messages, as the worklet posts them.
    for (let i = 0; i < 57; i++) node.port.onmessage?.({ data: new Float32Array(1024) } as MessageEvent);
    await spotter.reset(); // waits for the queued chunks
    expect(got).toEqual([{ keyword: 'always', score: 0.9, startTime: 0, endTime: 0.08 }]);
    await stop();
    expect(node.port.sent).toContain('stop');
    expect(log).toEqual(
      expect.arrayContaining(['source.connect', 'source.disconnect', 'node.disconnect', 'ctx.close']),
    );
    await spotter.dispose();
  });
});
