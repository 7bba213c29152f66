import { cleanText, stripControlChars, truncateChars, truncateUtf8, utf8ByteLength, utf8Bytes } from '../../../mapping/text';

describe('stripControlChars', () => {
  it('removes C0 (except tab, LF, CR), DEL and C1 characters', () => {
    expect(stripControlChars('a\u0000b\u0007c\u001Fd\u007Fe\u0085f\u009Fg')).toBe('abcdefg');
  });
  it('keeps tabs and line breaks (HTML descriptions keep their layout)', () => {
    expect(stripControlChars('<p>\n\tline\r\n</p>')).toBe('<p>\n\tline\r\n</p>');
  });
  it('keeps unicode, emoji, zero-width joiners and variation selectors', () => {
    const s = 'Zoë 日本 👨‍👩‍👧 ❤️ Ŝ';
    expect(stripControlChars(s)).toBe(s);
  });
});

describe('cleanText', () => {
  it.each([
    [null, undefined],
    [undefined, undefined],
    ['', undefined],
    ['  \u0000 ', undefined],
    ['  Zoë  ', 'Zoë'],
    ['A\u0008B', 'AB'],
  ])('cleanText(%j) = %j', (input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });
});

describe('UTF-8 helpers', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['👨‍👩‍👧', 18],
  ])('utf8ByteLength(%j) = %i', (s, n) => {
    expect(utf8ByteLength(s)).toBe(n);
    expect(utf8ByteLength(s)).toBe(Buffer.byteLength(s, 'utf8'));
  });
  it('utf8Bytes matches Buffer', () => {
    const s = 'Zoë € 😀 \uD800';
    expect(utf8Bytes(s)).toEqual([...Buffer.from(s, 'utf8')]);
  });
});

describe('truncateUtf8', () => {
  it('leaves a string that fits alone', () => {
    expect(truncateUtf8('Spring sale 🌸', 100)).toBe('Spring sale 🌸');
  });
  it('never splits a multi-byte character', () => {
    // 'a' + 'é' is 3 bytes; a limit of 2 must not leave half of 'é'
    expect(truncateUtf8('aé', 2)).toBe('a');
    expect(truncateUtf8('😀😀', 7)).toBe('😀');
  });
  it('drops a dangling zero-width joiner or variation selector at the cut', () => {
    const family = '👨‍👩‍👧'; // man ZWJ woman ZWJ girl
    expect(truncateUtf8(family, 8)).toBe('👨');
    expect(truncateUtf8('❤️❤️', 4)).toBe('❤');
  });
  it('respects the byte limit exactly for ASCII', () => {
    expect(truncateUtf8('x'.repeat(150), 100)).toBe('x'.repeat(100));
  });
});

describe('truncateChars', () => {
  it('cuts to the limit in UTF-16 units without splitting a surrogate pair', () => {
    expect(truncateChars('ab😀', 3)).toBe('ab');
    expect(truncateChars('ab😀', 4)).toBe('ab😀');
    expect(truncateChars('x'.repeat(300), 255)).toHaveLength(255);
  });
});
