import type { BoundingBox, Point } from '@ondevice/core';
import type { EngineOutput } from './engine.js';
import { quadBox, round2, tidyBox } from './geometry.js';
import { orderLines } from './postprocess.js';
import type { TextBlock, TextEngineName, TextLine, TextResult } from './result.js';

function union(boxes: readonly BoundingBox[]): BoundingBox {
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.width));
  const y1 = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

const pt = (p: Point): Point => ({ x: round2(p.x), y: round2(p.y) });

/**
 * Turns an engine's lines into the public result: blocks in reading order (the engine's own
 * paragraphs when it has them, else grouped by {@link orderLines}), boxes clipped to the image.
 *
 * @example
 * ```ts
 * const result = buildResult(engineOutput, pixels.width, pixels.height, 'ppocr', 'eng');
 * ```
 */
export function buildResult(
  out: EngineOutput,
  width: number,
  height: number,
  engine: TextEngineName,
  language: string | undefined,
): TextResult {
  const groups =
    out.blocks ?? orderLines(out.lines, out.angle).map((g) => g.map((l) => out.lines.indexOf(l)));
  const blocks: TextBlock[] = [];
  for (const group of groups) {
    const lines: TextLine[] = group.map((i) => {
      const l = out.lines[i]!;
      return {
        text: l.text,
        box: tidyBox(quadBox(l.quad), width, height),
        cornerPoints: [pt(l.quad[0]), pt(l.quad[1]), pt(l.quad[2]), pt(l.quad[3])],
        confidence: round2(l.confidence * 100) / 100,
        words: l.words.map((w) => ({
          text: w.text,
          box: tidyBox(quadBox(w.quad), width, height),
          confidence: round2(w.confidence * 100) / 100,
        })),
      };
    });
    if (!lines.length) continue;
    blocks.push({
      text: lines.map((l) => l.text).join('\n'),
      box: tidyBox(union(lines.map((l) => l.box)), width, height),
      lines,
    });
  }
  const result: TextResult = {
    text: blocks.map((b) => b.text).join('\n'),
    blocks,
    engine,
    skewAngle: round2(out.angle),
  };
  if (language) result.language = language;
  return result;
}
