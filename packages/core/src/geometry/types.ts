/** An axis-aligned box in pixels of the input image: top-left corner plus size. */
export interface BoundingBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A classification: a label, its score in [0, 1] and its index in the model's label list. */
export interface Category {
  label: string;
  score: number;
  categoryIndex: number;
}

/** A point in pixels of the input; `z` is depth in the same scale as x where a model gives it. */
export interface Keypoint {
  x: number;
  y: number;
  z?: number;
  name?: string;
}

/** A 2-D point. */
export interface Point {
  x: number;
  y: number;
}
