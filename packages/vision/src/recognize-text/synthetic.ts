import { type ImagePixels, warpAffine } from '@ondevice/core';

/**
 * A page turned by `degrees` (clockwise on screen) about its centre on a canvas large enough to
 * hold it, the corners filled with `fill`: how a tilted photo of a page looks to the detector.
 * Used by tests and benchmarks to make tilted pages from upright scans.
 *
 * @example
 * ```ts
 * const tilted = rotatePage(await decodeImage('page.png'), 8);
 * ```
 */
export function rotatePage(src: ImagePixels, degrees: number, fill = 255): ImagePixels {
  const a = (degrees * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  const W = Math.ceil(Math.abs(src.width * c) + Math.abs(src.height * s));
  const H = Math.ceil(Math.abs(src.width * s) + Math.abs(src.height * c));
  // Output → source: rotate back by -a about the centres.
  const m: [number, number, number, number, number, number] = [
    c,
    s,
    src.width / 2 - c * (W / 2) - s * (H / 2),
    -s,
    c,
    src.height / 2 + s * (W / 2) - c * (H / 2),
  ];
  return warpAffine(src, m, W, H, fill);
}

/**
 * Uneven light as in a phone photo: the page darkened towards one corner (to `1 - strength` of
 * its brightness) and a little blur-free noise from a fixed seed.
 *
 * @example
 * ```ts
 * const photo = unevenLight(pixels, 0.6);
 * ```
 */
export function unevenLight(src: ImagePixels, strength: number, seed = 1): ImagePixels {
  const out = new Uint8Array(src.data.length);
  let state = seed >>> 0 || 1;
  const rand = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const { width: W, height: H } = src;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const f = 1 - strength * ((x / W + y / H) / 2);
      const noise = (rand() - 0.5) * 24;
      for (let ch = 0; ch < 3; ch++) {
        const i = (y * W + x) * 3 + ch;
        out[i] = Math.max(0, Math.min(255, Math.round(src.data[i]! * f + noise)));
      }
    }
  }
  return { data: out, width: W, height: H, channels: 3 };
}
