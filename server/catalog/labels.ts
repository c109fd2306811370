import type { LabelProduct } from '../documents/labels.ts';
import { Invalid, NotFound } from '../errors.ts';
import type { Db } from '../../db/schema.ts';
import { getProduct } from './products.ts';

/** The labels asked for, one per copy, each with the product's first barcode; at most `max` in all. */
export async function labelsFor(db: Db, items: readonly { productId: number; copies: number }[], max: number): Promise<LabelProduct[]> {
  const total = items.reduce((n, i) => n + i.copies, 0);
  if (total > max) throw new Invalid({ field: 'items', reason: `au plus ${max.toLocaleString('fr-FR')} étiquettes à la fois` });
  const labels: LabelProduct[] = [];
  for (const [i, item] of items.entries()) {
    const p = await getProduct(db, item.productId).catch((e: unknown) => {
      throw e instanceof NotFound ? new Invalid({ field: `items.${i}.productId`, reason: 'article inconnu' }) : e;
    });
    for (let c = 0; c < item.copies; c++)
      labels.push({
        name: p.name,
        producerName: p.producerName,
        unit: p.unit,
        priceCents: p.priceCents,
        barcode: p.barcodes[0] ?? null,
        net: p.net,
      });
  }
  return labels;
}
