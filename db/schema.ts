import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';

// Booleans are stored as 0/1 integers: SQLite has no boolean type, and PostgreSQL accepts the same.
type Flag = 0 | 1;

export type Role = 'admin' | 'manager' | 'cashier' | 'waiter' | 'producer';
export type OutletCode = 'shop' | 'restaurant' | 'epicerie' | 'textile' | 'ressourcerie';
export type Unit = 'piece' | 'kg';
/** Réel (collects VAT), franchise en base (art. 293 B CGI), agricultural flat rate (art. 298 quater CGI). */
export type VatStatus = 'subject' | 'franchise' | 'flat_rate';
export type MovementKind = 'deposit' | 'sale' | 'refund' | 'return' | 'loss' | 'count' | 'kitchen' | 'transfer';
export type SlipKind = 'deposit' | 'return' | 'transfer';

export interface OutletTable {
  id: Generated<number>;
  /** The first site's outlets are coded by their kind (`shop`…); another site's `<kind>@<site code>`. */
  code: string;
  name: string;
  site_id: number;
  kind: OutletCode;
}

/** A place of the network (migration 032): its outlets, tills, printers and stock. */
export interface SiteTable {
  id: Generated<number>;
  code: string;
  name: string;
  city: string;
  active: 0 | 1;
  created_at: string;
}

/** A site's own price for a product, with its history; a null price returns it to the network's price. */
export interface SitePriceTable {
  id: Generated<number>;
  site_id: number;
  product_id: number;
  price_cents: number | null;
  valid_from: string;
  set_by: number | null;
}

export interface TillTable {
  id: Generated<number>;
  outlet_id: number;
  name: string;
  training_mode: ColumnType<Flag, Flag | undefined, Flag>;
  active: ColumnType<Flag, Flag | undefined, Flag>;
  pin_failures: ColumnType<number, number | undefined, number>;
  pin_locked_until: string | null;
  created_at: string;
  /** The receipt printer (and cash drawer) of this till. */
  printer_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface DeviceTable {
  id: Generated<number>;
  till_id: number;
  token_hash: string;
  label: string | null;
  paired_at: string;
  paired_by: number;
  revoked_at: string | null;
  last_seen_at: string | null;
  /** Another tablet was paired with the same till: this one may only deliver what it had queued. */
  replaced_at: string | null;
}

export interface PairingCodeTable {
  code_hash: string;
  till_id: number;
  created_by: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface UserTable {
  id: Generated<number>;
  login: string | null;
  display_name: string;
  role: Role;
  password_hash: string | null;
  pin_hash: string | null;
  producer_id: number | null;
  outlet_id: number | null;
  /** A manager who runs one site; null: the whole network. */
  site_id: ColumnType<number | null, number | null | undefined, number | null>;
  active: ColumnType<Flag, Flag | undefined, Flag>;
  failed_logins: ColumnType<number, number | undefined, number>;
  locked_until: string | null;
  created_at: string;
}

export interface SessionTable {
  id_hash: string;
  user_id: number;
  device_id: number | null;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface ProducerTable {
  id: Generated<number>;
  slug: string;
  name: string;
  legal_name: string;
  contact_name: string;
  email: string;
  phone: string;
  address: string;
  siret: string;
  vat_status: VatStatus;
  commission_bp: number;
  active: ColumnType<Flag, Flag | undefined, Flag>;
  search_text: string;
  created_at: string;
  updated_at: string;
  /** Intra-EU VAT number ('' when the producer has none: franchise, flat rate). */
  vat_number: ColumnType<string, string | undefined, string>;
  /** Where the producer's statements are paid (SEPA credit transfer); null until given. */
  iban: ColumnType<string | null, string | null | undefined, string | null>;
  bic: ColumnType<string | null, string | null | undefined, string | null>;
  /** Rate of the remboursement forfaitaire agricole for a flat-rate farmer: 443 (4,43 %) or 559 (5,59 %). */
  flat_rate_compensation_bp: ColumnType<number, number | undefined, number>;
}

export interface CategoryTable {
  id: Generated<number>;
  slug: string;
  name: string;
  color: string;
  sort_order: number;
  active: ColumnType<Flag, Flag | undefined, Flag>;
}

/** Where a category's dishes are prepared at a restaurant (outlet); no row: nothing to prepare there. */
export interface CategoryStationTable {
  category_id: number;
  outlet_id: number;
  station_id: number;
}

export interface ProductTable {
  id: Generated<number>;
  name: string;
  producer_id: number | null;
  category_id: number | null;
  unit: Unit;
  price_cents: number;
  vat_rate_bp: number;
  plu: string | null;
  stock_tracked: Flag;
  low_stock_threshold: number | null;
  /** Prepacked goods sold by the piece: net grams or millilitres, for the price per kg or per litre. */
  net_quantity: ColumnType<number | null, number | null | undefined, number | null>;
  net_unit: ColumnType<'g' | 'ml' | null, 'g' | 'ml' | null | undefined, 'g' | 'ml' | null>;
  /** The course it is sent to the kitchen in by default (restaurant). */
  course: ColumnType<CourseCode | null, CourseCode | null | undefined, CourseCode | null>;
  /** Its VAT rate sold to take away; null: the same as on site (`vat_rate_bp`). */
  takeaway_vat_rate_bp: ColumnType<number | null, number | null | undefined, number | null>;
  /** Food that meal vouchers (titres-restaurant) may pay for. */
  meal_voucher_eligible: ColumnType<Flag, Flag | undefined, Flag>;
  active: ColumnType<Flag, Flag | undefined, Flag>;
  search_text: string;
  created_at: string;
  updated_at: string;
  /** A variant of a model (textile): its model, size and colour; null for any other product. */
  model_id: ColumnType<number | null, number | null | undefined, number | null>;
  size: ColumnType<string | null, string | null | undefined, string | null>;
  colour: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ProductOutletTable {
  product_id: number;
  outlet_id: number;
}

export interface BarcodeTable {
  code: string;
  product_id: number;
  created_at: string;
}

export interface StockLevelTable {
  site_id: number;
  product_id: number;
  on_hand: number;
  last_movement_id: number;
  updated_at: string;
}

export interface StockMovementTable {
  id: Generated<number>;
  product_id: number;
  kind: MovementKind;
  quantity: number;
  counted: number | null;
  at: string;
  user_id: number | null;
  slip_id: number | null;
  sale_id: string | null;
  note: string | null;
  /** Kitchen use only: the product's price when the restaurant took it (what the producer is paid). */
  unit_price_cents: ColumnType<number | null, number | null | undefined, never>;
  site_id: number;
}

export interface StockSlipTable {
  id: Generated<number>;
  kind: SlipKind;
  number: number;
  producer_id: number;
  note: string | null;
  created_at: string;
  created_by: number;
  /** Where the goods were delivered, taken back, or sent from. */
  site_id: number;
  /** A transfer only: the site the goods were sent to. */
  to_site_id: number | null;
}

/** A failure counter of the PIN and password limiter (server/auth/limiter.ts). */
export interface AuthLimitTable {
  key: string;
  failures: ColumnType<number, number | undefined, number>;
  last_failure_at: string;
  locked_until: string | null;
}

/** Each manager's approval used, by its signature: good once (migration 038). */
export interface ApprovalUseTable {
  mac: string;
  manager_id: number;
  purpose: string;
  subject: string;
  used_at: string;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface EventTable {
  id: Generated<number>;
  at: string;
  user_id: number | null;
  kind: string;
  subject: string | null;
  data: string;
  prev_hash: string;
  hash: string;
}

export interface SaleTable {
  id: string;
  till_id: number;
  training: Flag;
  number: number;
  chain_seq: number;
  outlet_id: number;
  cashier_id: number;
  kind: 'sale' | 'refund';
  refund_of: string | null;
  reason: string | null;
  approved_by: number | null;
  created_at: string;
  received_at: string;
  business_day: string;
  late: Flag;
  subtotal_cents: number;
  discount_cents: number;
  total_cents: number;
  change_cents: number;
  gap_before: Flag;
  body_hash: string;
  receipt_token: string;
  till_grand_total_cents: number;
  prev_hash: string;
  hash: string;
  /** The tablet that sent it (null before 2026-12-03). */
  device_id: number | null;
  /** The number the tablet gave it, when another tablet of the till had already used it (then `number` is the till's next). */
  proposed_number: number | null;
  /** The form of the hashed record: 1 before 2026-12-06, 2 since (every fiscal field, see server/journal/tickets.ts), 3 with each line's price origin. */
  chain_version: ColumnType<1 | 2 | 3, 1 | 2 | 3 | undefined, never>;
  /** The version of Comptoir that recorded it (null before chain version 2). */
  software_version: ColumnType<string | null, string | null | undefined, never>;
}

export interface SaleLineTable {
  sale_id: string;
  line_no: number;
  product_id: number;
  name: string;
  producer_id: number | null;
  unit: Unit;
  /** Pieces, or grams for products sold by weight; negative on a refund. */
  quantity: number;
  unit_price_cents: number;
  gross_cents: number;
  line_discount_cents: number;
  ticket_discount_cents: number;
  total_cents: number;
  vat_rate_bp: number;
  note: string | null;
  refund_of_line: number | null;
  /** Where the unit price came from (null on refunds, shares of a bill and lines before price checks). */
  price_source: PriceSource | null;
  /** The catalogue's price in force when rung, kept when the line was sold at another (label, manual). */
  catalogue_price_cents: number | null;
  manual_price_reason: string | null;
  /** The manager who approved a manual price beyond the cashier's limit (or rang it). */
  price_approved_by: number | null;
  /**
   * Its ticket's business day, training flag, kind and outlet, copied at the commit (migration 033): a
   * producer's lines are indexed by day with them.
   */
  business_day: string;
  training: 0 | 1;
  kind: 'sale' | 'refund';
  outlet_id: number;
  /** The product's category when it was sold (a refund: the refunded line's), migration 040; not hashed. */
  category_id: number | null;
}

/** A run of a month's statements (server/settlement/runs.ts), seen by every process. */
export interface StatementRunTable {
  id: string;
  period_from: string;
  period_to: string;
  total: number;
  done: number;
  issued: number;
  /** JSON: the producers skipped, each with the reason. */
  skipped: string;
  state: 'running' | 'finished' | 'failed';
  started_by: number;
  started_at: string;
  /** Written with its progress: a running run not heard from for a while was left by a process that died. */
  heartbeat_at: string;
  finished_at: string | null;
}

export type PriceSource = 'catalogue' | 'label' | 'order' | 'manual';

/** Every price and VAT rate a product has had, from when (append-only). */
export interface ProductPriceTable {
  id: Generated<number>;
  product_id: number;
  price_cents: number;
  vat_rate_bp: number;
  takeaway_vat_rate_bp: number | null;
  valid_from: string;
  set_by: number | null;
}

/** A producer's commission terms from `valid_from` on (migration 039): `by_category` is `{"<category id>": bp}` as JSON. */
export interface CommissionTermsTable {
  id: Generated<number>;
  producer_id: number;
  default_bp: number;
  by_category: string;
  valid_from: string;
  set_by: number | null;
}

export interface SalePaymentTable {
  sale_id: string;
  seq: number;
  method: string;
  amount_cents: number;
  /** A tip added on a card payment: charged with it, outside the ticket's total and turnover. */
  tip_cents: ColumnType<number, number | undefined, number>;
  /** A meal voucher worth more than what it paid: the excess the shop keeps (no change on a voucher). */
  excess_cents: ColumnType<number, number | undefined, number>;
}

export interface SaleVatTable {
  sale_id: string;
  vat_rate_bp: number;
  gross_cents: number;
  net_cents: number;
  vat_cents: number;
}

export interface ClosingTable {
  id: Generated<number>;
  outlet_id: number;
  kind: 'day' | 'month' | 'year';
  /** `2026-11-22`, `2026-11` or `2026`. */
  period: string;
  seq: number;
  closed_at: string;
  closed_by: number;
  /** Canonical JSON of the figures (see server/closing/figures.ts). */
  figures: string;
  total_cents: number;
  grand_total_cents: number;
  prev_hash: string;
  hash: string;
  /** Ed25519 signature (base64) of the closing's hash by `key_id` (server/journal/keys.ts); null until signed. */
  signature: Generated<string | null>;
  key_id: Generated<number | null>;
}

/** The public half of each key the journal was ever signed with (the private half: DATA_DIR/keys/). */
export interface SigningKeyTable {
  id: Generated<number>;
  algorithm: Generated<string>;
  public_key: string;
  fingerprint: string;
  created_at: string;
  retired_at: string | null;
}

/** A chain's head as it stood when signed: the hash at that position, signed with a key not in this file. */
export interface ChainHeadTable {
  id: Generated<number>;
  chain: string;
  position: number;
  hash: string;
  signed_at: string;
  signature: string;
  key_id: number;
}

export type PrinterRole = 'receipt' | 'kitchen';
export type CodePage = 'pc858' | 'wpc1252';
export type PrintJobStatus = 'queued' | 'printing' | 'done' | 'failed' | 'cancelled' | 'unconfirmed' | 'expired';
export type PrintJobResolution = 'confirmed' | 'reprinted' | 'dismissed' | 'retried';

export interface PrinterTable {
  id: Generated<number>;
  name: string;
  outlet_id: number | null;
  role: PrinterRole;
  uri: string;
  columns: 32 | 48;
  code_page: CodePage;
  drawer: ColumnType<Flag, Flag | undefined, Flag>;
  active: ColumnType<Flag, Flag | undefined, Flag>;
  created_at: string;
  updated_at: string;
  /** The printer's last known state (server/printing/drivers.ts PrinterState), written by the print queue's owner. */
  state: ColumnType<string | null, string | null | undefined, string | null>;
  state_error: ColumnType<string | null, string | null | undefined, string | null>;
  state_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PrintJobTable {
  id: Generated<number>;
  printer_id: number;
  kind: string;
  subject: string | null;
  bytes: Buffer;
  status: PrintJobStatus;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  next_attempt_at: string;
  created_at: string;
  created_by: number | null;
  updated_at: string;
  done_at: string | null;
  resolved_at: string | null;
  resolved_by: number | null;
  resolution: PrintJobResolution | null;
}

export interface ProducerCommissionTable {
  producer_id: number;
  category_id: number;
  commission_bp: number;
}

export interface ProducerInvitationTable {
  token_hash: string;
  producer_id: number;
  login: string;
  created_by: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface StatementTable {
  id: Generated<number>;
  number: number;
  producer_id: number;
  period_from: string;
  period_to: string;
  issued_at: string;
  issued_by: number;
  /** Canonical JSON of the statement as issued (shared/settlement.ts). */
  figures: string;
  sales_cents: number;
  commission_cents: number;
  net_cents: number;
  pdf: Buffer;
  pdf_sha256: string;
  /** Highest sales rowid seen when the statement was worked out (null before migration 006). */
  sales_watermark: number | null;
  paid_on: string | null;
  paid_method: string | null;
  paid_reference: string | null;
  paid_by: number | null;
  paid_at: string | null;
}

/** A SEPA credit transfer file (pain.001) paying a manager's selection of statements (issue 21, item 5). */
export interface PayoutTable {
  id: Generated<number>;
  msg_id: string;
  execution_date: string;
  status: 'pending' | 'confirmed' | 'cancelled';
  count: number;
  total_cents: number;
  xml: string;
  created_at: string;
  created_by: number;
  settled_at: string | null;
  settled_by: number | null;
}

export interface PayoutItemTable {
  payout_id: number;
  statement_id: number;
  amount_cents: number;
  iban: string;
  end_to_end_id: string;
}

/** A commission invoice (or credit note) issued with a statement (issue 21, item 3): frozen, append-only. */
export interface InvoiceTable {
  id: Generated<number>;
  /** `F`: the shop's own invoices; `AF`: self-billed invoices written in the producers' name (issue 21). */
  series: ColumnType<'F' | 'AF', 'F' | 'AF' | undefined, never>;
  year: number;
  number: number;
  kind: 'commission' | 'credit_note' | 'self_billed' | 'self_billed_credit';
  statement_id: number;
  producer_id: number;
  issued_at: string;
  /** Canonical JSON of the invoice as issued (server/settlement/invoices.ts `InvoiceData`). */
  data: string;
  net_cents: number;
  vat_cents: number;
  gross_cents: number;
  sha256: string;
}

/** A household referred to the solidarity prices (issue 22): no name, as little as the till needs. */
export interface HouseholdTable {
  id: Generated<number>;
  number: number;
  card_code: string;
  size: number;
  valid_from: string;
  valid_to: string;
  monthly_allowance_cents: number;
  partner: ColumnType<string, string | undefined, string>;
  anon_ref: string;
  created_at: string;
  updated_at: string;
}

/** A ticket sold at solidarity prices: how its public price was shared (the household's link erasable). */
export interface SaleHouseholdTable {
  sale_id: string;
  household_id: number | null;
  household_ref: string;
  business_day: string;
  public_cents: number;
  household_cents: number;
  fund_cents: number;
  /** JSON, per category as charged: [{ categoryId, items, publicCents, householdCents }]. */
  detail: string;
}

export interface SolidarityShareTable {
  category_id: number;
  household_share_bp: number;
}

export interface SolidarityFunderTable {
  id: Generated<number>;
  name: string;
  created_at: string;
}

export interface SolidarityContributionTable {
  id: Generated<number>;
  funder_id: number;
  amount_cents: number;
  received_on: string;
  note: ColumnType<string, string | undefined, string>;
  created_at: string;
  created_by: number;
}

/** A model made in sizes and colours (the textile shop, issue 22): each size × colour is a product. */
export interface ProductModelTable {
  id: Generated<number>;
  name: string;
  producer_id: number | null;
  category_id: number | null;
  sizes: string;
  colours: string;
  created_at: string;
}

export type ReuseStream = 'textile' | 'furniture' | 'books' | 'tableware' | 'electrical' | 'toys' | 'other';

/** A donation received at the ressourcerie (issue 22). */
export interface ReuseIntakeTable {
  id: Generated<number>;
  /** Where the donation was received (migration 036). */
  site_id: number;
  at: string;
  business_day: string;
  donor: string | null;
  created_by: number;
}
export interface ReuseIntakeLineTable {
  intake_id: number;
  stream: ReuseStream;
  grams: number;
}
/** A one-off item: its own article (product), quantity 1, sold once. */
export interface ReuseItemTable {
  id: Generated<number>;
  /** Where the object is, and on sale: that site's ressourcerie only. */
  site_id: number;
  product_id: number;
  code: string;
  intake_id: number | null;
  stream: ReuseStream;
  grams: number;
  price_cents: number;
  priced_on: string;
  status: ColumnType<'on_sale' | 'sold' | 'recycled' | 'discarded', 'on_sale' | undefined, 'on_sale' | 'sold' | 'recycled' | 'discarded'>;
  status_day: string | null;
  marked_down_on: string | null;
  sale_id: string | null;
  /** When it came back on sale after a refund (UTC ISO): a ticket written before then does not sell it. */
  back_on_sale_at: ColumnType<string | null, string | null | undefined, string | null>;
}
export interface ReuseOutflowTable {
  id: Generated<number>;
  site_id: number;
  business_day: string;
  stream: ReuseStream;
  grams: number;
  kind: 'recycled' | 'discarded';
  item_id: number | null;
  note: ColumnType<string, string | undefined, string>;
  created_at: string;
}

/** A producer's signed self-billing mandate (art. 289 I-2° CGI): kept as signed, revoked at most once. */
export interface SelfBillingMandateTable {
  id: Generated<number>;
  producer_id: number;
  signed_on: string;
  valid_from: string;
  terms: string;
  pdf: Buffer;
  pdf_sha256: string;
  recorded_at: string;
  recorded_by: number;
  revoked_on: string | null;
}

export interface StatementItemTable {
  statement_id: number;
  sale_id: string | null;
  line_no: number | null;
  movement_id: number | null;
}

export type CourseCode = 'drink' | 'starter' | 'main' | 'dessert';

export interface RoomTable {
  id: Generated<number>;
  outlet_id: number;
  name: string;
  sort_order: ColumnType<number, number | undefined, number>;
  active: ColumnType<Flag, Flag | undefined, Flag>;
}

export interface DiningTableTable {
  id: Generated<number>;
  room_id: number;
  name: string;
  seats: number;
  shape: ColumnType<'square' | 'round' | 'rect', 'square' | 'round' | 'rect' | undefined, 'square' | 'round' | 'rect'>;
  x: ColumnType<number, number | undefined, number>;
  y: ColumnType<number, number | undefined, number>;
  width: ColumnType<number, number | undefined, number>;
  height: ColumnType<number, number | undefined, number>;
  active: ColumnType<Flag, Flag | undefined, Flag>;
}

export interface StationTable {
  id: Generated<number>;
  outlet_id: number;
  name: string;
  printer_id: number | null;
  active: ColumnType<Flag, Flag | undefined, Flag>;
}

export interface OrderTable {
  /** UUIDv7 made by the device that opened it. */
  id: string;
  outlet_id: number;
  table_id: number | null;
  covers: number;
  mode: 'on_site' | 'takeaway';
  status: 'open' | 'closed' | 'cancelled';
  waiter_id: number;
  opened_at: string;
  closed_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** The number of operations applied to it. */
  version: number;
  merged_into: ColumnType<string | null, string | null | undefined, string | null>;
  /** A counter sale's dishes (sold at a till, not at a table): the ticket that paid them. */
  sale_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Shared in equal parts: into how many (the last part paid said so); null: not shared so. */
  split_parts: ColumnType<number | null, number | null | undefined, number | null>;
  /** How many of those equal parts are paid. */
  split_paid: ColumnType<number, number | undefined, number>;
}

export interface OrderOpTable {
  /** The operation's UUIDv7: applied once. */
  id: string;
  order_id: string;
  seq: number;
  kind: string;
  /** Canonical JSON of the operation as received. */
  data: string;
  body_hash: string;
  user_id: number;
  device_id: number | null;
  at: string;
  received_at: string;
}

export interface OrderLineTable {
  /** UUIDv7 made by the device that added it. */
  id: string;
  order_id: string;
  position: number;
  product_id: number;
  name: string;
  quantity: number;
  unit_price_cents: number;
  vat_rate_bp: number;
  seat: number | null;
  note: string | null;
  course: CourseCode | null;
  station_id: number | null;
  status: 'new' | 'sent' | 'voided';
  version: number;
  added_by: number;
  added_at: string;
  sent_at: ColumnType<string | null, string | null | undefined, string | null>;
  fired_at: ColumnType<string | null, string | null | undefined, string | null>;
  voided_at: ColumnType<string | null, string | null | undefined, string | null>;
  void_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON of the modifiers chosen, as they were then: [{ optionId, group, name, priceCents }]. */
  modifiers: ColumnType<string, string | undefined, string>;
  /** A cancelled part of a line (one of three beers): the line it was cut from. */
  part_of: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ModifierGroupTable {
  id: Generated<number>;
  product_id: number;
  name: string;
  min_choices: number;
  max_choices: number;
  position: number;
}

export interface ModifierOptionTable {
  id: Generated<number>;
  group_id: number;
  name: string;
  /** Incl. VAT, added to the product's price; 0: free (a cuisson). */
  price_cents: number;
  position: number;
  active: ColumnType<Flag, Flag | undefined, Flag>;
}

export interface KitchenTicketTable {
  id: Generated<number>;
  /** operation id : station id — one ticket per operation and station. */
  send_key: string;
  order_id: string;
  station_id: number;
  kind: 'send' | 'fire' | 'void';
  /** JSON of the items it carries. */
  items: string;
  print_job_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: string;
  /** On the kitchen screen: to prepare, ready, served (a recall takes it back). */
  state: ColumnType<KitchenTicketState, KitchenTicketState | undefined, KitchenTicketState>;
  state_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** Reprints the kitchen asked for (each printed marked RÉIMPRESSION). */
  reprints: ColumnType<number, number | undefined, number>;
  /** One more at each change of state: of two views of a ticket, the higher is the later. */
  state_version: ColumnType<number, number | undefined, number>;
}
export type KitchenTicketState = 'todo' | 'ready' | 'served';

export interface OrderPaymentTable {
  sale_id: string;
  line_id: string;
  /** Paid by item: how many; 0 for a share. */
  quantity: number;
  /** A share's cents of the line; null when paid by item (`quantity` × the line's unit price). */
  amount_cents: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface OrderNoteTable {
  id: Generated<number>;
  order_id: string;
  outlet_id: number;
  /** Per outlet, from 1. */
  number: number;
  /** 0: the note; 1, 2…: DUPLICATA of the same content. */
  copy: ColumnType<number, number | undefined, number>;
  content_hash: string;
  total_cents: number;
  customer_name: string | null;
  print_job_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: string;
}

/** One ingredient of a dish's recipe: per portion, pieces or grams (an ingredient sold by weight). */
export interface RecipeItemTable {
  dish_id: number;
  ingredient_id: number;
  quantity: number;
  /** The order the manager wrote them in. */
  position: number;
}

/** The drawer's float, cash in and cash out (never a ticket's cash): immutable, corrected by an opposite movement. */
export interface CashMovementTable {
  id: string;
  outlet_id: number;
  /** Null when entered in the back office for the outlet's drawer as a whole. */
  till_id: number | null;
  business_day: string;
  kind: 'float' | 'in' | 'out';
  reason: string;
  amount_cents: number;
  note: string | null;
  producer_id: number | null;
  /** The float counted by denomination (JSON `{ "<cents>": count }`), when it was. */
  denominations: string | null;
  user_id: number;
  approved_by: number | null;
  created_at: string;
  /** Posting the same id twice with another body is a conflict. */
  body_hash: string;
}

export interface Database {
  cash_movements: CashMovementTable;
  modifier_groups: ModifierGroupTable;
  modifier_options: ModifierOptionTable;
  recipe_items: RecipeItemTable;
  order_notes: OrderNoteTable;
  order_payments: OrderPaymentTable;
  rooms: RoomTable;
  dining_tables: DiningTableTable;
  stations: StationTable;
  orders: OrderTable;
  order_ops: OrderOpTable;
  order_lines: OrderLineTable;
  category_stations: CategoryStationTable;
  kitchen_tickets: KitchenTicketTable;
  producer_commissions: ProducerCommissionTable;
  producer_invitations: ProducerInvitationTable;
  statements: StatementTable;
  statement_items: StatementItemTable;
  payouts: PayoutTable;
  payout_items: PayoutItemTable;
  invoices: InvoiceTable;
  self_billing_mandates: SelfBillingMandateTable;
  households: HouseholdTable;
  sale_households: SaleHouseholdTable;
  solidarity_shares: SolidarityShareTable;
  solidarity_funders: SolidarityFunderTable;
  solidarity_contributions: SolidarityContributionTable;
  product_models: ProductModelTable;
  reuse_intakes: ReuseIntakeTable;
  reuse_intake_lines: ReuseIntakeLineTable;
  reuse_items: ReuseItemTable;
  reuse_outflows: ReuseOutflowTable;
  printers: PrinterTable;
  print_jobs: PrintJobTable;
  closings: ClosingTable;
  signing_keys: SigningKeyTable;
  chain_heads: ChainHeadTable;
  sales: SaleTable;
  sale_lines: SaleLineTable;
  statement_runs: StatementRunTable;
  sale_payments: SalePaymentTable;
  sale_vat: SaleVatTable;
  outlets: OutletTable;
  sites: SiteTable;
  site_prices: SitePriceTable;
  tills: TillTable;
  devices: DeviceTable;
  pairing_codes: PairingCodeTable;
  users: UserTable;
  sessions: SessionTable;
  producers: ProducerTable;
  categories: CategoryTable;
  products: ProductTable;
  product_prices: ProductPriceTable;
  commission_terms: CommissionTermsTable;
  product_outlets: ProductOutletTable;
  barcodes: BarcodeTable;
  stock_levels: StockLevelTable;
  stock_movements: StockMovementTable;
  stock_slips: StockSlipTable;
  settings: SettingTable;
  auth_limits: AuthLimitTable;
  approval_uses: ApprovalUseTable;
  events: EventTable;
}

export type ProducerRow = Selectable<ProducerTable>;
export type ProductRow = Selectable<ProductTable>;
export type UserRow = Selectable<UserTable>;
export type NewProduct = Insertable<ProductTable>;
export type ProductUpdate = Updateable<ProductTable>;

/** The database or a transaction on it: what domain functions take. */
export type Db = Kysely<Database> | Transaction<Database>;
/** A transaction: what a function that writes takes, so that its writes commit or roll back with its caller's. */
export type Trx = Transaction<Database>;
