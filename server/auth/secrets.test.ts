import { describe, expect, it } from 'vitest';
import { randomCode } from './secrets.ts';

describe('randomCode', () => {
  it('gives 18 random bytes as 24 base64url characters, never the same twice over several refills of its pool', () => {
    // 4,096-byte pool, 18 bytes a code: 2,000 codes draw 36,000 bytes, about nine refills.
    const codes = Array.from({ length: 2000 }, () => randomCode(18));
    for (const c of codes) expect(c).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('refuses more than 64 bytes', () => {
    expect(() => randomCode(65)).toThrow(RangeError);
  });
});
