import { OptionsError, parseOptions } from '@ondevice/core';
import { describe, expect, it } from 'vitest';
import { chooseEngine, textRecognizerOptionsSchema } from './options.js';

const parse = (o: unknown) => parseOptions(textRecognizerOptionsSchema, o, 'createTextRecognizer');

describe('text recognizer options', () => {
  it('defaults to auto and English', () => {
    expect(parse(undefined)).toMatchObject({ engine: 'auto', languages: ['eng'] });
  });
  it('chooses PP-OCR for languages its dictionary covers and Tesseract otherwise', () => {
    expect(chooseEngine(['eng'])).toBe('ppocr');
    expect(chooseEngine(['chi_sim', 'eng'])).toBe('ppocr');
    expect(chooseEngine(['eng', 'fra'])).toBe('tesseract');
  });
  it('rejects unknown languages, listing the valid ones', () => {
    expect(() => parse({ languages: ['klingon'] })).toThrow(OptionsError);
    expect(() => parse({ languages: ['klingon'] })).toThrow(/eng/);
  });
  it('rejects a language the chosen engine cannot read', () => {
    expect(() => parse({ engine: 'ppocr', languages: ['fra'] })).toThrow(/cannot read fra/);
    expect(() => parse({ engine: 'tesseract', languages: ['chi_sim'] })).toThrow(/cannot read chi_sim/);
    expect(() => parse({ languages: ['chi_sim', 'fra'] })).toThrow(/no single engine/);
  });
  it('rejects bad values and unknown keys', () => {
    expect(() => parse({ engine: 'paddle' })).toThrow(OptionsError);
    expect(() => parse({ workers: 0 })).toThrow(OptionsError);
    expect(() => parse({ timeout: -1 })).toThrow(OptionsError);
    expect(() => parse({ langauges: ['eng'] })).toThrow(OptionsError);
  });
});
