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
  /** The site of its till (server/sites). */
  siteId: number;
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
/**
 * The tablet a request acts at, for the person it carries: a manager tied to a site is never at another site's
 * tablet (with their password in its browser, they rang tickets and took cash out at Castres' till while tied
 * to Rodez: found by an independent check). Their PIN is refused there already (server/auth/login.ts).
 */
export function deviceOf(user: SessionUser | null, device: DeviceIdentity | null): DeviceIdentity | null {
  return user && user.siteId !== null && device && device.siteId !== user.siteId ? null : device;
}

export function boundToDevice(user: SessionUser, device: DeviceIdentity | null): boolean {
  return user.deviceId === null || device?.id === user.deviceId;
}
