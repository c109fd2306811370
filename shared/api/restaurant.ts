import { z } from 'zod';
import { courseSchema, idSchema, outletCodeSchema, printable, trimmed, UNPRINTABLE_REASON, urlInt } from './common.ts';
import { endpoint } from './contract.ts';
import { uuidV7 } from './sales.ts';

const int = z.number().int();

export { courseSchema };
export type Course = z.infer<typeof courseSchema>;
export const COURSES: readonly Course[] = courseSchema.options;
/** A course's place in the meal (drink 0, starter 1, main 2, dessert 3): the schema lists them in serving order. */
export const courseRank = (c: Course): number => COURSES.indexOf(c);

export const tableShapeSchema = z.enum(['square', 'round', 'rect']);
export const orderModeSchema = z.enum(['on_site', 'takeaway']);

// ——— The floor (managers) ———

export const roomBody = z.object({ outlet: outletCodeSchema.default('restaurant'), name: trimmed(1, 40) }).strict();
const planCoordinate = z.number().int().min(0).max(200);
export const tableBody = z
  .object({
    name: trimmed(1, 20),
    seats: z.number().int().min(1).max(40),
    shape: tableShapeSchema.default('square'),
    x: planCoordinate.default(0),
    y: planCoordinate.default(0),
    width: z.number().int().min(2).max(60).default(8),
    height: z.number().int().min(2).max(60).default(8),
  })
  .strict();
/** Only what is named changes (no defaults here: moving a table must not reset its size or shape). */
export const tablePatch = z
  .object({
    name: trimmed(1, 20),
    seats: z.number().int().min(1).max(40),
    shape: tableShapeSchema,
    x: planCoordinate,
    y: planCoordinate,
    width: z.number().int().min(2).max(60),
    height: z.number().int().min(2).max(60),
    active: z.boolean(),
  })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'rien à changer');
export const stationBody = z
  .object({ outlet: outletCodeSchema.default('restaurant'), name: trimmed(1, 40), printerId: idSchema.nullable().default(null) })
  .strict();
export const categoryStationBody = z.object({ stationId: idSchema.nullable() }).strict();

// ——— Operations on an order ———

const opBase = {
  /** The operation's own id: sent twice (a retry, an outbox after a reconnection), it is applied once. */
  id: uuidV7,
  /** When the waiter did it, on their device's clock. */
  at: z.iso.datetime({ offset: true, message: 'date ISO 8601 attendue' }),
};
const note = z.string().trim().max(140).refine(printable, UNPRINTABLE_REASON);

export const orderOpSchema = z.discriminatedUnion('kind', [
  z
    .object({
      ...opBase,
      kind: z.literal('open'),
      tableId: idSchema,
      covers: z.number().int().min(1).max(60),
      mode: orderModeSchema.default('on_site'),
    })
    .strict(),
  z
    .object({
      ...opBase,
      kind: z.literal('add'),
      /** The line's id, made by the device: two waiters adding at once add two lines. */
      lineId: uuidV7,
      productId: idSchema,
      quantity: z.number().int().min(1).max(99),
      seat: z.number().int().min(1).max(60).optional(),
      note: note.optional(),
      /** Left out: the product's own course. */
      course: courseSchema.optional(),
      /**
       * The options chosen among the product's modifiers (`modifiers[].options[].id` in the catalogue), each
       * group's minimum and maximum kept; left out: none. Their prices add to the line's unit price.
       */
      modifiers: z.array(idSchema).max(40).optional(),
    })
    .strict(),
  z
    .object({
      ...opBase,
      kind: z.literal('modify'),
      lineId: uuidV7,
      /** The line's version the waiter saw: changed since by someone else, the change is refused (409), never merged. */
      version: z.number().int().min(1),
      quantity: z.number().int().min(1).max(99).optional(),
      seat: z.number().int().min(1).max(60).nullable().optional(),
      note: note.nullable().optional(),
      course: courseSchema.nullable().optional(),
      /** The whole new choice of options (« à point, finalement »), checked and priced as on `add`. */
      modifiers: z.array(idSchema).max(40).optional(),
    })
    .strict(),
  z.object({ ...opBase, kind: z.literal('remove'), lineId: uuidV7, version: z.number().int().min(1) }).strict(),
  z
    .object({
      ...opBase,
      kind: z.literal('void'),
      lineId: uuidV7,
      version: z.number().int().min(1),
      reason: z.string().trim().min(3, 'motif obligatoire (3 caractères au moins)').max(140).refine(printable, UNPRINTABLE_REASON),
      /** How many of the line to cancel (one of three beers); all of it when absent. */
      quantity: z.number().int().min(1).max(999).optional(),
      /** A manager's approval (`POST /api/auth/approve` on this phone) when the line is worth more than the shop's limit. */
      approval: z.string().max(200).optional(),
    })
    .strict(),
  z.object({ ...opBase, kind: z.literal('send') }).strict(),
  z.object({ ...opBase, kind: z.literal('fire'), course: courseSchema }).strict(),
  /** Frees the table of an order with nothing to pay (opened by mistake, every dish cancelled): refused otherwise. */
  z.object({ ...opBase, kind: z.literal('close') }).strict(),
  z.object({ ...opBase, kind: z.literal('covers'), covers: z.number().int().min(1).max(60) }).strict(),
  /**
   * Sur place or à emporter, changed on an open order: every line not paid yet is re-rated for it (a line
   * already paid, even in part, keeps the rate it was paid at).
   */
  z.object({ ...opBase, kind: z.literal('mode'), mode: orderModeSchema }).strict(),
  z.object({ ...opBase, kind: z.literal('transfer'), tableId: idSchema }).strict(),
  /** Some lines to another table's open order (a guest changes table; a dish rung on the wrong one). */
  z.object({ ...opBase, kind: z.literal('move'), lineIds: z.array(uuidV7).min(1).max(200), toOrderId: uuidV7 }).strict(),
  /** Two tables become one: every line of the other order comes to this one, and the other table is free. */
  z.object({ ...opBase, kind: z.literal('merge'), fromOrderId: uuidV7 }).strict(),
  /** The note (l'addition), printed on this phone's till printer; the customer's name on it when they give it. */
  z
    .object({
      ...opBase,
      kind: z.literal('note'),
      customerName: z.string().trim().max(80).refine(printable, UNPRINTABLE_REASON).optional(),
    })
    .strict(),
]);
export type OrderOp = z.infer<typeof orderOpSchema>;

// ——— Views ———

export const orderLineView = z.strictObject({
  id: z.string(),
  position: int,
  productId: int,
  name: z.string(),
  quantity: int,
  /** The product's price and the chosen options' prices, incl. VAT. */
  unitPriceCents: int,
  totalCents: int,
  /** Its rate: the product's on site or to take away, as the order was when it was added (or re-rated since). */
  vatRateBp: int,
  /** The options chosen, as they were named and priced when the line was added. */
  modifiers: z.array(z.strictObject({ name: z.string(), priceCents: int })),
  seat: int.nullable(),
  note: z.string().nullable(),
  course: courseSchema.nullable(),
  stationId: int.nullable(),
  status: z.enum(['new', 'sent', 'voided']),
  version: int,
  addedBy: int,
  addedAt: z.string(),
  sentAt: z.string().nullable(),
  firedAt: z.string().nullable(),
  voidedAt: z.string().nullable(),
  voidReason: z.string().nullable(),
  /** Already paid of it (a bill split by item): what is left to pay is `quantity − paidQuantity`. */
  paidQuantity: int,
});
export type OrderLineView = z.infer<typeof orderLineView>;

export const orderView = z.strictObject({
  id: z.string(),
  outletId: int,
  tableId: int.nullable(),
  tableName: z.string().nullable(),
  covers: int,
  mode: orderModeSchema,
  status: z.enum(['open', 'closed', 'cancelled']),
  waiterId: int,
  waiterName: z.string(),
  openedAt: z.string(),
  version: int,
  /** What is to be paid: every line not voided. */
  totalCents: int,
  /** What was paid of it already (items, shares of the bill): `totalCents − paidCents` is left to pay. */
  paidCents: int,
  lines: z.array(orderLineView),
  /** The last note printed: its number and copy (0: the note itself, then DUPLICATA 1, 2…). */
  lastNote: z.strictObject({ number: int, copy: int, totalCents: int }).nullable(),
});
export type OrderView = z.infer<typeof orderView>;

export const tableView = z.strictObject({
  id: int,
  roomId: int,
  name: z.string(),
  seats: int,
  shape: tableShapeSchema,
  x: int,
  y: int,
  width: int,
  height: int,
  active: z.boolean(),
  /** The open order at this table, at a glance. */
  order: z
    .strictObject({
      id: z.string(),
      covers: int,
      waiterName: z.string(),
      openedAt: z.string(),
      totalCents: int,
      /** Lines not sent to the kitchen yet. */
      newLines: int,
    })
    .nullable(),
});
export const roomView = z.strictObject({ id: int, outletId: int, name: z.string(), sortOrder: int, tables: z.array(tableView) });
export type RoomView = z.infer<typeof roomView>;
export const stationView = z.strictObject({ id: int, outletId: int, name: z.string(), printerId: int.nullable(), active: z.boolean() });

// ——— The kitchen screen ———

export const kitchenStateSchema = z.enum(['todo', 'ready', 'served']);
export type KitchenState = z.infer<typeof kitchenStateSchema>;

export const kitchenItemView = z.strictObject({
  lineId: z.string(),
  name: z.string(),
  quantity: int,
  /** The options chosen (À point, Supplément fromage). */
  modifiers: z.array(z.string()),
  seat: int.nullable(),
  note: z.string().nullable(),
  course: courseSchema.nullable(),
  /** Sent ahead, to prepare when its course is asked for (Suite). */
  waiting: z.boolean(),
  /** Moved to another table since the ticket was printed: that table (its name, or « à emporter »). */
  movedTo: z.string().nullable(),
  /** Of `quantity`, how many were cancelled since (their ANNULÉ ticket came apart): not to prepare. */
  cancelled: int,
  /** Sent ahead (`waiting`), its course asked for since: it is on its « Suite » ticket now. */
  fired: z.boolean(),
});
export const kitchenTicketView = z.strictObject({
  id: int,
  /** The order it is for now: the one its table was merged into, if it was. */
  orderId: z.string(),
  stationId: int,
  /** A send, a course asked for (Suite), or lines cancelled (ANNULÉ). */
  kind: z.enum(['send', 'fire', 'void']),
  table: z.string(),
  /** Sold at a till (the bar's counter sale, paid): the till and the ticket's number, instead of a table. */
  counter: z.strictObject({ till: z.string(), number: int }).nullable(),
  /** An order to take away (its ticket says À EMPORTER), whatever table it was rung at. */
  takeaway: z.boolean(),
  covers: int,
  waiter: z.string(),
  createdAt: z.string(),
  state: kitchenStateSchema,
  stateAt: z.string().nullable(),
  /** One more at each change of state: a device keeps the higher of two views of a ticket (messages can cross). */
  version: int,
  reprints: int,
  /** The course asked for, on a Suite ticket. */
  course: courseSchema.nullable(),
  /** Why the lines were cancelled, on an ANNULÉ ticket. */
  reason: z.string().nullable(),
  /** Its print job: queued, printing, done, failed, unconfirmed…; null without a printer. */
  printStatus: z.string().nullable(),
  items: z.array(kitchenItemView),
});
export type KitchenTicketView = z.infer<typeof kitchenTicketView>;
export const kitchenBoard = z.strictObject({
  station: z.strictObject({ id: int, name: z.string(), printerId: int.nullable(), printerName: z.string().nullable() }),
  /** Not served yet, oldest first; then those served in the last half hour (to recall one). */
  tickets: z.array(kitchenTicketView),
  /** Dishes still to prepare, all tables together, by name (the count the kitchen plans with). */
  allDay: z.array(z.strictObject({ name: z.string(), quantity: int })),
});
export type KitchenBoard = z.infer<typeof kitchenBoard>;
export const kitchenStateBody = z
  .object({
    state: kitchenStateSchema,
    /**
     * The state the caller saw: the change is made only from it (a waiter's « Servi » on a dish the kitchen
     * recalled meanwhile is refused, 409). Without it, from any state (the kitchen's own screen).
     */
    from: kitchenStateSchema.optional(),
  })
  .strict();
export const stationPrinterBody = z
  .object({
    /** The printer this station's tickets go to from now on (another station's, while its own is down). */
    printerId: idSchema,
    /** Also send there the tickets still waiting or failed on the old printer (never one that may have printed). */
    moveWaiting: z.boolean().default(true),
  })
  .strict();

/** The bill's split screen asks what is left, and with `parts`, what each of that many equal parts would pay. */
export const billQuery = z.object({ parts: urlInt((n) => n.min(2).max(50)).optional() }).strict();

/** What is left to pay of an order, per VAT rate, and the equal parts of it (shared/split.ts). */
export const billView = z.strictObject({
  orderId: z.string(),
  totalCents: int,
  paidCents: int,
  leftCents: int,
  leftByRate: z.array(z.strictObject({ vatRateBp: int, leftCents: int })),
  /** A share was paid already: the rest is paid in shares too (not by item). */
  byShare: z.boolean(),
  /** With `parts`: part k pays `amountCents`, each paid in turn; the last takes exactly what is left. */
  parts: z.array(z.strictObject({ index: int, amountCents: int })),
  /**
   * Shared in equal parts already: into how many, and how many are paid (the next one to pay is `paid + 1` of
   * `parts`, whichever phone pays it). Null: not shared in equal parts.
   */
  split: z.strictObject({ parts: int, paid: int }).nullable(),
  /** The lines with something left to pay, in order: a share is spread over them (shared/split.ts `spreadPart`). */
  lines: z.array(z.strictObject({ leftCents: int, vatRateBp: int, mealVoucherEligible: z.boolean() })),
});
export type BillView = z.infer<typeof billView>;

const idParams = z.object({ id: urlInt((n) => n.positive()) }).strict();
const orderParams = z.object({ id: uuidV7 }).strict();

export const restaurantApi = {
  floor: endpoint({
    method: 'get',
    path: '/api/floor',
    query: z.object({ outlet: outletCodeSchema.default('restaurant') }).strict(),
    response: z.array(roomView),
  }),
  createRoom: endpoint({ method: 'post', path: '/api/rooms', body: roomBody, response: roomView }),
  createTable: endpoint({ method: 'post', path: '/api/rooms/:id/tables', params: idParams, body: tableBody, response: tableView }),
  updateTable: endpoint({ method: 'patch', path: '/api/tables/:id', params: idParams, body: tablePatch, response: tableView }),
  stations: endpoint({ method: 'get', path: '/api/stations', response: z.array(stationView) }),
  createStation: endpoint({ method: 'post', path: '/api/stations', body: stationBody, response: stationView }),
  categoryStation: endpoint({
    method: 'put',
    path: '/api/categories/:id/station',
    params: idParams,
    body: categoryStationBody,
    response: z.strictObject({ categoryId: int, stationId: int.nullable() }),
  }),
  openOrders: endpoint({
    method: 'get',
    path: '/api/orders',
    query: z.object({ outlet: outletCodeSchema.default('restaurant') }).strict(),
    response: z.array(orderView),
  }),
  order: endpoint({ method: 'get', path: '/api/orders/:id', params: orderParams, response: orderView }),
  kitchenBoard: endpoint({ method: 'get', path: '/api/stations/:id/board', params: idParams, response: kitchenBoard }),
  kitchenState: endpoint({
    method: 'post',
    path: '/api/kitchen-tickets/:id/state',
    params: idParams,
    body: kitchenStateBody,
    response: kitchenTicketView,
  }),
  kitchenReprint: endpoint({
    method: 'post',
    path: '/api/kitchen-tickets/:id/reprint',
    params: idParams,
    response: z.strictObject({ jobId: int }),
  }),
  stationPrinter: endpoint({
    method: 'put',
    path: '/api/stations/:id/printer',
    params: idParams,
    body: stationPrinterBody,
    response: z.strictObject({ station: stationView, moved: int }),
  }),
  apply: endpoint({
    method: 'post',
    path: '/api/orders/:id/ops',
    params: orderParams,
    body: orderOpSchema,
    response: z.strictObject({ applied: z.boolean(), order: orderView }),
  }),
  bill: endpoint({
    method: 'get',
    path: '/api/orders/:id/bill',
    params: orderParams,
    query: billQuery,
    response: billView,
  }),
};
