/** Domain errors: values with a name, mapped to HTTP in one place (server/http/app.ts). */
import { problemSentence } from './http/validation.ts';

export interface FieldProblem {
  /** Dotted path of the field, e.g. `lines.2.quantity`; '' for the whole body. For programs, never shown. */
  field: string;
  /** zod's issue code (`too_big`, `invalid_type`…) when the schema refused it. */
  code?: string;
  reason: string;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  fields: FieldProblem[] = [];
}

export class Invalid extends DomainError {
  readonly status = 400;
  readonly code = 'invalid';
  /** Said by the domain in its own words; otherwise the message is made from the fields, in the reader's language. */
  readonly explicit: boolean;
  constructor(fields: FieldProblem[] | FieldProblem, message?: string) {
    const list = Array.isArray(fields) ? fields : [fields];
    super(message ?? list.map((f) => problemSentence(f, 'fr')).join(' '));
    this.fields = list;
    this.explicit = message !== undefined;
  }
}

export class Unauthorized extends DomainError {
  readonly status = 401;
  readonly code = 'unauthorized';
  constructor(message = 'Connexion requise.') {
    super(message);
  }
}

export class Forbidden extends DomainError {
  readonly status = 403;
  readonly code = 'forbidden';
  constructor(message = 'Accès refusé pour ce rôle.') {
    super(message);
  }
}

export class NotFound extends DomainError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor(what: string) {
    super(`${what} introuvable.`);
  }
}

export class Conflict extends DomainError {
  readonly status = 409;
  readonly code = 'conflict';
  constructor(message: string, field?: string) {
    super(message);
    if (field) this.fields = [{ field, reason: message }];
  }
}

export class Unprocessable extends DomainError {
  readonly status = 422;
  readonly code = 'unprocessable';
  constructor(message: string, fields: FieldProblem[] = []) {
    super(message);
    this.fields = fields;
  }
}

export class TooManyAttempts extends DomainError {
  readonly status = 429;
  readonly code = 'too_many_attempts';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
