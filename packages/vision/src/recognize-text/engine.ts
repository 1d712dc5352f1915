import type { ImagePixels } from '@ondevice/core';
import type { Quad } from './geometry.js';
import type { TextEngineName } from './result.js';

/** A word as an engine reports it: text, corners in input pixels, confidence in [0, 1]. */
export interface EngineWord {
  text: string;
  quad: Quad;
  confidence: number;
}

/** A line as an engine reports it. */
export interface EngineLine {
  text: string;
  quad: Quad;
  confidence: number;
  words: EngineWord[];
}

/** What an engine returns for one image. */
export interface EngineOutput {
  lines: EngineLine[];
  /** Page angle in degrees, clockwise on screen (the reading direction of its lines). */
  angle: number;
  /**
   * Blocks the engine found itself (indices into `lines`, in reading order), or undefined to let
   * the layout step group the lines.
   */
  blocks?: number[][];
  /**
   * Text regions the detector saw that gave no line: line-shaped regions under the box threshold
   * and regions the recogniser read nothing (or nothing confident) in. Set by PP-OCR.
   */
  unread?: Quad[];
  /** How many text regions the detector found (read or not). Set by PP-OCR. */
  regions?: number;
}

/** Per-call settings an engine gets. */
export interface EngineCallOptions {
  signal?: AbortSignal | undefined;
}

/** One OCR engine behind `recognizeText`. */
export interface TextEngine {
  readonly name: TextEngineName;
  recognize(pixels: ImagePixels, options: EngineCallOptions): Promise<EngineOutput>;
  dispose(): Promise<void>;
}
