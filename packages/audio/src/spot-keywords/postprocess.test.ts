import { describe, expect, it } from 'vitest';
import { DetectionTracker, headSpanSeconds, labelsFromOutputName } from './postprocess.js';

const opts = { threshold: 0.5, refractoryPeriod: 1, warmup: 1, windowSize: 16, stepSeconds: 0.08 };

function run(scores: number[], o = opts) {
  const t = new DetectionTracker('kw', o);
  return scores.flatMap((s, i) => {
    const d = t.update(i + 1, s);
    return d ? [d] : [];
  });
}

describe('DetectionTracker', () => {
  it('forces the first 5 predictions to 0', () => {
    const t = new DetectionTracker('kw', { ...opts, warmup: 0 });
    for (let i = 1; i <= 5; i++) expect(t.update(i, 1)).toBeUndefined();
    expect(t.update(6, 1)?.endTime).toBeCloseTo(0.48);
  });

  it('never fires during the warm-up (the first second)', () => {
    const d = run(new Array(30).fill(0.99));
    expect(d.length).toBe(1);
    expect(d[0]!.endTime).toBeCloseTo(1.04);
  });

  it('fires once per utterance: a run of high scores is one detection', () => {
    const scores = [
      ...new Array(40).fill(0),
      0.6,
      0.9,
      0.99,
      0.97,
      0.8,
      0.3,
      0.7,
      0.2,
      ...new Array(30).fill(0),
    ];
    const d = run(scores);
    expect(d.length).toBe(1);
    expect(d[0]).toMatchObject({ keyword: 'kw', score: 0.6, endTime: 3.28 });
    expect(d[0]!.startTime).toBeCloseTo(3.28 - headSpanSeconds(16), 3);
  });

  it('fires again after the score dropped and the refractory period passed', () => {
    const burst = [0.9, 0.9, 0.1];
    const scores = [...new Array(20).fill(0), ...burst, ...new Array(15).fill(0), ...burst];
    expect(run(scores).map((d) => d.endTime)).toEqual([1.68, 3.12]);
  });

  it('respects the refractory period even when the score dips', () => {
    const scores = [...new Array(20).fill(0), 0.9, 0.1, 0.9, 0.1, 0.9];
    expect(run(scores).length).toBe(1);
    expect(run(scores, { ...opts, refractoryPeriod: 0 }).length).toBe(3);
  });

  it('treats NaN as 0 and reset() starts a new stream', () => {
    const t = new DetectionTracker('kw', { ...opts, warmup: 0 });
    for (let i = 1; i <= 6; i++) t.update(i, Number.NaN);
    expect(t.update(7, 0.8)).toBeDefined();
    t.reset();
    expect(t.update(1, 0.8)).toBeUndefined();
  });
});

describe('labelsFromOutputName', () => {
  it('reads openWakeWord class maps and leaves unnamed classes out', () => {
    expect(labelsFromOutputName('{"1": "1_minute_timer", "2": "5_minute_timer"}', 3, 'timer')).toEqual([
      null,
      '1_minute_timer',
      '5_minute_timer',
    ]);
  });
  it('names a single output after the keyword, and numbers unknown multi-outputs', () => {
    expect(labelsFromOutputName('39', 1, 'alexa')).toEqual(['alexa']);
    expect(labelsFromOutputName('out', 2, 'x')).toEqual(['x_0', 'x_1']);
  });
});
