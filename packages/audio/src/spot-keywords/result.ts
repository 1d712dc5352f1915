/**
 * One keyword detection. A keyword said once gives one detection (a refractory period stops the
 * frames that follow from firing again).
 *
 * @example
 * ```ts
 * const d: KeywordDetection = { keyword: 'alexa', score: 0.93, startTime: 6.2, endTime: 8.2 };
 * ```
 */
export interface KeywordDetection {
  /** Which keyword fired (a built-in name such as `hey_jarvis`, or a custom head's label). */
  keyword: string;
  /** The head's score in [0, 1] at the moment it fired (at or above the threshold). */
  score: number;
  /**
   * Start, in seconds from the start of the stream, of the audio span the head judged (its window
   * of embeddings, about 2 s for a 16-embedding head): the keyword lies inside [startTime, endTime].
   */
  startTime: number;
  /** Time, in seconds from the start of the stream, of the end of the audio that made it fire. */
  endTime: number;
}
