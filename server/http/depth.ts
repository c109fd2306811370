/**
 * How deep a JSON text nests, read from its bytes before it is parsed (issue 19, item 7): a body nested
 * thousands of levels deep parses, but walking it again (a size check, a schema) overflows the stack.
 * Strings are skipped (a bracket inside a string is text), escapes included.
 */
export const MAX_JSON_DEPTH = 64;

export class TooDeep extends Error {
  readonly type = 'entity.too.deep';
  readonly status = 400;
  constructor() {
    super(`JSON imbriqué sur plus de ${MAX_JSON_DEPTH} niveaux`);
  }
}

export function checkJsonDepth(buf: Buffer, max = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) throw new TooDeep();
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}
