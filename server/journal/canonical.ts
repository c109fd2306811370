/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` members dropped. The same record always
 * gives the same bytes, so its hash can be recomputed by `verify` (and by an auditor with any JSON tool).
 */
export function canonicalJson(value: unknown): string {
  // Written as plain loops: verify hashes every ticket of every year, and this is its hot path.
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          const item = value[i];
          out += item === undefined ? 'null' : canonicalJson(item);
        }
        return out + ']';
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const item = obj[key];
        if (item === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += JSON.stringify(key) + ':' + canonicalJson(item);
      }
      return out + '}';
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode ${typeof value}`);
  }
}

/** The hash that starts every chain. */
export const GENESIS_HASH = '0'.repeat(64);
