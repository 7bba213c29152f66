import { createHash } from 'node:crypto';
import {
  customerIdForEmail,
  emailProblem,
  ENTITY_TYPES,
  isValidEmail,
  md5,
  normaliseEmail,
} from '../../../mapping/ids';

describe('md5 (pure TypeScript)', () => {
  it.each([
    // RFC 1321 test suite
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
    ['1234567890'.repeat(8), '57edf4a22be3c955ac49da2e2107b67a'],
    // Mailchimp's documented subscriber-hash example
    ['urist.mcvankab@freddiesjokes.com', '62eeb292278cc15f5817cb78f7790b08'],
    ['The quick brown fox jumps over the lazy dog', '9e107d9d372bb6826bd81d3542a419d6'],
  ])('md5(%j) = %s', (input, expected) => {
    expect(md5(input)).toBe(expected);
  });

  it.each([55, 56, 57, 63, 64, 65, 119, 120, 128, 1000])('agrees with node:crypto at padding boundary length %i', (n) => {
    const s = 'x'.repeat(n);
    expect(md5(s)).toBe(createHash('md5').update(s, 'utf8').digest('hex'));
  });

  it.each(['Zoë', '日本語のメール', '👨‍👩‍👧‍👦 family', 'Ŝmith-O’Connor', 'mixed ascii ✓ and ü'])('hashes the UTF-8 bytes of %j', (s) => {
    expect(md5(s)).toBe(createHash('md5').update(s, 'utf8').digest('hex'));
  });

  it('treats a lone surrogate as U+FFFD, like Node', () => {
    expect(md5('a\uD800b')).toBe(createHash('md5').update('a\uD800b', 'utf8').digest('hex'));
  });

  it('always returns 32 lowercase hex digits', () => {
    expect(md5('anything')).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('customerIdForEmail / normaliseEmail', () => {
  it('is the md5 of the trimmed, lowercased e-mail', () => {
    expect(customerIdForEmail('  Urist.McVankab@FreddiesJokes.com\t')).toBe('62eeb292278cc15f5817cb78f7790b08');
  });
  it('normalises by trimming and lowercasing', () => {
    expect(normaliseEmail('  Bob@Example.COM \n')).toBe('bob@example.com');
  });
  it('gives the same id whatever the case and surrounding spaces', () => {
    expect(customerIdForEmail('ANA@x.example')).toBe(customerIdForEmail(' ana@x.example'));
  });
});

describe('isValidEmail (RFC-lite, aligned with what Mailchimp accepts)', () => {
  it.each([
    'bob@example.com',
    'Bob.Smith+shop@Example.co.uk',
    "o'brien@example.ie",
    'a_b-c@sub-domain.example.org',
    '  padded@example.com  ',
    '1234@123.example.com',
    `${'a'.repeat(64)}@example.com`,
    `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(57)}`,
  ])('accepts %j', (email) => {
    expect(isValidEmail(email)).toBe(true);
  });

  it.each([
    ['', 'it is empty'],
    ['   ', 'it is empty'],
    ['bob@@x', 'it must contain exactly one "@"'],
    ['bob', 'it must contain exactly one "@"'],
    ['a@b@example.com', 'it must contain exactly one "@"'],
    ['@example.com', 'nothing comes before the "@"'],
    ['bob@', 'nothing comes after the "@"'],
    ['bob@localhost', 'the domain has no dot'],
    ['bob smith@example.com', 'it contains a space or a control character'],
    ['bob@exa mple.com', 'it contains a space or a control character'],
    ['bob\u0000@example.com', 'it contains a space or a control character'],
    ['bob@.example.com', 'the domain has an empty part (a leading, trailing or double dot)'],
    ['bob@example..com', 'the domain has an empty part (a leading, trailing or double dot)'],
    ['bob@example.com.', 'the domain has an empty part (a leading, trailing or double dot)'],
    [`${'a'.repeat(65)}@example.com`, 'the part before the "@" is longer than 64 characters'],
    [`a@${'b'.repeat(250)}.com`, 'it is longer than 254 characters'],
    ['zoë@example.com', 'the part before the "@" has characters Mailchimp does not accept'],
    ['"Bob"@example.com', 'the part before the "@" has characters Mailchimp does not accept'],
    ['bob!@example.com', 'the part before the "@" has characters Mailchimp does not accept'],
    ['.bob@example.com', 'the part before the "@" starts or ends with a dot or has two dots in a row'],
    ['bob.@example.com', 'the part before the "@" starts or ends with a dot or has two dots in a row'],
    ['bo..b@example.com', 'the part before the "@" starts or ends with a dot or has two dots in a row'],
    ["bob'@example.com", 'the part before the "@" ends with an apostrophe'],
    ['bob@münchen.de', 'the domain has characters Mailchimp does not accept'],
    ['bob@-example.com', 'the domain has characters Mailchimp does not accept'],
    ['bob@example.c', 'the domain does not end in a top-level domain such as ".com"'],
    ['bob@example.c0m', 'the domain does not end in a top-level domain such as ".com"'],
  ])('refuses %j: %s', (email, problem) => {
    expect(isValidEmail(email)).toBe(false);
    expect(emailProblem(email)).toBe(problem);
  });
});

// entityWorkflowId: test/unit/workflows/contract.test.ts
describe('ENTITY_TYPES', () => {
  it('lists exactly the six entity types', () => {
    expect([...ENTITY_TYPES].sort()).toEqual(['cart', 'customer', 'order', 'product', 'promo_code', 'promo_rule']);
  });
});
