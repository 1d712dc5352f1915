import type { BoundingBox, Point } from '@ondevice/core';
import type { TextCoverage } from './coverage.js';

/** Which engine read the text. */
export type TextEngineName = 'ppocr' | 'tesseract';

/**
 * One word: text, its axis-aligned box in input pixels, and the engine's confidence in [0, 1].
 */
export interface TextWord {
  text: string;
  box: BoundingBox;
  confidence: number;
}

/**
 * One line of text. `cornerPoints` are the line's four corners in input pixels, clockwise from the
 * top-left corner of the text as read (so a line tilted by 10° has a tilted quadrilateral); `box` is
 * the axis-aligned box around them.
 */
export interface TextLine {
  text: string;
  box: BoundingBox;
  cornerPoints: [Point, Point, Point, Point];
  confidence: number;
  words: TextWord[];
}

/** A block (paragraph) of lines that belong together, in reading order. */
export interface TextBlock {
  text: string;
  box: BoundingBox;
  lines: TextLine[];
}

/**
 * What `recognizeText` returns: all text (blocks joined by newlines), the blocks in reading order
 * (top to bottom, left to right per column), and the language(s) the engine was asked to read.
 */
export interface TextResult {
  text: string;
  blocks: TextBlock[];
  /** The requested language(s) as Tesseract codes joined by `+`, e.g. `eng` or `eng+fra`. */
  language?: string;
  /** The engine that produced this result. */
  engine: TextEngineName;
  /** Angle (degrees, clockwise on screen) by which the page's text lines were tilted. */
  skewAngle: number;
  /**
   * PP-OCR's line-coverage check: how many text regions its detector found, how many gave no
   * confident line, and whether (`engine: 'auto'`) Tesseract's lines filled them. Absent for
   * Tesseract results.
   */
  coverage?: TextCoverage;
}
