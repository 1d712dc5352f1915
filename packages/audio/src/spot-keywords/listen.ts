import { BackendUnavailableError, type DomType } from '@ondevice/core';

/**
 * Options of `spotter.listen()`.
 *
 * @example
 * ```ts
 * const stop = await spotter.listen(mic, onDetection, { audioContext: new AudioContext({ sampleRate: 16000 }) });
 * ```
 */
export interface ListenOptions {
  /** An AudioContext to use (it is left open on stop). Default: a new one, closed on stop. */
  audioContext?: DomType<'AudioContext'>;
  /** Called when processing a chunk fails (the listening goes on). Default: `console.error`. */
  onError?: (error: unknown) => void;
}

/** Samples per message from the audio thread (≈ 21 ms at 48 kHz). */
const CHUNK = 1024;

// The AudioWorklet processor: mixes the input to mono and posts it in CHUNK-sample messages.
const WORKLET_SOURCE = `
class OndeviceKeywordTap extends AudioWorkletProcessor {
  constructor() {
    super();
    this.buf = new Float32Array(${CHUNK});
    this.n = 0;
    this.stopped = false;
    this.port.onmessage = (e) => { if (e.data === 'stop') this.stopped = true; };
  }
  process(inputs) {
    if (this.stopped) return false;
    const input = inputs[0];
    if (input && input.length) {
      const k = input.length;
      const first = input[0];
      for (let i = 0; i < first.length; i++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += input[c][i];
        this.buf[this.n++] = s / k;
        if (this.n === this.buf.length) {
          this.port.postMessage(this.buf, [this.buf.buffer]);
          this.buf = new Float32Array(${CHUNK});
          this.n = 0;
        }
      }
    }
    return true;
  }
}
registerProcessor('ondevice-keyword-tap', OndeviceKeywordTap);
`;

/**
 * Taps a MediaStream's audio through an AudioWorklet and hands mono chunks to `onChunk` on the
 * main thread. Resolves to the context's sample rate and a stop function.
 *
 * @example
 * ```ts
 * const { sampleRate, stop } = await tapMediaStream(stream, (chunk) => spotter.process(chunk));
 * ```
 */
export async function tapMediaStream(
  stream: DomType<'MediaStream'>,
  onChunk: (samples: Float32Array) => void,
  options: Pick<ListenOptions, 'audioContext'> = {},
): Promise<{ sampleRate: number; stop: () => Promise<void> }> {
  const g = globalThis as unknown as {
    AudioContext?: typeof AudioContext;
    AudioWorkletNode?: typeof AudioWorkletNode;
  };
  if (!g.AudioWorkletNode || (!options.audioContext && !g.AudioContext)) {
    throw new BackendUnavailableError(
      'listen() needs a browser with AudioWorklet; in Node, feed samples to process() instead.',
    );
  }
  const ctx = options.audioContext ?? new g.AudioContext!();
  const own = !options.audioContext;
  const url = URL.createObjectURL(new Blob([WORKLET_SOURCE], { type: 'text/javascript' }));
  try {
    await ctx.audioWorklet.addModule(url);
  } finally {
    URL.revokeObjectURL(url);
  }
  const source = ctx.createMediaStreamSource(stream);
  const node = new g.AudioWorkletNode(ctx, 'ondevice-keyword-tap', {
    numberOfInputs: 1,
    numberOfOutputs: 1,
    outputChannelCount: [1],
  });
  node.port.onmessage = (e: MessageEvent<Float32Array>) => onChunk(e.data);
  source.connect(node);
  // Some browsers only pull nodes that reach the destination; the tap outputs silence.
  node.connect(ctx.destination);
  if (ctx.state === 'suspended') await ctx.resume().catch(() => undefined);
  let stopped = false;
  return {
    sampleRate: ctx.sampleRate,
    async stop() {
      if (stopped) return;
      stopped = true;
      node.port.postMessage('stop');
      node.port.onmessage = null;
      source.disconnect();
      node.disconnect();
      if (own) await ctx.close().catch(() => undefined);
    },
  };
}
