import { describe, expect, it } from 'vitest';
import { allRoutes } from '../../server/http/routes.ts';

// A PATCH changes what it names and nothing else. A field its body leaves out must not come back from the
// schema filled with a default: the update would then write that default over what is stored (found by an
// adversarial probe: the back office's producer form, which does not send the contact fields, blanked them).
describe('PATCH bodies', () => {
  const patches = allRoutes.filter((r) => r.method === 'patch' && r.body);

  it('are there to check', () => {
    expect(patches.length).toBeGreaterThanOrEqual(9);
  });

  it('give back only what the request named: an empty body is refused or stays empty', () => {
    const filled: string[] = [];
    for (const r of patches) {
      const parsed = r.body!.safeParse({});
      if (parsed.success && Object.keys(parsed.data as object).length)
        filled.push(`${r.path}: ${Object.keys(parsed.data as object).join(', ')}`);
    }
    expect(filled).toEqual([]);
  });
});
