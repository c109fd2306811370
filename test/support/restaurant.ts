import { aProduct, type Client } from './harness.ts';

/**
 * The lunch menu the restaurant's browser tests order from, each dish in its category and course:
 * Salade de chèvre 9,50 (starter), Magret 18,50 and Entrecôte 22,00 (mains, the steak asking its
 * cuisson: Saignant or À point, free), Croustade 7,50 (dessert) at 10 %, Pression 3,50 (drink) at 20 %.
 */
export async function aLunchMenu(admin: Client, categories: { dishes: number; sweets: number; drinks: number }): Promise<void> {
  const menu = { producerId: null, outlets: ['restaurant'], vatRateBp: 1000 };
  const { dishes, sweets, drinks } = categories;
  await aProduct(admin, { ...menu, name: 'Salade de chèvre', priceCents: 950, categoryId: dishes, course: 'starter' });
  await aProduct(admin, { ...menu, name: 'Magret', priceCents: 1850, categoryId: dishes, course: 'main' });
  await aProduct(admin, { ...menu, name: 'Croustade', priceCents: 750, categoryId: sweets, course: 'dessert' });
  await aProduct(admin, { ...menu, name: 'Pression', priceCents: 350, vatRateBp: 2000, categoryId: drinks, course: 'drink' });
  const steak = await aProduct(admin, { ...menu, name: 'Entrecôte', priceCents: 2200, categoryId: dishes, course: 'main' });
  const cuisson = await admin.put(`/api/products/${steak.id}/modifiers`, {
    groups: [
      {
        name: 'Cuisson',
        min: 1,
        max: 1,
        options: [
          { name: 'Saignant', priceCents: 0 },
          { name: 'À point', priceCents: 0 },
        ],
      },
    ],
  });
  if (cuisson.status !== 200) throw new Error(`aLunchMenu: ${cuisson.status} ${JSON.stringify(cuisson.body)}`);
}
