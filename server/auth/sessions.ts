import { cachedRows } from '../../db/raw.ts';
import type { Kysely } from 'kysely';
import type { Database, Role } from '../../db/schema.ts';
import type { Db } from '../../db/schema.ts';
import type { DeviceIdentity, SessionUser } from './identity.ts';
import { newToken, sha256Hex } from './secrets.ts';

export const SESSION_COOKIE = 'comptoir_session';
export const DEVICE_COOKIE = 'comptoir_device';

const HOUR = 3600_000;
/** Staff sessions last a working day; a producer checks from their phone and stays logged in a month. */
export function sessionLifetimeMs(role: Role): number {
  return role === 'producer' ? 30 * 24 * HOUR : 12 * HOUR;
}

export async function createSession(db: Db, userId: number, role: Role, now: Date, deviceId: number | null = null) {
  const token = newToken();
  const expires = new Date(now.getTime() + sessionLifetimeMs(role));
  await db
    .insertInto('sessions')
    .values({
      id_hash: sha256Hex(token),
      user_id: userId,
      device_id: deviceId,
      created_at: now.toISOString(),
      expires_at: expires.toISOString(),
      last_seen_at: now.toISOString(),
    })
    .execute();
  return { token, maxAgeSeconds: Math.floor(sessionLifetimeMs(role) / 1000) };
}

export async function resolveSession(db: Kysely<Database>, token: string | undefined, now: Date): Promise<SessionUser | null> {
  if (!token || token.length > 100) return null;
  const idHash = sha256Hex(token);
  // Every request asks this: written in SQL once (db/raw.ts) rather than built each time.
  const [row] = await cachedRows<{
    id: number;
    role: Role;
    display_name: string;
    login: string | null;
    producer_id: number | null;
    site_id: number | null;
    active: 0 | 1;
    expires_at: string;
    last_seen_at: string;
    device_id: number | null;
    revoked_at: string | null;
  }>(
    db,
    `select "users"."id", "users"."role", "users"."display_name", "users"."login", "users"."producer_id", "users"."site_id", "users"."active",
       "sessions"."expires_at", "sessions"."last_seen_at", "sessions"."device_id", "devices"."revoked_at"
     from "sessions" inner join "users" on "users"."id" = "sessions"."user_id" left join "devices" on "devices"."id" = "sessions"."device_id"
     where "sessions"."id_hash" = ?`,
    [idHash],
  );
  if (!row || row.active !== 1 || row.expires_at <= now.toISOString()) return null;
  // A session opened by PIN on a till dies with that till's pairing.
  if (row.device_id !== null && row.revoked_at !== null) return null;
  if (now.getTime() - Date.parse(row.last_seen_at) > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('id_hash', '=', idHash).execute();
  }
  return {
    id: row.id,
    role: row.role,
    displayName: row.display_name,
    login: row.login,
    producerId: row.producer_id,
    siteId: row.site_id,
    sessionHash: idHash,
    deviceId: row.device_id,
  };
}

/** A tablet's "last seen" is written at most this often: a till makes many requests a minute. */
export const DEVICE_SEEN_EVERY_MS = 60_000;

/**
 * The paired tablet a device cookie names, if it is still paired with an active till. With `now`, an
 * authenticated request also refreshes the tablet's last-seen time (at most once a minute).
 */
export async function resolveDevice(db: Kysely<Database>, token: string | undefined, now?: Date): Promise<DeviceIdentity | null> {
  if (!token || token.length > 100) return null;
  const [row] = await cachedRows<{ id: number; till_id: number; site_id: number; last_seen_at: string | null }>(
    db,
    'select "devices"."id", "devices"."till_id", "outlets"."site_id", "devices"."last_seen_at" from "devices" inner join "tills" on "tills"."id" = "devices"."till_id" inner join "outlets" on "outlets"."id" = "tills"."outlet_id" where "devices"."token_hash" = ? and "devices"."revoked_at" is null and "tills"."active" = 1',
    [sha256Hex(token)],
  );
  if (!row) return null;
  if (now && (row.last_seen_at === null || now.getTime() - Date.parse(row.last_seen_at) >= DEVICE_SEEN_EVERY_MS)) {
    await db.updateTable('devices').set({ last_seen_at: now.toISOString() }).where('id', '=', row.id).execute();
  }
  return { id: row.id, tillId: row.till_id, siteId: Number(row.site_id) };
}

export async function endSession(db: Db, sessionHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', sessionHash).execute();
}
