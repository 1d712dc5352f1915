/** The test clip's settings; see make-clip.mjs. */
export const CLIP: Readonly<{
  photo: string;
  width: number;
  height: number;
  fps: number;
  seconds: number;
  zoom: number;
  travel: { x: number; y: number };
}>;
/** The live-text page's clip settings (a pan over tesseract.js's test page). */
export const TEXT_CLIP: typeof CLIP;
/** The crop window of frame `i`, in photo pixels. */
export function windowAt(
  i: number,
  clip?: typeof CLIP,
  photo?: { width: number; height: number },
): { x: number; y: number; width: number; height: number };
/** Frame `i` of the clip as RGB pixels. */
export function frameAt(
  img: { data: Uint8Array; width: number; height: number },
  i: number,
  clip?: typeof CLIP,
): { data: Uint8Array; width: number; height: number };
/** Writes the clip as Y4M; resolves to its frame count. */
export function makeClip(out: string, clip?: typeof CLIP): Promise<number>;
