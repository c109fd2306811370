import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { allRoutes } from '../server/http/routes.ts';
import { issueSentence } from '../server/http/validation.ts';
import { aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';

type Def = { type: string; [k: string]: any };
const def = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
/** A string's length bounds or a number's value bounds, as zod states them (null when unbounded). */
const bounds = (s: z.ZodType): { maximum?: number | null; minimum?: number | null } => {
  const b = s as unknown as { maxLength?: number | null; minLength?: number | null; maxValue?: number; minValue?: number };
  return def(s).type === 'string'
    ? { maximum: b.maxLength, minimum: b.minLength }
    : { maximum: Number.isFinite(b.maxValue) ? b.maxValue : null, minimum: Number.isFinite(b.minValue) ? b.minValue : null };
};

/** The schema under optional, nullable, default, pipes and lazies: what a value is checked against. */
function core(s: z.ZodType): z.ZodType {
  for (let i = 0; i < 20; i++) {
    const d = def(s);
    if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(d.type)) s = d.innerType;
    else if (d.type === 'pipe') s = d.in;
    else if (d.type === 'lazy') s = d.getter();
    else if (d.type === 'union') s = d.options[0];
    else return s;
  }
  return s;
}

/** Every leaf field of a schema with its path (a list's element at index 0). */
function leaves(
  s: z.ZodType,
  path: (string | number)[] = [],
  seen = new Set<z.ZodType>(),
): { path: (string | number)[]; schema: z.ZodType }[] {
  const c = core(s);
  if (seen.has(c)) return [];
  const d = def(c);
  if (d.type === 'object') {
    seen.add(c);
    return Object.entries(d.shape as Record<string, z.ZodType>).flatMap(([k, v]) => leaves(v, [...path, k], new Set(seen)));
  }
  if (d.type === 'array') return leaves(d.element, [...path, 0], seen);
  return [{ path, schema: c }];
}

/** Wrong values for a field of this type: the wrong type, and beyond its bounds when it has any. */
function badValues(schema: z.ZodType): unknown[] {
  const d = def(schema);
  const { maximum, minimum } = bounds(schema);
  if (d.type === 'string')
    return [42, ...(typeof maximum === 'number' && maximum < 10_000 ? ['é'.repeat(maximum + 2)] : []), ...(minimum ? [''] : [])];
  if (d.type === 'number' || d.type === 'int')
    return ['douze', 1.5, ...(typeof maximum === 'number' ? [maximum + 1] : []), ...(typeof minimum === 'number' ? [minimum - 1] : [])];
  if (d.type === 'boolean') return ['oui'];
  if (d.type === 'enum' || d.type === 'literal') return ['pas-une-valeur', 7];
  return [Symbol.for('skip')];
}

/** An object holding `value` at `path` (a list at a numeric step). */
function at(path: (string | number)[], value: unknown): unknown {
  if (!path.length) return value;
  const [head, ...rest] = path;
  return typeof head === 'number' ? [at(rest, value)] : { [head!]: at(rest, value) };
}

// What a person must never read: a dotted path, the request's parts, a camelCase key of the schemas.
const PATH = /\b[a-zA-Z_]+\.(?:\d+|[a-zA-Z_]+)\b/;
const PARTS = /\b(?:body|query|params)\b/;
const CAMEL = /\b[a-z]+[A-Z][A-Za-z]*\b/;

describe('refused input is said in words a cashier understands', () => {
  it('makes a sentence without any field path or key for a wrong value in every field of every route', () => {
    let checked = 0;
    const keys = new Set<string>();
    for (const r of allRoutes) {
      for (const part of ['body', 'query'] as const) {
        const schema = r[part];
        if (!schema || r.bodyKind === 'text') continue;
        for (const leaf of leaves(schema)) {
          for (const k of leaf.path) if (typeof k === 'string') keys.add(k);
          for (const bad of badValues(leaf.schema)) {
            if (bad === Symbol.for('skip')) continue;
            const input = at(leaf.path, bad);
            const parsed = schema.safeParse(input);
            if (parsed.success) continue;
            for (const issue of parsed.error.issues) {
              for (const lang of ['fr', 'en'] as const) {
                const sentence = issueSentence(issue, input, lang, r.path);
                const where = `${r.method} ${r.path} ${leaf.path.join('.')}=${JSON.stringify(bad)} (${lang}): ${sentence}`;
                expect(sentence, where).not.toMatch(PATH);
                expect(sentence, where).not.toMatch(PARTS);
                expect(sentence, where).not.toMatch(CAMEL);
                // A sentence: a capital first, a full stop last.
                expect(sentence, where).toMatch(/^[A-ZÀ-ÖØ-Þ].*\.$/su);
                checked++;
              }
            }
          }
        }
      }
    }
    // Every key the schemas use that is not a word of the language may not show through either.
    expect(keys.size).toBeGreaterThan(100);
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('the server answers in sentences, keeping the path and code for programs', () => {
  let shop: TestShop;
  let till: Client;
  beforeAll(async () => {
    shop = await startTestShop();
    till = (await aUser(shop, 'cashier')).client;
  });
  afterAll(() => shop.close());

  it('says what is wrong with the manager’s PIN when a refund is approved without it', async () => {
    const empty = await till.post('/api/auth/approve', { pin: '', purpose: 'refund', amountCents: 320 });
    expect(empty.status).toBe(400);
    // Written by hand from the issue: "Données invalides : body.pin — code PIN de 4 à 8 chiffres" before.
    expect(empty.body.error.message).toBe('Le code PIN du responsable doit comporter 4 à 8 chiffres.');
    expect(empty.body.error.fields).toEqual([{ field: 'body.pin', code: 'invalid_format', reason: 'code PIN de 4 à 8 chiffres' }]);
    const missing = await till.post('/api/auth/approve', { purpose: 'refund', amountCents: 320 });
    expect(missing.body.error.message).toBe('Le code PIN du responsable est obligatoire.');
  });

  it('names the limit and what was typed when a product name is too long, in the reader’s language', async () => {
    // 121 characters against the product name's limit of 120 (shared/api/catalog.ts).
    const name =
      'Confiture extra de figues et de noix du Tarn, cuite au chaudron de cuivre, sans pectine ajoutée, pot en verre consigné 12';
    expect([...name].length).toBe(121);
    const fr = await shop.admin.post('/api/products', { name });
    expect(fr.status).toBe(400);
    expect(fr.body.error.message).toContain('Le nom de l’article dépasse 120 caractères (121 saisis).');
    expect(fr.body.error.fields.find((f: { field: string }) => f.field === 'body.name')).toMatchObject({ code: 'too_big' });

    const en = await fetch(`${shop.admin.baseUrl}/api/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en', cookie: shop.admin.cookieHeader() },
      body: JSON.stringify({ name }),
    });
    const body = (await en.json()) as { error: { message: string } };
    expect(body.error.message).toContain('The product name is longer than 120 characters (121 entered).');
    expect(body.error.message).not.toMatch(PATH);
  });

  it('says a domain refusal without the field’s path', async () => {
    // A product for a producer that does not exist: the domain's own Invalid({ field: 'producerId' }).
    const res = await shop.admin.post('/api/products', {
      name: 'Tomme',
      producerId: 999_999,
      unit: 'piece',
      priceCents: 450,
      vatRateBp: 550,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('Le producteur : producteur inconnu.');
    expect(res.body.error.fields[0].field).toBe('producerId');
  });
});

describe('a few sentences, checked by hand', () => {
  const sentence = (schema: z.ZodType, input: unknown, route: string, lang: 'fr' | 'en' = 'fr') => {
    const parsed = schema.safeParse(input);
    if (parsed.success) throw new Error('accepted');
    return parsed.error.issues.map((i) => issueSentence(i, input, lang, route));
  };
  const route = (path: string) => allRoutes.find((r) => r.path === path && r.body)!;

  it('says each refusal as the form names the field', () => {
    const producers = route('/api/producers');
    // A SIRET whose Luhn key is wrong (…0075 instead of …0074), the reason without "SIRET invalide" twice.
    expect(sentence(producers.body!, { siret: '73282932000075' }, '/api/producers')).toContain(
      'Le numéro SIRET n’est pas valide : 14 chiffres avec une clé de contrôle correcte.',
    );
    const products = route('/api/products');
    // A price above 100 000,00 € (10 000 000 cents): said in euros, not in cents.
    expect(sentence(products.body!, { priceCents: 10_000_001 }, '/api/products')).toContain(
      'Le prix doit être au plus de 100\u00a0000,00\u00a0€.',
    );
    // A price or a rate the page could not read, sent as typed: what is wanted (a stand-in −1 made it say
    // « au moins de 0,00 € »); a rate's bound in per cent, not basis points (« au plus de 10 000 »).
    expect(sentence(products.body!, { priceCents: 'abc' }, '/api/products')).toContain(
      'Le prix doit être un montant en euros, par exemple 3,50.',
    );
    expect(sentence(producers.body!, { commissionBp: 'vingt' }, '/api/producers')).toContain(
      'Le taux de commission doit être un pourcentage, par exemple 12,5.',
    );
    // The bank details name their field (« Une des valeurs saisies » did).
    expect(sentence(producers.body!, { iban: 'FR12 3456' }, '/api/producers').join(' ')).toMatch(/L’IBAN n’est pas valide/);
    expect(sentence(producers.body!, { commissionBp: 15_000 }, '/api/producers')).toContain(
      'Le taux de commission doit être au plus de 100\u00a0%.',
    );
    expect(sentence(products.body!, { quantity: 1 }, '/api/products')).toContain(
      'La demande contient des informations inattendues : rechargez la page puis réessayez.',
    );
    const refunds = route('/api/refunds');
    expect(sentence(refunds.body!, { reason: 'ok' }, '/api/refunds')).toContain(
      'Le motif du remboursement doit comporter au moins 3 caractères.',
    );
    expect(sentence(refunds.body!, { reason: 'ok' }, '/api/refunds', 'en')).toContain(
      'The reason for the refund must have at least 3 characters.',
    );
  });
});
