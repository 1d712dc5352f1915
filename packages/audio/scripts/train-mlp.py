#!/usr/bin/env python3
"""The keyword MLP of src/custom-keywords/mlp.ts (`trainMlp`), trained with numpy.

Same model, loss and optimiser as the TypeScript trainer — per-dimension normalisation from the
data, a shared projection E -> D (ReLU) of every embedding, the T x D projections concatenated
(index t * D + d), one hidden layer (ReLU), one logistic output; binary cross-entropy with
positives weighted, Adam (0.9, 0.999, eps 1e-8) with L2 weight decay on the non-bias weights,
batches of 64 — but with batched matrix products, so it is tens of times faster than the
per-window loops of the TypeScript one on a loaded machine. Only numpy is needed (Debian's
python3-numpy). train-keyword.mjs calls it with `--trainer numpy`.

  python3 scripts/train-mlp.py windows.f32 labels.u8 T E out.json [epochs seed posWeight D H]
"""
import json
import sys

import numpy as np


def main() -> None:
    wpath, lpath, T, E, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    epochs = int(sys.argv[6]) if len(sys.argv) > 6 else 20
    seed = int(sys.argv[7]) if len(sys.argv) > 7 else 1
    pos_weight = float(sys.argv[8]) if len(sys.argv) > 8 else 4.0
    D = int(sys.argv[9]) if len(sys.argv) > 9 else 8
    H = int(sys.argv[10]) if len(sys.argv) > 10 else 16
    lr, batch, decay = 2e-3, 64, 1e-4
    y = np.fromfile(lpath, dtype=np.uint8).astype(np.float32)
    N = y.shape[0]
    X = np.fromfile(wpath, dtype=np.float32).reshape(N, T, E)
    rows = X.reshape(-1, E).astype(np.float64)
    mean = rows.mean(axis=0)
    std = np.sqrt(np.maximum((rows * rows).mean(axis=0) - mean * mean, 1e-8))
    del rows
    Xn = ((X - mean.astype(np.float32)) / std.astype(np.float32)).astype(np.float32)
    del X
    rng = np.random.default_rng(seed)
    K = T * D
    p = {
        'proj': (rng.standard_normal((D, E)) * np.sqrt(2 / E)).astype(np.float32),
        'projBias': np.zeros(D, np.float32),
        'w1': (rng.standard_normal((H, K)) * np.sqrt(2 / K)).astype(np.float32),
        'b1': np.zeros(H, np.float32),
        'w2': (rng.standard_normal(H) * np.sqrt(1 / H)).astype(np.float32),
        'b2': np.zeros(1, np.float32),
    }
    m1 = {k: np.zeros_like(v) for k, v in p.items()}
    m2 = {k: np.zeros_like(v) for k, v in p.items()}
    weight_of = np.where(y > 0.5, pos_weight, 1.0).astype(np.float32)
    step = 0
    for epoch in range(epochs):
        order = rng.permutation(N)
        loss = 0.0
        for start in range(0, N, batch):
            idx = order[start : start + batch]
            x = Xn[idx]  # B, T, E
            yy = y[idx]
            w = weight_of[idx]
            B = x.shape[0]
            a = x.reshape(-1, E) @ p['proj'].T + p['projBias']  # B*T, D
            u = np.maximum(a, 0).reshape(B, K)
            hpre = u @ p['w1'].T + p['b1']
            h = np.maximum(hpre, 0)
            o = h @ p['w2'] + p['b2'][0]
            pr = 1 / (1 + np.exp(-np.clip(o, -40, 40)))
            loss += float(-(w * (yy * np.log(pr + 1e-7) + (1 - yy) * np.log(1 - pr + 1e-7))).sum())
            g = (pr - yy) * w / w.sum()
            grads = {'b2': np.array([g.sum()], np.float32), 'w2': h.T @ g}
            dh = np.outer(g, p['w2']) * (hpre > 0)
            grads['w1'] = dh.T @ u
            grads['b1'] = dh.sum(axis=0)
            du = (dh @ p['w1']).reshape(-1, D) * (a > 0)
            grads['proj'] = du.T @ x.reshape(-1, E)
            grads['projBias'] = du.sum(axis=0)
            step += 1
            c1 = 1 - 0.9**step
            c2 = 1 - 0.999**step
            for k in p:
                gk = grads[k].astype(np.float32)
                if k not in ('projBias', 'b1', 'b2'):
                    gk = gk + decay * p[k]
                m1[k] = 0.9 * m1[k] + 0.1 * gk
                m2[k] = 0.999 * m2[k] + 0.001 * gk * gk
                p[k] = p[k] - lr * (m1[k] / c1) / (np.sqrt(m2[k] / c2) + 1e-8)
        print(f'epoch {epoch + 1}/{epochs} loss {loss / N:.4f}', file=sys.stderr, flush=True)
    with open(out, 'w') as f:
        json.dump(
            {
                'windowSize': T,
                'embeddingSize': E,
                'projection': D,
                'hidden': H,
                'mean': mean.tolist(),
                'std': std.tolist(),
                'proj': p['proj'].reshape(-1).tolist(),
                'projBias': p['projBias'].tolist(),
                'w1': p['w1'].reshape(-1).tolist(),
                'b1': p['b1'].tolist(),
                'w2': p['w2'].tolist(),
                'b2': float(p['b2'][0]),
            },
            f,
        )


if __name__ == '__main__':
    main()
