// An AudioWorklet processor that mixes its input to mono and posts it, in 1024-sample chunks, on
// the MessagePort the page hands it: the audio worker's, so samples skip the page's main thread.
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;

const CHUNK = 1024;

class MicTap extends AudioWorkletProcessor {
  private out: MessagePort | undefined;
  private buf = new Float32Array(CHUNK);
  private n = 0;
  private stopped = false;

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent<{ port?: MessagePort; stop?: boolean }>) => {
      if (e.data.port) this.out = e.data.port;
      if (e.data.stop) this.stopped = true;
    };
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.stopped) return false;
    const input = inputs[0];
    if (!this.out || !input?.length) return true;
    const first = input[0]!;
    for (let i = 0; i < first.length; i++) {
      let s = 0;
      for (const channel of input) s += channel[i]!;
      this.buf[this.n++] = s / input.length;
      if (this.n === CHUNK) {
        this.out.postMessage(this.buf, [this.buf.buffer]);
        this.buf = new Float32Array(CHUNK);
        this.n = 0;
      }
    }
    return true;
  }
}

registerProcessor('playground-mic-tap', MicTap);
