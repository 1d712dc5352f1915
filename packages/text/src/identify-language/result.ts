/** One guess of a text's language. */
export interface LanguageGuess {
  /** BCP-47 primary language tag (`en`, `es`, `zh`, `gsw`...), or `und` when unsure. */
  language: string;
  /** Calibrated confidence in [0, 1]; the guesses for one text sum to at most 1. */
  confidence: number;
}
