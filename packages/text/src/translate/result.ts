/** A translation. `text` has the shape of the input: a string, or one string per input string. */
export interface TranslationResult<T extends string | string[] = string> {
  /** The translated text, paragraph breaks kept. */
  text: T;
  /** Source language (BCP-47), given or detected. */
  from: string;
  /** Target language (BCP-47). */
  to: string;
  /**
   * Only from a demo model (whose vocabulary is known): the fraction of the input's words it knows,
   * from 0 to 1. Words outside it come out as nonsense.
   */
  coverage?: number;
  /** Only from a demo model: the input's words outside its vocabulary (lower case, distinct). */
  outOfVocabulary?: string[];
  /** Only from a demo model: says that it is one, and how much of the input it does not know. */
  warning?: string;
}

/** A translation model pair as the model manager lists it. */
export interface TranslationModelInfo {
  /** Source language. */
  from: string;
  /** Target language. */
  to: string;
  /** Model id in the model store. */
  id: string;
  /** Version of the weights. */
  version: string;
  /** Total size of its files in bytes. */
  size: number;
  /** Licence of the weights. */
  license: string;
  /** Whether every file is in the local cache (downloaded). Shipped models count as downloaded. */
  downloaded: boolean;
  /** Shipped inside this package (no download needed). */
  builtIn: boolean;
  /** A demo model (knows only a small vocabulary): used only when named with `model`. */
  demo: boolean;
}
