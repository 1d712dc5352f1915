import { describe, expect, it } from 'vitest';
import {
  applyTransformToBox,
  applyTransformToPoint,
  clipBox,
  invertTransform,
  iou,
  letterbox,
  nonMaxSuppression,
  rotatePoint,
  scaleBox,
} from '../src/index.js';
import { createTensorScope, getTfjs, withTensorScope } from '../src/tfjs.js';

describe('tensor scope', () => {
  it('disposes every tracked tensor across awaits: zero leaked', async () => {
    const { tf, info } = await getTfjs();
    expect(info.backend).toBe('wasm');
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      const sum = await withTensorScope(async (scope) => {
        const a = scope.track(tf.tensor1d([1, 2, 3]));
        await new Promise((r) => setTimeout(r, 1));
        const b = scope.track(tf.tidy(() => tf.mul(a, 2)));
        const parts = scope.track(tf.split(b, 3));
        const total = scope.track(tf.addN(parts.map((p) => scope.track(tf.sum(p)))));
        return (await total.data())[0];
      });
      expect(sum).toBe(12);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps a tensor that is handed out, and disposes on throw', async () => {
    const { tf } = await getTfjs();
    const base = tf.memory().numTensors;
    const scope = createTensorScope();
    const kept = scope.keep(scope.track(tf.scalar(1)));
    scope.track([tf.scalar(2), tf.scalar(3)]);
    scope.track({ a: tf.scalar(4) });
    scope.dispose();
    scope.dispose();
    expect(tf.memory().numTensors).toBe(base + 1);
    kept.dispose();
    await expect(
      withTensorScope((s) => {
        s.track(tf.scalar(5));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(tf.memory().numTensors).toBe(base);
  });
});

describe('geometry', () => {
  const box = (x: number, y: number, w: number, h: number) => ({ x, y, width: w, height: h });
  it('iou', () => {
    expect(iou(box(0, 0, 10, 10), box(0, 0, 10, 10))).toBe(1);
    expect(iou(box(0, 0, 10, 10), box(5, 0, 10, 10))).toBeCloseTo(50 / 150);
    expect(iou(box(0, 0, 10, 10), box(20, 20, 5, 5))).toBe(0);
    expect(iou(box(0, 0, 0, 0), box(0, 0, 0, 0))).toBe(0);
  });

  it('non-max suppression keeps the best of overlapping boxes, per class when asked', () => {
    const boxes = [box(0, 0, 10, 10), box(1, 1, 10, 10), box(50, 50, 10, 10), box(0, 0, 10, 10)];
    const scores = [0.9, 0.95, 0.5, 0.3];
    expect(nonMaxSuppression(boxes, scores, { iouThreshold: 0.5 })).toEqual([1, 2]);
    expect(nonMaxSuppression(boxes, scores, { iouThreshold: 0.5, scoreThreshold: 0.6 })).toEqual([1]);
    expect(nonMaxSuppression(boxes, scores, { iouThreshold: 0.5, maxResults: 1 })).toEqual([1]);
    expect(nonMaxSuppression(boxes, scores, { iouThreshold: 0.5, classes: [0, 0, 0, 1] })).toEqual([1, 2, 3]);
  });

  it('letterbox maps there and back', () => {
    const t = letterbox(1280, 720, 512, 512);
    expect(t.scaleX).toBeCloseTo(0.4);
    expect(t.offsetY).toBeCloseTo((512 - 288) / 2);
    const p = { x: 100, y: 200 };
    const back = applyTransformToPoint(invertTransform(t), applyTransformToPoint(t, p));
    expect(back.x).toBeCloseTo(100);
    expect(back.y).toBeCloseTo(200);
    expect(
      applyTransformToBox(invertTransform(t), applyTransformToBox(t, box(1, 2, 3, 4))).width,
    ).toBeCloseTo(3);
  });

  it('clip, scale and rotate', () => {
    expect(clipBox(box(-5, -5, 20, 20), 10, 10)).toEqual(box(0, 0, 10, 10));
    expect(scaleBox(box(10, 10, 10, 20), 2, { square: true })).toEqual(box(-5, 0, 40, 40));
    const r = rotatePoint({ x: 1, y: 0, name: 'a' }, { x: 0, y: 0 }, Math.PI / 2);
    expect(r.x).toBeCloseTo(0);
    expect(r.y).toBeCloseTo(1);
    expect(r.name).toBe('a');
  });
});
