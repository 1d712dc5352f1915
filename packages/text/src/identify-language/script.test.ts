import { describe, expect, it } from 'vitest';
import { detectScript, languageFitsScript, lengthClass } from './script.js';

describe('detectScript', () => {
  it('tells the main scripts apart', () => {
    expect(detectScript('Привет, мир')).toBe('Cyrl');
    expect(detectScript('Das ist ein Haus')).toBe('Latn');
    expect(detectScript('مرحبا بالعالم')).toBe('Arab');
    expect(detectScript('नमस्ते दुनिया')).toBe('Deva');
    expect(detectScript('Γειά σου')).toBe('Grek');
    expect(detectScript('שלום')).toBe('Hebr');
    expect(detectScript('สวัสดี')).toBe('Thai');
    expect(detectScript('12345 :-)')).toBe('Zyyy');
  });
  it('reads Han with kana as Japanese, with Hangul as Korean, alone as Han', () => {
    expect(detectScript('東京に行きます')).toBe('Kana');
    expect(detectScript('日本国憲法の前文')).toBe('Kana'); // mostly kanji, one kana
    expect(detectScript('カ')).toBe('Kana');
    expect(detectScript('한국語')).toBe('Hang');
    expect(detectScript('你好')).toBe('Hani');
    expect(detectScript('水')).toBe('Hani');
  });
  it('weighs one CJK character like a short word against Latin letters', () => {
    expect(detectScript('iPhone 新手机')).toBe('Hani');
    expect(detectScript('Das ist Tokyo 東')).toBe('Latn');
  });
});

describe('languageFitsScript', () => {
  it('allows only the languages written in the script', () => {
    expect(languageFitsScript('ru', 'Cyrl')).toBe(true);
    expect(languageFitsScript('en', 'Cyrl')).toBe(false);
    expect(languageFitsScript('oc', 'Hani')).toBe(false);
    expect(languageFitsScript('zh', 'Hani')).toBe(true);
    expect(languageFitsScript('ja', 'Hani')).toBe(true);
    expect(languageFitsScript('oc', 'Latn')).toBe(true);
    expect(languageFitsScript('ru', 'Latn')).toBe(false);
    // Serbian and Uzbek are written in both.
    expect(languageFitsScript('sr', 'Latn')).toBe(true);
    expect(languageFitsScript('sr', 'Cyrl')).toBe(true);
    expect(languageFitsScript('xx', 'Zyyy')).toBe(true);
  });
});

describe('lengthClass', () => {
  it('counts words, or letters where words are not spaced', () => {
    expect(lengthClass('Haus')).toBe('word');
    expect(lengthClass('Guten Morgen')).toBe('pair');
    expect(lengthClass('Das ist ein Haus.')).toBe('sentence');
    expect(lengthClass('  Haus - ! ')).toBe('word');
    expect(lengthClass('東京')).toBe('word');
    expect(lengthClass('東京大学')).toBe('pair');
    expect(lengthClass('東京に行きます')).toBe('sentence');
  });
});
