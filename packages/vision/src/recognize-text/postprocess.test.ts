import { describe, expect, it } from 'vitest';
import type { EngineOutput } from './engine.js';
import { minAreaRect, type Quad, rectCorners } from './geometry.js';
import { buildResult } from './layout.js';
import { characterErrorRate } from './metrics.js';
import {
  ctcDecode,
  dbBoxes,
  estimateSkew,
  longestBlankRun,
  mergeRowPieces,
  orderLines,
  pageAngle,
  splitWords,
  trimToInk,
  unclipRect,
} from './postprocess.js';
import { detSize, splitColumns } from './preprocess.js';

function rectQuad(x: number, y: number, w: number, h: number): Quad {
  return [
    { x, y },
    { x: x + w, y },
    { x: x + w, y: y + h },
    { x, y: y + h },
  ];
}

function tiltedQuad(cx: number, cy: number, w: number, h: number, degrees: number): Quad {
  const a = (degrees * Math.PI) / 180;
  return rectCorners({ cx, cy, width: w, height: h, ux: Math.cos(a), uy: Math.sin(a) });
}

describe('minAreaRect', () => {
  it('finds a tilted rectangle and points its width along the text', () => {
    const q = tiltedQuad(50, 40, 60, 10, 20);
    const r = minAreaRect(q);
    expect(r.width).toBeCloseTo(60, 5);
    expect(r.height).toBeCloseTo(10, 5);
    expect((Math.atan2(r.uy, r.ux) * 180) / Math.PI).toBeCloseTo(20, 5);
  });
  it('points vertical rectangles downwards', () => {
    const r = minAreaRect(rectQuad(0, 0, 5, 50));
    expect(r.uy).toBeCloseTo(1);
    expect(r.width).toBeCloseTo(50);
  });
});

describe('dbBoxes', () => {
  function map(w: number, h: number, fill: (x: number, y: number) => number): Float32Array {
    const m = new Float32Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) m[y * w + x] = fill(x, y);
    return m;
  }
  it('returns one grown box per text kernel and drops faint ones', () => {
    const w = 100;
    const h = 60;
    const prob = map(w, h, (x, y) => {
      if (x >= 10 && x < 70 && y >= 10 && y < 16) return 0.9; // a line
      if (x >= 10 && x < 50 && y >= 30 && y < 36) return 0.55; // a faint line (kept at 0.5)
      if (x >= 10 && x < 50 && y >= 45 && y < 51) return 0.35; // noise above 0.3 but far below the box threshold
      return 0;
    });
    const boxes = dbBoxes(prob, w, h);
    expect(boxes).toHaveLength(2);
    const [a, b] = boxes.sort((p, q) => p.rect.cy - q.rect.cy);
    expect(a!.score).toBeCloseTo(0.9, 2);
    expect(b!.score).toBeCloseTo(0.55, 2);
    // Grown by area × 1.6 / perimeter on each side.
    expect(a!.rect.width).toBeGreaterThan(60);
    expect(a!.rect.height).toBeGreaterThan(6 + 2 * 3);
    expect(dbBoxes(prob, w, h, { boxThreshold: 0.6 })).toHaveLength(1);
  });
  it('keeps the tilt of a tilted kernel', () => {
    const q = tiltedQuad(50, 30, 70, 6, 10);
    const a = (10 * Math.PI) / 180;
    const prob = map(100, 60, (x, y) => {
      const dx = x + 0.5 - 50;
      const dy = y + 0.5 - 30;
      const u = dx * Math.cos(a) + dy * Math.sin(a);
      const v = -dx * Math.sin(a) + dy * Math.cos(a);
      return Math.abs(u) < 35 && Math.abs(v) < 3 ? 0.9 : 0;
    });
    const [box] = dbBoxes(prob, 100, 60);
    expect(box).toBeDefined();
    expect((Math.atan2(box!.rect.uy, box!.rect.ux) * 180) / Math.PI).toBeCloseTo(10, 0);
    expect(q).toHaveLength(4);
  });
  it('keeps a curved line and follows it along its centre line', () => {
    // A line bowed by 12 px over 200 px, 6 px thick: its rectangle is mostly background (the
    // rectangle's mean, PaddleOCR's 'fast' score, is about 0.3), its own pixels score 0.9.
    const W = 240;
    const H = 80;
    const centre = (x: number) => 40 - 12 * Math.sin((Math.PI * (x - 20)) / 200);
    const prob = map(W, H, (x, y) => (x >= 20 && x < 220 && Math.abs(y + 0.5 - centre(x)) < 3 ? 0.9 : 0));
    const boxes = dbBoxes(prob, W, H);
    expect(boxes).toHaveLength(1);
    const [box] = boxes;
    expect(box!.score).toBeGreaterThan(0.85);
    expect(box!.strip).toBeDefined();
    // The centre line passes through the bow's middle and ends.
    const pts = box!.strip!.points;
    const near = (x: number) => pts.reduce((b, p) => (Math.abs(p.x - x) < Math.abs(b.x - x) ? p : b));
    expect(Math.abs(near(120).y - centre(120))).toBeLessThan(1.5);
    expect(Math.abs(near(40).y - centre(40))).toBeLessThan(1.5);
    // Half its thickness plus the unclip distance (≈ 9), not half the grown rectangle (≈ 14.5).
    expect(box!.strip!.halfHeight).toBeLessThan(11);
  });
  it('splits two lines that touch in the map where the probability dips', () => {
    const W = 200;
    const H = 60;
    // Two 8-px lines 10 px apart whose halo (0.4) joins them; a third, separate line sets the
    // page's typical thickness.
    const prob = map(W, H, (x, y) => {
      if (x < 10 || x >= 190) return 0;
      if ((y >= 8 && y < 16) || (y >= 18 && y < 26)) return 0.9;
      if (y >= 16 && y < 18) return 0.4;
      if (y >= 40 && y < 48) return 0.9;
      return 0;
    });
    const boxes = dbBoxes(prob, W, H).sort((a, b) => a.rect.cy - b.rect.cy);
    expect(boxes).toHaveLength(3);
    expect(boxes[0]!.rect.cy).toBeLessThan(15);
    expect(boxes[1]!.rect.cy).toBeGreaterThan(19);
    expect(dbBoxes(prob, W, H, { mergedRatio: Number.POSITIVE_INFINITY })).toHaveLength(2);
  });
  it('grows a rectangle by the DB offset', () => {
    const r = unclipRect({ cx: 0, cy: 0, width: 9, height: 1, ux: 1, uy: 0 }, 1.5);
    const d = (10 * 2 * 1.5) / (2 * 12);
    expect(r.width).toBeCloseTo(10 + 2 * d);
    expect(r.height).toBeCloseTo(2 + 2 * d);
  });
});

describe('ctcDecode', () => {
  it('merges repeats, drops blanks and keeps time steps', () => {
    const charset = ['a', 'b', ' '];
    const classes = 4;
    const seq = [0, 1, 1, 0, 1, 2, 0, 3, 2];
    const probs = new Float32Array(seq.length * classes);
    seq.forEach((k, t) => {
      probs[t * classes + k] = 0.9;
    });
    const out = ctcDecode(probs, seq.length, classes, charset);
    expect(out.map((c) => c.char).join('')).toBe('aab b');
    expect(out[0]).toMatchObject({ start: 1, end: 2 });
    expect(out[1]).toMatchObject({ start: 4, end: 4 });
  });
});

describe('word gaps', () => {
  const blank = (pattern: string) => [...pattern].map((c) => c === '.');
  it('splits at spaces the model emitted and at wide blank runs it dropped', () => {
    //          0         1         2         3
    //          0123456789012345678901234567890123
    const cols = blank('##.##.##......##.##...##.##');
    const chars = [
      { char: 'a', x0: 0, x1: 2, prob: 0.9 },
      { char: 'b', x0: 3, x1: 5, prob: 0.9 },
      { char: 'c', x0: 6, x1: 8, prob: 0.9 },
      { char: 'd', x0: 14, x1: 16, prob: 0.8 },
      { char: 'e', x0: 17, x1: 19, prob: 0.8 },
      { char: ' ', x0: 19, x1: 22, prob: 0.8 },
      { char: 'f', x0: 22, x1: 24, prob: 0.8 },
    ];
    const words = splitWords(chars, cols, 4);
    expect(words.map((w) => w.text)).toEqual(['abc', 'de', 'f']);
    expect(words[1]!.confidence).toBeCloseTo(0.8);
    expect(longestBlankRun(cols, 0, 30)).toBe(6);
    expect(trimToInk(cols, 7, 18)).toEqual([7, 18]);
    expect(trimToInk(cols, 8, 16)).toEqual([14, 16]);
  });
  it('puts a space where the time steps leave a wide gap, with no blank column to show it', () => {
    // "HellO World" on a starry background: no blank column anywhere; the recogniser's
    // character runs (8 px per time step) are 16-32 px apart inside the words, 64 px between them.
    const at = [0, 40, 72, 96, 120, 192, 240, 280, 304, 328];
    const chars = [...'HellOWorld'].map((char, i) => ({ char, x0: at[i]!, x1: at[i]! + 8, prob: 0.9 }));
    const noBlank = new Uint8Array(340);
    const rule = { blankRun: 14, timeGap: 29, timeRatio: 2.25 };
    expect(splitWords(chars, noBlank, rule).map((w) => w.text)).toEqual(['HellO', 'World']);
  });
  it('does not split numbers or punctuation at the blank columns around a comma', () => {
    // "101,598.46": the comma stands 9 blank columns after "1" (over 0.3 × the ink height).
    const text = '101,598.46';
    // Digits 3 blank columns apart; the comma and the point 9 apart from their neighbours.
    const at = [0, 10, 20, 36, 52, 62, 72, 88, 104, 114];
    const chars = [...text].map((char, i) => ({ char, x0: at[i]!, x1: at[i]! + 7, prob: 0.9 }));
    const cols = new Uint8Array(140);
    for (let i = 0; i < chars.length - 1; i++) for (let x = at[i]! + 7; x < at[i + 1]!; x++) cols[x] = 1;
    expect(splitWords(chars, cols, 8.4).map((w) => w.text)).toEqual(['101,598.46']);
    const quoted = [
      { char: '(', x0: 0, x1: 4, prob: 0.9 },
      { char: 'a', x0: 14, x1: 20, prob: 0.9 },
      { char: ')', x0: 30, x1: 34, prob: 0.9 },
    ];
    const gaps = new Uint8Array(40).fill(1);
    expect(splitWords(quoted, gaps, 8).map((w) => w.text)).toEqual(['(a)']);
  });
});

describe('page angle and reading order', () => {
  it('measures skew and full page direction', () => {
    const quads = [
      tiltedQuad(100, 100, 200, 20, 7),
      tiltedQuad(100, 140, 180, 20, 7.4),
      tiltedQuad(100, 180, 190, 20, 6.6),
    ];
    expect(estimateSkew(quads)).toBeCloseTo(7, 0);
    expect(pageAngle(quads)).toBeCloseTo(7, 0);
    const upside = quads.map((q) => [q[2], q[3], q[0], q[1]] as Quad);
    expect(Math.abs(pageAngle(upside))).toBeCloseTo(173, 0);
  });
  it('reads columns left to right, each top to bottom, after a full-width title', () => {
    const lines = [
      { id: 'L2', quad: rectQuad(10, 76, 180, 20) },
      { id: 'R1', quad: rectQuad(260, 46, 180, 20) },
      { id: 'title', quad: rectQuad(10, 0, 400, 30) },
      { id: 'L1', quad: rectQuad(10, 46, 180, 20) },
      { id: 'R2', quad: rectQuad(260, 76, 180, 20) },
      { id: 'L3', quad: rectQuad(10, 106, 150, 20) },
    ];
    const blocks = orderLines(lines);
    expect(blocks.map((b) => b.map((l) => l.id))).toEqual([['title'], ['L1', 'L2', 'L3'], ['R1', 'R2']]);
  });
  it('reads tables row by row', () => {
    const lines = [];
    for (let r = 0; r < 4; r++) {
      lines.push({ id: `d${r}`, quad: rectQuad(0, r * 30, 60, 18) });
      lines.push({ id: `n${r}`, quad: rectQuad(300, r * 30, 40, 18) });
      lines.push({ id: `a${r}`, quad: rectQuad(500, r * 30, 50, 18) });
    }
    const order = orderLines(lines)
      .flat()
      .map((l) => l.id);
    expect(order).toEqual(['d0', 'n0', 'a0', 'd1', 'n1', 'a1', 'd2', 'n2', 'a2', 'd3', 'n3', 'a3']);
  });
  it('keeps the rows of a tight table apart (boxes taller than the row pitch)', () => {
    // A bank statement: 20-px boxes every 17 px (PP-OCR's grown boxes overlap the next row's).
    const lines = [];
    for (let r = 0; r < 5; r++) {
      const y = 100 + r * 17 + (r % 2) * 1.5;
      lines.push({ id: `date${r}`, quad: rectQuad(28, y, 210 + (r % 2) * 70, 20 + (r % 3)) });
      lines.push({ id: `num${r}`, quad: rectQuad(566, y + 0.5, 40, 19) });
      lines.push({ id: `amt${r}`, quad: rectQuad(654, y - 0.5, 54, 20) });
      lines.push({ id: `bal${r}`, quad: rectQuad(764 + (r % 2) * 60, y, 173 - (r % 2) * 60, 19) });
    }
    const blocks = orderLines(lines).map((b) => b.map((l) => l.id));
    expect(blocks).toEqual([0, 1, 2, 3, 4].map((r) => [`date${r}`, `num${r}`, `amt${r}`, `bal${r}`]));
  });
  it('reads a photographed table whose columns drift by half a row as rows', () => {
    const lines = [];
    for (let r = 0; r < 6; r++) {
      lines.push({ id: `w${r}`, quad: rectQuad(420, 400 + r * 50, 70, 27) });
      lines.push({ id: `p${r}`, quad: rectQuad(545, 400 + r * 50 - 2 * r, 80, 27) });
      lines.push({ id: `q${r}`, quad: rectQuad(715, 400 + r * 50 - 3 * r - 5, 60, 25) });
    }
    const order = orderLines(lines)
      .flat()
      .map((l) => l.id);
    expect(order).toEqual([0, 1, 2, 3, 4, 5].flatMap((r) => [`w${r}`, `p${r}`, `q${r}`]));
  });
  it('orders the lines of a tilted page along its tilt', () => {
    const lines = [0, 1, 2].map((i) => ({ id: i, quad: tiltedQuad(200 - i * 4, 100 + i * 35, 300, 20, 12) }));
    const order = orderLines([lines[2]!, lines[0]!, lines[1]!], 12)
      .flat()
      .map((l) => l.id);
    expect(order).toEqual([0, 1, 2]);
  });
});

describe('helpers', () => {
  it('sizes the detector input in multiples of 32', () => {
    expect(detSize(640, 480, 1280, 960)).toEqual({ width: 960, height: 736 });
    expect(detSize(4000, 3000, 1280, 960)).toEqual({ width: 1280, height: 960 });
  });
  it('cuts long crops only at blank runs', () => {
    const cols = Array.from({ length: 1500 }, (_, x) => (x % 100 >= 95 ? 1 : 0));
    const cuts = splitColumns(cols, 480);
    expect(cuts.length).toBeGreaterThanOrEqual(3);
    for (const c of cuts) expect(cols[c]).toBe(1);
    expect(splitColumns(new Array(1500).fill(0), 480)).toEqual([]);
  });
  it('computes character error rate on normalised whitespace', () => {
    expect(characterErrorRate('a  b\nc', 'a b c')).toBe(0);
    expect(characterErrorRate('abcd', 'abed')).toBe(0.25);
    expect(characterErrorRate('繁體 中 文', '繁體中文', { ignoreSpaces: true })).toBe(0);
    expect(characterErrorRate('', '')).toBe(0);
  });
  it('builds the public result with blocks, clipped boxes and corner points', () => {
    const out: EngineOutput = {
      angle: 0,
      lines: [
        {
          text: 'Hello world',
          quad: rectQuad(-2, 10, 100, 20),
          confidence: 0.95,
          words: [
            { text: 'Hello', quad: rectQuad(0, 10, 45, 20), confidence: 0.97 },
            { text: 'world', quad: rectQuad(55, 10, 43, 20), confidence: 0.93 },
          ],
        },
        {
          text: 'Second',
          quad: rectQuad(0, 34, 60, 20),
          confidence: 0.9,
          words: [{ text: 'Second', quad: rectQuad(0, 34, 60, 20), confidence: 0.9 }],
        },
      ],
    };
    const r = buildResult(out, 200, 100, 'ppocr', 'eng');
    expect(r.text).toBe('Hello world\nSecond');
    expect(r.blocks).toHaveLength(1);
    expect(r.blocks[0]!.lines[0]!.box).toEqual({ x: 0, y: 10, width: 98, height: 20 });
    expect(r.blocks[0]!.lines[0]!.cornerPoints[0]).toEqual({ x: -2, y: 10 });
    expect(r.blocks[0]!.lines[0]!.words[1]!.box).toEqual({ x: 55, y: 10, width: 43, height: 20 });
    expect(r.language).toBe('eng');
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('mergeRowPieces', () => {
  const word = (text: string, x0: number, x1: number, y = 100) => ({
    text,
    quad: rectQuad(x0, y, x1 - x0, 20),
    confidence: 0.9,
  });
  const line = (words: ReturnType<typeof word>[], x0: number, x1: number, y = 100) => ({
    text: words.map((w) => w.text).join(' '),
    quad: rectQuad(x0, y, x1 - x0, 20),
    confidence: 0.9,
    words,
  });
  it('joins the detector pieces of one printed line, reading a doubled word once', () => {
    // The map broke the line between "crossed" and "just"; the right crop also caught the "d".
    const left = line([word('platter,', 0, 80), word('crossed', 90, 160)], 0, 165);
    const right = line([word('d', 155, 163), word('just', 175, 210), word('below', 220, 270)], 152, 275);
    const other = line([word('two', 0, 40, 140)], 0, 45, 140);
    const merged = mergeRowPieces([right, other, left]);
    expect(merged.map((l) => l.text).sort()).toEqual(['platter, crossed just below', 'two']);
    const row = merged.find((l) => l.text.startsWith('platter'))!;
    expect(row.quad[0].x).toBe(0);
    expect(row.quad[1].x).toBe(275);
  });
  it('leaves table cells and lines of other rows apart', () => {
    const a = line([word('4981', 566, 606)], 566, 606);
    const b = line([word('823.34', 654, 708)], 654, 708); // 48 px gutter, 20-px line
    const c = line([word('below', 0, 50, 117)], 0, 50, 117);
    expect(mergeRowPieces([a, b, c])).toHaveLength(3);
  });
});
