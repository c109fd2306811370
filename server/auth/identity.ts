import type { Role } from '../../db/schema.ts';

/** Who is acting: the person logged in (password or PIN session). */
export interface SessionUser {
  id: number;
  role: Role;
  displayName: string;
  login: string | null;
  producerId: number | null;
  /** A manager who runs one site (users.site_id); null: the whole network. */
  siteId: number | null;
  sessionHash: string;
  deviceId: number | null;
}

/** A paired till (its device cookie), with or without someone logged in on it. */
export interface DeviceIdentity {
  id: number;
  tillId: number;
}

/** Limits what a caller sees: a producer's requests carry their own id, applied in every query. */
export interface Scope {
  producerId: number | null;
  /** Where stock is read: one site's shelves; absent, the whole network's (summed). */
  siteId?: number | undefined;
  /**
   * A ressourcerie's objects of this site only (a manager tied to it, a till there): another site's one-off
   * items are neither listed nor found. Absent: every site's (the network's manager).
   */
  reuseSiteId?: number | undefined;
}
export const everything: Scope = { producerId: null };

/**
 * A session opened by PIN on a till (it carries that till's device) counts only on requests that come with
 * that same device's cookie: a session copied to another tablet, or used without its tablet, is nobody.
 * Password sessions (back office, portal) carry no device and are not bound.
 */
export function boundToDevice(user: SessionUser, device: DeviceIdentity | null): boolean {
  return user.deviceId === null || device?.id === user.deviceId;
}
