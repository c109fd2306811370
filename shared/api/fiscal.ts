import { endpoint, fileResponse } from './contract.ts';

export const fiscalApi = {
  /** The editor's attestation of conformity, filled with the version and the shop's identity, to be signed. */
  attestation: endpoint({ method: 'get', path: '/api/fiscal/attestation', response: fileResponse('application/pdf') }),
};
