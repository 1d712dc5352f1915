#!/usr/bin/env node
// Makes the test clip for the live pages: a slow camera pan (and back) over a bundled COCO photo
// (public/samples/faces/000000009483.jpg, CC BY 2.0: a man, a monitor, a keyboard, a mouse, chairs),
// written as a Y4M file (YUV 4:2:0) that Chromium's fake camera plays in a loop:
//   chromium --use-fake-device-for-media-stream --use-file-for-fake-video-capture=clip.y4m
// Forward then back, so the loop has no jump: every object moves smoothly the whole time.
//   node scripts/make-clip.mjs [out.y4m]
import { mkdir, open } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeImage } from '@ondevice/core';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The clip the e2e tests use. */
export const CLIP = Object.freeze({
  photo: join(appDir, 'public/samples/faces/000000009483.jpg'),
  width: 640,
  height: 480,
  fps: 30,
  /** Seconds one way; the clip is twice as long (there and back). */
  seconds: 3,
  /** The crop window, as a fraction of the photo, and how far it travels (in photo pixels). */
  zoom: 0.8,
  travel: { x: 64, y: 40 },
});

/**
 * The live-text page's clip: the same kind of pan over tesseract.js's test page
 * (public/samples/ocr/tesseractjs_testocr.png, Apache-2.0), closer in so the text stays readable.
 */
export const TEXT_CLIP = Object.freeze({
  ...CLIP,
  photo: join(appDir, 'public/samples/ocr/tesseractjs_testocr.png'),
  zoom: 0.9,
  travel: { x: 40, y: 30 },
});

/**
 * Where the crop window is at frame `i` (top-left, in photo pixels) and its size: a smooth
 * (cosine-eased) pan there and back.
 */
export function windowAt(i, clip = CLIP, photo = { width: 640, height: 480 }) {
  const n = clip.fps * clip.seconds;
  const phase = (i % (2 * n)) / n; // 0..2
  const t = phase <= 1 ? phase : 2 - phase;
  const eased = (1 - Math.cos(Math.PI * t)) / 2;
  const w = photo.width * clip.zoom;
  const h = (w * clip.height) / clip.width;
  return { x: eased * clip.travel.x, y: eased * clip.travel.y, width: w, height: h };
}

/** Source indices and weights of a bilinear resample along one axis. */
function axis(start, step, n, size) {
  const i0 = new Int32Array(n);
  const i1 = new Int32Array(n);
  const f = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const v = Math.max(0, Math.min(size - 1, start + (k + 0.5) * step - 0.5));
    i0[k] = Math.floor(v);
    i1[k] = Math.min(size - 1, i0[k] + 1);
    f[k] = v - i0[k];
  }
  return { i0, i1, f };
}

/** One frame as RGB pixels (`{ data, width, height }`), for Node-side checks on the same clip. */
export function frameAt(img, i, clip = CLIP) {
  const win = windowAt(i, clip, img);
  const W = clip.width;
  const H = clip.height;
  const out = new Uint8Array(W * H * 3);
  const xs = axis(win.x, win.width / W, W, img.width);
  const ys = axis(win.y, win.height / H, H, img.height);
  const d = img.data;
  const stride = img.width * 3;
  for (let y = 0; y < H; y++) {
    const r0 = ys.i0[y] * stride;
    const r1 = ys.i1[y] * stride;
    const fy = ys.f[y];
    for (let x = 0; x < W; x++) {
      const c0 = xs.i0[x] * 3;
      const c1 = xs.i1[x] * 3;
      const fx = xs.f[x];
      const o = (y * W + x) * 3;
      for (let c = 0; c < 3; c++) {
        const top = d[r0 + c0 + c] * (1 - fx) + d[r0 + c1 + c] * fx;
        const bottom = d[r1 + c0 + c] * (1 - fx) + d[r1 + c1 + c] * fx;
        out[o + c] = top * (1 - fy) + bottom * fy + 0.5;
      }
    }
  }
  return { data: out, width: W, height: H };
}

/** RGB → planar YUV 4:2:0 (BT.601, studio range), as I420. */
function toI420(rgb) {
  const { width: w, height: h, data } = rgb;
  const Y = new Uint8Array(w * h);
  const U = new Uint8Array((w / 2) * (h / 2));
  const V = new Uint8Array((w / 2) * (h / 2));
  for (let i = 0; i < w * h; i++) {
    const r = data[i * 3];
    const g = data[i * 3 + 1];
    const b = data[i * 3 + 2];
    Y[i] = Math.round(16 + 0.257 * r + 0.504 * g + 0.098 * b);
  }
  for (let y = 0; y < h / 2; y++) {
    for (let x = 0; x < w / 2; x++) {
      const a = (2 * y * w + 2 * x) * 3;
      const b = a + w * 3;
      const r = (data[a] + data[a + 3] + data[b] + data[b + 3]) / 4;
      const g = (data[a + 1] + data[a + 4] + data[b + 1] + data[b + 4]) / 4;
      const bl = (data[a + 2] + data[a + 5] + data[b + 2] + data[b + 5]) / 4;
      U[y * (w / 2) + x] = Math.round(128 - 0.148 * r - 0.291 * g + 0.439 * bl);
      V[y * (w / 2) + x] = Math.round(128 + 0.439 * r - 0.368 * g - 0.071 * bl);
    }
  }
  return [Y, U, V];
}

/** Writes the clip to `out`; resolves to its frame count. */
export async function makeClip(out, clip = CLIP) {
  const img = await decodeImage(clip.photo);
  await mkdir(dirname(out), { recursive: true });
  const file = await open(out, 'w');
  try {
    await file.write(`YUV4MPEG2 W${clip.width} H${clip.height} F${clip.fps}:1 Ip A1:1 C420jpeg\n`);
    const frames = 2 * clip.fps * clip.seconds;
    for (let i = 0; i < frames; i++) {
      await file.write(Buffer.concat([Buffer.from('FRAME\n'), ...toI420(frameAt(img, i, clip))]));
    }
    return frames;
  } finally {
    await file.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? join(appDir, 'test-output', 'clip.y4m'));
  const t0 = performance.now();
  const frames = await makeClip(out);
  console.log(`${out}: ${frames} frames in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
