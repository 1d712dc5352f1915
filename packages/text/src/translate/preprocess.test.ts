import { describe, expect, it } from 'vitest';
import { bleu, chrF } from './metrics.js';
import { batchByLength, joinSegments, segmentText, splitSentences } from './preprocess.js';

describe('sentence splitting', () => {
  it('splits at sentence ends and keeps abbreviations together', () => {
    expect(splitSentences('The cat sleeps. The dog runs! Does it?')).toEqual([
      'The cat sleeps.',
      'The dog runs!',
      'Does it?',
    ]);
    expect(splitSentences('Mr. Smith is here. He waits.')).toEqual(['Mr. Smith is here.', 'He waits.']);
    expect(splitSentences('   ')).toEqual([]);
  });
  it('keeps paragraph breaks through a round trip', () => {
    const text = '  The cat. The dog.\n\nA house.\nA tree.';
    const seg = segmentText(text);
    expect(seg.paragraphs).toEqual([['The cat.', 'The dog.'], ['A house.'], ['A tree.']]);
    const same = joinSegments(seg, seg.paragraphs, 'en');
    expect(same).toBe(text);
    expect(joinSegments(seg, [['猫。', '狗。'], ['房子。'], ['树。']], 'zh')).toBe(
      '  猫。狗。\n\n房子。\n树。',
    );
  });
  it('batches similar lengths together', () => {
    expect(batchByLength(['a', 'bbbb', 'cc', 'ddd'], 2)).toEqual([
      [0, 2],
      [3, 1],
    ]);
  });
});

describe('metrics', () => {
  it('chrF is 100 for identical text, lower for partial matches, 0 for nothing shared', () => {
    expect(chrF(['el gato negro'], ['el gato negro'])).toBeCloseTo(100);
    const partial = chrF(['el gato blanco'], ['el gato negro']);
    expect(partial).toBeGreaterThan(30);
    expect(partial).toBeLessThan(80);
    expect(chrF(['xyz'], ['abc'])).toBe(0);
  });
  it('BLEU is 100 for identical text and 0 without a 4-gram match', () => {
    expect(bleu(['the cat sat on the mat .'], ['the cat sat on the mat .'])).toBeCloseTo(100);
    expect(bleu(['a b c'], ['d e f'])).toBe(0);
  });
});
