/**
 * A small keyword classifier on the speech embedding, trained in plain TypeScript (no ML runtime):
 * each of the window's embeddings is normalised and projected by one shared layer
 * (96 → `projection`, ReLU), the projections are concatenated (windowSize × projection) and go
 * through one hidden layer (ReLU) to one logistic output. About 3,000 weights for a 16-embedding
 * window, so a head is a few tens of KB as JSON and trains in seconds with Adam.
 */

/** Serialisable weights of a {@link MlpHead}; every array is row-major. */
export interface MlpWeights {
  /** Embeddings per window (16 ≈ 2 s of audio). */
  windowSize: number;
  /** Values per embedding (96). */
  embeddingSize: number;
  /** Width of the shared per-embedding projection. */
  projection: number;
  /** Width of the hidden layer. */
  hidden: number;
  /** Per-dimension mean and standard deviation used to normalise each embedding. */
  mean: number[];
  std: number[];
  /** projection × embeddingSize, then projection biases. */
  proj: number[];
  projBias: number[];
  /** hidden × (windowSize × projection), then hidden biases. */
  w1: number[];
  b1: number[];
  /** hidden output weights and the output bias. */
  w2: number[];
  b2: number;
}

/** Training settings of {@link trainMlp}. */
export interface MlpTrainOptions {
  projection?: number;
  hidden?: number;
  epochs?: number;
  learningRate?: number;
  batchSize?: number;
  /** L2 penalty on the weights. */
  weightDecay?: number;
  /** Weight of each positive sample relative to a negative one; default balances the classes. */
  positiveWeight?: number;
  seed?: number;
  /** Checked between epochs; return true to stop early. */
  shouldStop?: () => boolean;
}

/** A seeded uniform generator in [0, 1) (mulberry32), for reproducible training. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Runs a trained MLP; `predict` returns the keyword probability of one window. */
export class MlpHead {
  readonly w: MlpWeights;
  private readonly xn: Float32Array;
  private readonly u: Float32Array;
  private readonly h: Float32Array;
  private readonly invStd: Float32Array;

  constructor(weights: MlpWeights) {
    this.w = weights;
    const { windowSize: T, embeddingSize: E, projection: D, hidden: H } = weights;
    if (
      weights.mean.length !== E ||
      weights.std.length !== E ||
      weights.proj.length !== D * E ||
      weights.projBias.length !== D ||
      weights.w1.length !== H * T * D ||
      weights.b1.length !== H ||
      weights.w2.length !== H
    ) {
      throw new RangeError('The MLP weights do not match their stated sizes.');
    }
    this.xn = new Float32Array(T * E);
    this.u = new Float32Array(T * D);
    this.h = new Float32Array(H);
    this.invStd = Float32Array.from(weights.std, (s) => 1 / (s > 1e-6 ? s : 1));
  }

  /** The logit (pre-sigmoid score) of one `windowSize × embeddingSize` window. */
  logit(window: ArrayLike<number>, offset = 0): number {
    const {
      windowSize: T,
      embeddingSize: E,
      projection: D,
      hidden: H,
      mean,
      proj,
      projBias,
      w1,
      b1,
      w2,
    } = this.w;
    const { xn, u, h, invStd } = this;
    for (let t = 0; t < T; t++) {
      for (let e = 0; e < E; e++) xn[t * E + e] = (window[offset + t * E + e]! - mean[e]!) * invStd[e]!;
      for (let d = 0; d < D; d++) {
        let s = projBias[d]!;
        const pr = d * E;
        const xr = t * E;
        for (let e = 0; e < E; e++) s += proj[pr + e]! * xn[xr + e]!;
        u[t * D + d] = Math.max(s, 0);
      }
    }
    const K = T * D;
    let out = this.w.b2;
    for (let j = 0; j < H; j++) {
      let s = b1[j]!;
      const r = j * K;
      for (let k = 0; k < K; k++) s += w1[r + k]! * u[k]!;
      h[j] = Math.max(s, 0);
      out += w2[j]! * h[j]!;
    }
    return out;
  }

  /** The keyword probability of one window, in [0, 1]. */
  predict(window: ArrayLike<number>, offset = 0): number {
    return 1 / (1 + Math.exp(-this.logit(window, offset)));
  }
}

/**
 * Trains an {@link MlpHead} with Adam on labelled windows (binary cross-entropy).
 *
 * @param windows - `count × windowSize × embeddingSize` values, one window after another.
 * @param labels - 1 for keyword, 0 for not, one per window.
 */
export function trainMlp(
  windows: Float32Array,
  labels: ArrayLike<number>,
  shape: { windowSize: number; embeddingSize: number },
  options: MlpTrainOptions = {},
): MlpWeights {
  const T = shape.windowSize;
  const E = shape.embeddingSize;
  const D = options.projection ?? 8;
  const H = options.hidden ?? 16;
  const N = labels.length;
  if (windows.length !== N * T * E) throw new RangeError('windows must hold labels.length windows.');
  const epochs = options.epochs ?? 30;
  const lr = options.learningRate ?? 2e-3;
  const batch = options.batchSize ?? 64;
  const decay = options.weightDecay ?? 1e-4;
  const rand = seededRandom(options.seed ?? 1);
  let positives = 0;
  for (let i = 0; i < N; i++) positives += labels[i]! > 0.5 ? 1 : 0;
  const posWeight = options.positiveWeight ?? (positives > 0 ? Math.max(1, (N - positives) / positives) : 1);

  // Per-dimension normalisation from all windows' embeddings.
  const mean = new Float64Array(E);
  const sq = new Float64Array(E);
  const rows = N * T;
  for (let r = 0; r < rows; r++) {
    for (let e = 0; e < E; e++) {
      const v = windows[r * E + e]!;
      mean[e]! += v;
      sq[e]! += v * v;
    }
  }
  const meanArr: number[] = [];
  const stdArr: number[] = [];
  for (let e = 0; e < E; e++) {
    const m = mean[e]! / Math.max(rows, 1);
    meanArr.push(m);
    stdArr.push(Math.sqrt(Math.max(sq[e]! / Math.max(rows, 1) - m * m, 1e-8)));
  }

  const K = T * D;
  const params = {
    proj: Float32Array.from({ length: D * E }, () => gaussian(rand) * Math.sqrt(2 / E)),
    projBias: new Float32Array(D),
    w1: Float32Array.from({ length: H * K }, () => gaussian(rand) * Math.sqrt(2 / K)),
    b1: new Float32Array(H),
    w2: Float32Array.from({ length: H }, () => gaussian(rand) * Math.sqrt(1 / H)),
    b2: new Float32Array(1),
  };
  const names = Object.keys(params) as (keyof typeof params)[];
  const grads = Object.fromEntries(names.map((n) => [n, new Float32Array(params[n].length)])) as Record<
    keyof typeof params,
    Float32Array
  >;
  const m1 = Object.fromEntries(names.map((n) => [n, new Float32Array(params[n].length)])) as Record<
    keyof typeof params,
    Float32Array
  >;
  const m2 = Object.fromEntries(names.map((n) => [n, new Float32Array(params[n].length)])) as Record<
    keyof typeof params,
    Float32Array
  >;

  const invStd = Float32Array.from(stdArr, (s) => 1 / s);
  const xn = new Float32Array(T * E);
  const u = new Float32Array(K);
  const h = new Float32Array(H);
  const dh = new Float32Array(H);
  const du = new Float32Array(K);
  const order = Array.from({ length: N }, (_, i) => i);
  const beta1 = 0.9;
  const beta2 = 0.999;
  let step = 0;

  for (let epoch = 0; epoch < epochs; epoch++) {
    if (options.shouldStop?.()) break;
    for (let i = N - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    for (let start = 0; start < N; start += batch) {
      const end = Math.min(N, start + batch);
      for (const n of names) grads[n].fill(0);
      let wsum = 0;
      for (let b = start; b < end; b++) {
        const idx = order[b]!;
        const off = idx * T * E;
        const y = labels[idx]!;
        const weight = y > 0.5 ? posWeight : 1;
        wsum += weight;
        // forward
        for (let t = 0; t < T; t++) {
          for (let e = 0; e < E; e++) xn[t * E + e] = (windows[off + t * E + e]! - meanArr[e]!) * invStd[e]!;
          for (let d = 0; d < D; d++) {
            let s = params.projBias[d]!;
            const pr = d * E;
            const xr = t * E;
            for (let e = 0; e < E; e++) s += params.proj[pr + e]! * xn[xr + e]!;
            u[t * D + d] = Math.max(s, 0);
          }
        }
        let out = params.b2[0]!;
        for (let j = 0; j < H; j++) {
          let s = params.b1[j]!;
          const r = j * K;
          for (let k = 0; k < K; k++) s += params.w1[r + k]! * u[k]!;
          h[j] = Math.max(s, 0);
          out += params.w2[j]! * h[j]!;
        }
        const p = 1 / (1 + Math.exp(-out));
        const g = (p - y) * weight;
        // backward
        grads.b2[0]! += g;
        for (let j = 0; j < H; j++) {
          grads.w2[j]! += g * h[j]!;
          dh[j] = h[j]! > 0 ? g * params.w2[j]! : 0;
        }
        du.fill(0);
        for (let j = 0; j < H; j++) {
          const gj = dh[j]!;
          if (gj === 0) continue;
          grads.b1[j]! += gj;
          const r = j * K;
          for (let k = 0; k < K; k++) {
            grads.w1[r + k]! += gj * u[k]!;
            du[k]! += gj * params.w1[r + k]!;
          }
        }
        for (let t = 0; t < T; t++) {
          for (let d = 0; d < D; d++) {
            const k = t * D + d;
            if (u[k]! <= 0) continue;
            const gk = du[k]!;
            if (gk === 0) continue;
            grads.projBias[d]! += gk;
            const pr = d * E;
            const xr = t * E;
            for (let e = 0; e < E; e++) grads.proj[pr + e]! += gk * xn[xr + e]!;
          }
        }
      }
      // Adam
      step++;
      const c1 = 1 - beta1 ** step;
      const c2 = 1 - beta2 ** step;
      for (const n of names) {
        const P = params[n];
        const G = grads[n];
        const A = m1[n];
        const B = m2[n];
        const isBias = n === 'projBias' || n === 'b1' || n === 'b2';
        for (let i = 0; i < P.length; i++) {
          const gi = G[i]! / wsum + (isBias ? 0 : decay * P[i]!);
          A[i] = beta1 * A[i]! + (1 - beta1) * gi;
          B[i] = beta2 * B[i]! + (1 - beta2) * gi * gi;
          P[i]! -= (lr * (A[i]! / c1)) / (Math.sqrt(B[i]! / c2) + 1e-8);
        }
      }
    }
  }
  return {
    windowSize: T,
    embeddingSize: E,
    projection: D,
    hidden: H,
    mean: meanArr,
    std: stdArr,
    proj: Array.from(params.proj),
    projBias: Array.from(params.projBias),
    w1: Array.from(params.w1),
    b1: Array.from(params.b1),
    w2: Array.from(params.w2),
    b2: params.b2[0]!,
  };
}
