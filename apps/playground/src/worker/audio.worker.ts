// The keyword page's task worker: keyword spotting runs here, off the page's main thread. Clips
// arrive as WAV bytes (transferred); the microphone's samples come straight from an AudioWorklet
// through a MessagePort, so they never pass through the page's main thread either.
import { type ModelProgress, type ModelSpec, prefetchModel } from '@ondevice/core';
import {
  type BuiltinKeyword,
  configure,
  createKeywordSpotter,
  type KeywordDetection,
  type KeywordSpotter,
} from '@ondevice/audio';
import { type HandlerContext, serve } from '@ondevice/core/worker';

configure({ modelBaseUrl: '/models/', allowRemoteModels: true, wasmBaseUrl: '/wasm/' });

/** Progress events of `spot` and `listen`: score steps (batched) and detections. */
export type SpotEvent =
  | { kind: 'scores'; steps: { t: number; scores: Record<string, number> }[] }
  | { kind: 'detection'; detection: KeywordDetection }
  | { kind: 'lag'; seconds: number };

// One spotter per keyword set and sample rate; its onScores feeds whichever call is running.
const spotters = new Map<string, Promise<KeywordSpotter>>();
let onScores: (t: number, scores: Record<string, number>) => void = () => {};
let stopMic: (() => void) | undefined;

function spotter(
  keywords: BuiltinKeyword[],
  threshold: number,
  sampleRate = 16_000,
): Promise<KeywordSpotter> {
  const key = `${keywords.join(',')}@${sampleRate}`;
  let s = spotters.get(key);
  if (!s) {
    s = createKeywordSpotter({
      keywords,
      threshold,
      sampleRate,
      onScores: (t, scores) => onScores(t, scores),
    });
    spotters.set(key, s);
    s.catch(() => spotters.delete(key));
  }
  return s;
}

/** Batches score steps into one message per `every` steps (a 10 s clip is 125 steps). */
function batcher(ctx: HandlerContext, every: number) {
  let steps: { t: number; scores: Record<string, number> }[] = [];
  return {
    push(t: number, scores: Record<string, number>) {
      steps.push({ t, scores: { ...scores } });
      if (steps.length >= every) this.flush();
    },
    flush() {
      if (steps.length) ctx.progress({ kind: 'scores', steps } satisfies SpotEvent);
      steps = [];
    },
  };
}

const handlers = {
  /** Downloads (or finds in the cache) one model's files, with progress events. */
  async prefetch(spec: ModelSpec, ctx: HandlerContext): Promise<void> {
    await prefetchModel(spec, { onProgress: (p: ModelProgress) => ctx.progress(p), signal: ctx.signal });
  },

  async loadSpotter(arg: { keywords: BuiltinKeyword[]; threshold: number }): Promise<void> {
    await spotter(arg.keywords, arg.threshold);
  },

  /** Spots keywords in a WAV clip; every step's scores arrive as progress events. */
  async spot(
    arg: { keywords: BuiltinKeyword[]; threshold: number; wav: ArrayBuffer },
    ctx: HandlerContext,
  ): Promise<{ detections: KeywordDetection[]; ms: number }> {
    const s = await spotter(arg.keywords, arg.threshold);
    const batch = batcher(ctx, 25);
    onScores = (t, scores) => batch.push(t, scores);
    try {
      const t0 = performance.now();
      const detections = await s.spot(new Uint8Array(arg.wav), { signal: ctx.signal });
      batch.flush();
      return { detections, ms: performance.now() - t0 };
    } finally {
      onScores = () => {};
    }
  },

  /**
   * Spots keywords in the samples an AudioWorklet posts on `port` (mono Float32Array chunks at
   * `sampleRate`) until `stopListening`; scores, detections and the lag behind live audio arrive
   * as progress events. Resolves when stopped.
   */
  async listen(
    arg: { keywords: BuiltinKeyword[]; threshold: number; sampleRate: number; port: MessagePort },
    ctx: HandlerContext,
  ): Promise<{ steps: number }> {
    stopMic?.();
    const s = await spotter(arg.keywords, arg.threshold, arg.sampleRate);
    await s.reset();
    const batch = batcher(ctx, 3);
    let steps = 0;
    let received = 0;
    let processed = 0;
    onScores = (t, scores) => {
      steps++;
      batch.push(t, scores);
    };
    // Chunks are processed in order (audio is never dropped); process() queues them itself.
    arg.port.onmessage = (e: MessageEvent<Float32Array>) => {
      const n = e.data.length;
      received += n;
      s.process(e.data).then(
        (found) => {
          processed += n;
          for (const detection of found) ctx.progress({ kind: 'detection', detection } satisfies SpotEvent);
          batch.flush();
          // Audio heard but not yet processed: how far the spotter is behind the microphone.
          ctx.progress({ kind: 'lag', seconds: (received - processed) / arg.sampleRate } satisfies SpotEvent);
        },
        (error: unknown) => console.warn(error),
      );
    };
    await new Promise<void>((resolve) => {
      stopMic = resolve;
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    arg.port.onmessage = null;
    arg.port.close();
    onScores = () => {};
    stopMic = undefined;
    return { steps };
  },

  stopListening(): void {
    stopMic?.();
  },
};

/** What the audio worker serves (the page's `TaskWorker<AudioHandlers>`). */
export type AudioHandlers = typeof handlers;

serve(handlers);
