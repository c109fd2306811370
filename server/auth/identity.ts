import type { Role } from '../../db/schema.ts';

/** Who is acting: the person logged in (password or PIN session). */
export interface SessionUser {
  id: number;
  role: Role;
  displayName: string;
  login: string | null;
  producerId: number | null;
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
}
export const everything: Scope = { producerId: null };
