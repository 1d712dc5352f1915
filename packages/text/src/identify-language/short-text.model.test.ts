// Short everyday text (greetings, thanks) with the real engines and the default options: the answer
// is a language of the text's script, not `und`. Before the confidences were re-based
// (see combineEngineScores) "Привет", "Добрый день", "Дякую, добре" and "مرحبا" came back as
// `und` with confidence 0.73-0.89: languages only fastText knows (ce, cv, sah...) shared the mass.
// The phrases are written for this test, not taken from any evaluation set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLanguageIdentifier, type LanguageIdentifier } from './identify-language.js';
import { detectScript, languageFitsScript } from './script.js';

const SHORT: Record<string, readonly string[]> = {
  // Russian and Ukrainian
  Cyrl: ['Привет', 'Привет, как дела?', 'Добрый день', 'Спасибо большое', 'Дякую, добре', 'Доброго ранку'],
  Arab: ['مرحبا', 'شكرا جزيلا', 'صباح الخير'],
  Hebr: ['שלום', 'תודה רבה'],
  Deva: ['नमस्ते', 'धन्यवाद'],
  Hani: ['你好', '谢谢'],
  Latn: ['Hola', 'Danke schön', 'Merci beaucoup', 'Obrigado'],
};

describe('identifyLanguage on short greetings (default options, real engines)', () => {
  let id: LanguageIdentifier;
  beforeAll(async () => {
    id = await createLanguageIdentifier();
  });
  afterAll(() => id.dispose());

  it('answers a language of the text’s script, not und', async () => {
    const wrong: string[] = [];
    for (const [script, texts] of Object.entries(SHORT))
      for (const text of texts) {
        expect(detectScript(text)).toBe(script);
        const [best, ...rest] = await id.identify(text);
        if (!best || best.language === 'und' || !languageFitsScript(best.language, detectScript(text)))
          wrong.push(`${text} → ${JSON.stringify([best, ...rest])}`);
        for (const g of rest) expect(g.confidence).toBeLessThanOrEqual(best!.confidence);
      }
    expect(wrong).toEqual([]);
  });

  it('still answers und, at full confidence, when there is nothing to identify', async () => {
    for (const text of ['12345', '!!!', '12:30 :-)'])
      expect(await id.identify(text)).toEqual([{ language: 'und', confidence: 1 }]);
  });
});
