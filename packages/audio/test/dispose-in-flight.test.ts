// Issue #16: every keyword-spotting call in flight or queued when dispose() runs must settle — with
// its result or a DisposedError, never a raw onnxruntime error, never a hang — and dispose() must
// not wait for a long clip to be processed to the end. Calls after dispose reject with DisposedError.
import { DisposedError } from '@ondevice/core';
import { type DisposeOutcome, settleOrDisposed } from '@ondevice/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeywordSpotter, enrollKeyword, type KeywordHead } from '../src/index.js';
import { createSpeechEmbedder } from '../src/internals.js';

const BOUND_MS = 20_000;
type Outcome = DisposeOutcome;

/** Settles a call within the bound: its result, a DisposedError, or a failure naming what came instead. */
const settle = (p: Promise<unknown>): Promise<Outcome> => settleOrDisposed(p, BOUND_MS);

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Seeded low noise at 16 kHz. */
function noise(seconds: number, seed = 1): Float32Array {
  const out = new Float32Array(Math.round(seconds * 16_000));
  let a = seed;
  for (let i = 0; i < out.length; i++) {
    a = (a * 1103515245 + 12345) >>> 0;
    out[i] = ((a / 2 ** 32) * 2 - 1) * 0.05;
  }
  return out;
}
const quietHead = (): KeywordHead => ({ labels: ['never'], windowSize: 16, predict: () => [0.01] });

describe('keyword spotter: dispose with calls in flight', () => {
  // 3750 steps: over a second of work even batched (issue #18: 30 s took ~0.15 s, and a clip done
  // before dispose() resolves instead of rejecting).
  const long = { samples: noise(300), sampleRate: 16_000 };
  it.each([
    ['synchronously after the calls', -1],
    ['after one tick', 0],
    ['after 20 ms', 20],
    ['after 200 ms', 200],
  ])('settles every call when disposed %s, cutting the clip in progress short', async (_, delay) => {
    const spotter = await createKeywordSpotter({ keywords: [quietHead()] });
    const calls = [
      spotter.spot(long),
      spotter.process(noise(2, 2)),
      spotter.spot(long),
      spotter.flush(),
      spotter.reset(),
    ];
    const settled = calls.map(settle);
    if (delay >= 0) await tick(delay);
    const disposing = settle(spotter.dispose());
    const late = [
      settle(spotter.process(noise(0.5))),
      settle(spotter.spot(long)),
      settle(spotter.flush()),
      settle(spotter.reset()),
    ];
    const outcomes = await Promise.all(settled);
    for (const o of outcomes) expect(['result', 'disposed']).toContain(o);
    // The 30 s clips are still being processed (or queued) at every stage: they stop instead of
    // running to the end, and what was queued behind them never starts.
    expect([outcomes[0], outcomes[2], outcomes[3], outcomes[4]]).toEqual([
      'disposed',
      'disposed',
      'disposed',
      'disposed',
    ]);
    expect(await disposing).toBe('result');
    expect(await Promise.all(late)).toEqual(['disposed', 'disposed', 'disposed', 'disposed']);
    expect(await settle(spotter.dispose())).toBe('result'); // twice is fine
  });

  it('keeps the results of calls that ended before dispose', async () => {
    const spotter = await createKeywordSpotter({ keywords: [quietHead()] });
    expect(await spotter.process(noise(1))).toEqual([]);
    await spotter.dispose();
    await expect(spotter.process(noise(1))).rejects.toBeInstanceOf(DisposedError);
  });
});

// A stand-in for the browser's Web Audio objects whose worklet module loads when the test says.
const log: string[] = [];
let releaseModule: () => void = () => undefined;
class FakePort {
  onmessage: ((e: MessageEvent<Float32Array>) => void) | null = null;
  sent: unknown[] = [];
  postMessage(m: unknown) {
    this.sent.push(m);
  }
}
class FakeNode {
  port = new FakePort();
  constructor(ctx: FakeContext) {
    ctx.nodes.push(this);
  }
  connect() {}
  disconnect() {
    log.push('node.disconnect');
  }
}
class FakeContext {
  sampleRate = 16_000;
  state = 'running';
  nodes: FakeNode[] = [];
  destination = {};
  audioWorklet = {
    addModule: () =>
      new Promise<void>((resolve) => {
        releaseModule = resolve;
      }),
  };
  createMediaStreamSource() {
    return { connect: () => undefined, disconnect: () => log.push('source.disconnect') };
  }
  async resume() {}
  async close() {
    log.push('ctx.close');
  }
}
const g = globalThis as Record<string, unknown>;
let ctx: FakeContext | undefined;

describe('keyword spotter: dispose while listening', () => {
  afterEach(() => {
    delete g.AudioContext;
    delete g.AudioWorkletNode;
    log.length = 0;
    ctx = undefined;
  });
  const install = () => {
    g.AudioContext = class extends FakeContext {
      constructor() {
        super();
        ctx = this;
      }
    };
    g.AudioWorkletNode = FakeNode;
  };

  it('rejects a listen() still starting with DisposedError and tears its tap down', async () => {
    install();
    const spotter = await createKeywordSpotter({ keywords: [quietHead()] });
    const listening = settle(spotter.listen({} as MediaStream, () => undefined));
    await tick(0);
    const disposing = settle(spotter.dispose());
    releaseModule();
    expect(await listening).toBe('disposed');
    expect(await disposing).toBe('result');
    expect(log).toEqual(expect.arrayContaining(['node.disconnect', 'ctx.close']));
  });

  it('stops a running tap on dispose; its chunks are no longer processed and stop() still resolves', async () => {
    install();
    const spotter = await createKeywordSpotter({ keywords: [quietHead()] });
    const errors: unknown[] = [];
    const starting = spotter.listen({} as MediaStream, () => undefined, { onError: (e) => errors.push(e) });
    await tick(0);
    releaseModule();
    const stop = await starting;
    const node = ctx!.nodes[0]!;
    for (let i = 0; i < 40; i++) node.port.onmessage?.({ data: new Float32Array(1024) } as MessageEvent);
    expect(await settle(spotter.dispose())).toBe('result');
    expect(node.port.sent).toContain('stop');
    expect(log).toEqual(expect.arrayContaining(['node.disconnect', 'ctx.close']));
    node.port.onmessage?.({ data: new Float32Array(1024) } as MessageEvent); // a late message
    expect(await settle(stop())).toBe('result');
    for (const e of errors) expect(e).toBeInstanceOf(DisposedError);
    await expect(spotter.listen({} as MediaStream, () => undefined)).rejects.toBeInstanceOf(DisposedError);
  });
});

describe('speech embedder and enrollKeyword: dispose with calls in flight', () => {
  it.each([
    ['synchronously after the calls', -1],
    ['after 20 ms', 20],
  ])('settles every embed when disposed %s', async (_, delay) => {
    const embedder = await createSpeechEmbedder();
    const clip = { samples: noise(100), sampleRate: 16_000 }; // ~0.4 s of work batched (issue #18)
    const settled = [embedder.embed(clip), embedder.embed(clip)].map(settle);
    if (delay >= 0) await tick(delay);
    const disposing = settle(embedder.dispose());
    const late = settle(embedder.embed(clip));
    expect(await Promise.all(settled)).toEqual(['disposed', 'disposed']);
    expect(await disposing).toBe('result');
    expect(await late).toBe('disposed');
  });

  it('rejects enrollKeyword with DisposedError when its embedder is disposed mid-enrolment', async () => {
    const embedder = await createSpeechEmbedder();
    const examples = [1, 2, 3].map((s) => ({ samples: noise(1, s), sampleRate: 16_000 }));
    const enrolling = settle(enrollKeyword({ name: 'test_word', examples }, { embedder }));
    await tick(20);
    await embedder.dispose();
    expect(await enrolling).toBe('disposed');
  });
});
