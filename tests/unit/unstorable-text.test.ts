import { describe, expect, it } from 'vitest';
import { findUnstorableText, MAX_DEPTH, unstorableText } from '../../src/domain/unstorable-text.ts';

const NUL = 'contains a NUL character (\\u0000); remove it';
const BROKEN = 'contains a broken character (an unpaired UTF-16 surrogate); send valid Unicode text';

describe('unstorableText', () => {
  it('refuses a NUL and an unpaired surrogate, high or low, anywhere in the text', () => {
    for (const text of ['\u0000', 'a\u0000', '\u0000b']) expect(unstorableText(text)).toBe(NUL);
    for (const text of ['\ud800', 'a\ud83d', '\ude80b', 'x\udc00\ud800y', '\ud83d\ude80\ud83d']) {
      expect(unstorableText(text), JSON.stringify(text)).toBe(BROKEN);
    }
  });

  it('takes any other text: emoji, accents, control characters other than NUL, the replacement character', () => {
    for (const text of [
      '',
      'Ação 🚀',
      '\ud83d\ude80\ud83d\ude80',
      '\u0001\t\n',
      '\ufffd',
      'x'.repeat(100_000),
    ]) {
      expect(unstorableText(text)).toBeUndefined();
    }
  });
});

describe('findUnstorableText', () => {
  it('names every string and key that cannot be stored by its path, in document order', () => {
    const value = {
      name: 'ok',
      notes: ['fine', 'bad\u0000', { deeper: '\udfff' }],
      'key\u0000': 'the value is not visited',
      last: '\u0000',
    };
    expect(findUnstorableText(value, [3])).toEqual([
      { path: [3, 'notes', 1], message: NUL },
      { path: [3, 'notes', 2, 'deeper'], message: BROKEN },
      { path: [3, 'key\u0000'], message: `its name ${NUL}` },
      { path: [3, 'last'], message: NUL },
    ]);
    expect(findUnstorableText('\u0000')).toEqual([{ path: [], message: NUL }]);
    expect(findUnstorableText({ a: 1, b: [true, null, 'x'] })).toEqual([]);
  });

  it('stops at MAX_DEPTH, however deep the value goes, without running out of stack', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findUnstorableText(deep)).toEqual([
      { path: Array(MAX_DEPTH).fill(0), message: `is nested more than ${MAX_DEPTH} levels deep` },
    ]);
    let shallow: unknown = '\u0000';
    for (let i = 0; i < MAX_DEPTH; i++) shallow = { a: shallow };
    expect(findUnstorableText(shallow)).toEqual([{ path: Array(MAX_DEPTH).fill('a'), message: NUL }]);
  });
});
