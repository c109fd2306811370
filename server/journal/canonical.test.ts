import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.ts';

describe('canonical JSON', () => {
  it('sorts keys at every depth, drops undefined members, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined, x: 'é' }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"x":"é","z":1}]},"b":1}',
    );
  });
  it('is JSON that parses back to the same value, whatever the key order (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
        // Same content, keys inserted in reverse order: same bytes.
        const reversed = JSON.parse(JSON.stringify(v), function (this: unknown, _k, val) {
          return val && typeof val === 'object' && !Array.isArray(val) ? Object.fromEntries(Object.entries(val).reverse()) : val;
        });
        expect(canonicalJson(reversed)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});
