import type { Kysely } from 'kysely';
import { dropRefusal, refuseWrites } from '../engine.ts';

// Signatures with a key kept outside the database (issue 20, item 1): the public keys, old ones kept after a
// rotation so earlier signatures stay checkable; a signature on every closing; signed chain heads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('signing_keys')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('algorithm', 'text', (c) => c.notNull().defaultTo('ed25519'))
    // SPKI PEM of the public key; the private key is in DATA_DIR/keys/ only.
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();
  // A key is never removed, and only its retirement may be written, once.
  await refuseWrites(db, { name: 'signing_keys_no_delete', table: 'signing_keys', op: 'delete', message: 'signing_keys is append-only' });
  await refuseWrites(db, {
    name: 'signing_keys_only_retire',
    table: 'signing_keys',
    op: 'update',
    when: `old.retired_at is not null or new.public_key is not old.public_key or new.fingerprint is not old.fingerprint
      or new.created_at is not old.created_at or new.id is not old.id`,
    message: 'a signing key may only be retired, once',
  });

  await db.schema.alterTable('closings').addColumn('signature', 'text').execute();
  await db.schema.alterTable('closings').addColumn('key_id', 'integer').execute();
  // Closings stay append-only, except that a closing written without its signature (the key was made after
  // it, or the server stopped between the two) gets it once.
  await dropRefusal(db, 'closings_no_update', 'closings');
  await refuseWrites(db, {
    name: 'closings_no_update',
    table: 'closings',
    op: 'update',
    when: `old.signature is not null or new.signature is null or new.key_id is null
      or new.outlet_id is not old.outlet_id or new.kind is not old.kind or new.period is not old.period
      or new.seq is not old.seq or new.closed_at is not old.closed_at or new.closed_by is not old.closed_by
      or new.figures is not old.figures or new.total_cents is not old.total_cents
      or new.grand_total_cents is not old.grand_total_cents or new.prev_hash is not old.prev_hash
      or new.hash is not old.hash or new.id is not old.id`,
    message: 'closings is append-only',
  });

  await db.schema
    .createTable('chain_heads')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    // `till:1`, `till:1:training`, `events`, `closings:1`.
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('key_id', 'integer', (c) => c.notNull().references('signing_keys.id'))
    .execute();
  await db.schema.createIndex('chain_heads_chain').on('chain_heads').columns(['chain', 'position']).execute();
  for (const op of ['update', 'delete'] as const)
    await refuseWrites(db, { name: `chain_heads_no_${op}`, table: 'chain_heads', op, message: 'chain_heads is append-only' });
}
