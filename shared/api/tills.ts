/**
 * Tills, the tablets paired with them and the outlets they belong to: the contract of `server/tills`.
 * (Kept apart from admin.ts, which auth.ts may import: pairing's body comes from auth.ts.)
 */
import { z } from 'zod';
import { refusedTicketBody, tillCreateBody, tillUpdateBody } from './admin.ts';
import { pairBody } from './auth.ts';
import { outletCodeSchema, roleSchema, urlInt } from './common.ts';
import { endpoint, noContent } from './contract.ts';
import { tillOptionsSchema } from './settings.ts';

const int = z.number().int();
const idParams = z.object({ id: urlInt((n) => n.positive()) }).strict();

/**
 * The last ticket the server acknowledged to this tablet, as the tablet kept it: reported when it connects
 * and after it empties its outbox, so that a tail deleted from the server's database is seen (issue 20).
 */
export const tillHeadBody = z.strictObject({
  training: z.boolean(),
  number: int.positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'empreinte SHA-256 attendue (64 caractères hexadécimaux)'),
});
/** `lastNumber` (unknown head only): where the server's chain of that till ends; the tablet sends again what it kept beyond. */
export const tillHeadReply = z.strictObject({ known: z.boolean(), lastNumber: int.optional() });

export const outletView = z.strictObject({ id: int, code: outletCodeSchema, name: z.string() });
export type OutletView = z.infer<typeof outletView>;

/** A tablet paired with a till (revoked ones are not listed). */
export const deviceView = z.strictObject({
  id: int,
  /** The browser's user agent when it paired (or the name it was given). */
  label: z.string().nullable(),
  /** Its browser and system, read from the user agent ("Chrome", "Android"); null when unknown. */
  browser: z.string().nullable(),
  system: z.string().nullable(),
  pairedAt: z.string(),
  lastSeenAt: z.string().nullable(),
  /** Another tablet was paired with the till since: this one only delivers what it had queued. */
  replacedAt: z.string().nullable(),
});
export type DeviceView = z.infer<typeof deviceView>;

export const tillView = z.strictObject({
  id: int,
  name: z.string(),
  outlet: outletCodeSchema,
  active: z.boolean(),
  trainingMode: z.boolean(),
  printerId: int.nullable(),
  /** One of its tablets slowed down or locked after too many wrong PINs, until then (UTC ISO). */
  pinLockedUntil: z.string().nullable(),
  devices: z.array(deviceView),
});
export type TillView = z.infer<typeof tillView>;

/** A member of staff who may log in on a till (its lock screen). */
export const staffMemberView = z.strictObject({
  id: int,
  displayName: z.string(),
  role: roleSchema,
  /** Locked after too many wrong PINs, until then (UTC ISO); a manager may unlock earlier. */
  lockedUntil: z.string().nullable(),
});
export type StaffMember = z.infer<typeof staffMemberView>;

/** The till a tablet is paired with, as its lock screen and its ticket numbering need it. */
export const currentDeviceView = z.strictObject({
  /** The till's id (what tickets are numbered and chained on). */
  id: int,
  /** This tablet's own id. */
  deviceId: int,
  /** Another tablet holds the till now: this one only delivers what it kept. */
  replaced: z.boolean(),
  name: z.string(),
  outlet: outletCodeSchema,
  outletName: z.string(),
  trainingMode: z.boolean(),
  printerId: int.nullable(),
  /** The last ticket number stored for this till (in its current mode): the tablet carries on from it. */
  lastNumber: int,
  options: tillOptionsSchema,
  /** This tablet slowed down or locked after too many wrong PINs on it, until then (UTC ISO). */
  pinLockedUntil: z.string().nullable(),
  staff: z.array(staffMemberView),
});
export type CurrentDevice = z.infer<typeof currentDeviceView>;

export const tillsApi = {
  reportRefused: endpoint({
    method: 'post',
    path: '/api/tills/refused-tickets',
    body: refusedTicketBody,
    response: z.strictObject({ eventId: int }),
  }),
  outlets: endpoint({ method: 'get', path: '/api/outlets', response: z.array(outletView) }),
  list: endpoint({ method: 'get', path: '/api/tills', response: z.array(tillView) }),
  create: endpoint({ method: 'post', path: '/api/tills', body: tillCreateBody, response: tillView }),
  update: endpoint({ method: 'patch', path: '/api/tills/:id', params: idParams, body: tillUpdateBody, response: tillView }),
  pairingCode: endpoint({
    method: 'post',
    path: '/api/tills/:id/pairing-code',
    params: idParams,
    response: z.strictObject({ code: z.string(), expiresAt: z.string() }),
  }),
  pair: endpoint({ method: 'post', path: '/api/devices/pair', body: pairBody, response: z.strictObject({ tillId: int, deviceId: int }) }),
  current: endpoint({ method: 'get', path: '/api/devices/current', response: currentDeviceView }),
  reportHead: endpoint({ method: 'post', path: '/api/devices/current/head', body: tillHeadBody, response: tillHeadReply }),
  revoke: endpoint({ method: 'post', path: '/api/devices/:id/revoke', params: idParams, response: noContent }),
};
