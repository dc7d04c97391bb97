import { ErrorCode, nameOf } from './wire.js';

/** Everything this SDK throws or reports is a HeraldError, so `instanceof HeraldError` tells ours from others. */
export class HeraldError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = new.target.name;
    if (options?.cause !== undefined) {
      (this as { cause?: unknown }).cause = options.cause;
    }
  }
}

/** The HTTP API answered with an error status. 5xx, 408 and 429 are passing: the client retries them. */
export class ApiError extends HeraldError {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.status >= 500 || this.status === 408 || this.status === 429;
  }
}

/** POST /api/v1/login said 401: wrong secret or unknown device. Retrying cannot help. */
export class LoginRejectedError extends ApiError {}

/** POST /api/v1/devices said 409: the client id is registered with another secret. */
export class RegistrationConflictError extends ApiError {}

/** The HTTP API could not be reached (network error, timeout, CORS refusal in a browser). */
export class ApiUnreachableError extends HeraldError {}

/** The gateway refused the token (AUTH_FAIL). */
export class AuthenticationFailedError extends HeraldError {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(`authentication failed: ${nameOf(ErrorCode, code)}${reason ? ` (${reason})` : ''}`);
  }
}

/** The gateway sent an ERROR frame and closed the connection. */
export class ServerError extends HeraldError {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(`gateway error ${nameOf(ErrorCode, code)}${reason ? `: ${reason}` : ''}`);
  }

  /** IDLE_TIMEOUT and ACK_TIMEOUT: the gateway gave up on a connection that looked dead; a plain reconnect. */
  get isConnectionTimeout(): boolean {
    return this.code === ErrorCode.IDLE_TIMEOUT || this.code === ErrorCode.ACK_TIMEOUT;
  }

  /** Codes 1-5, 10, 13 and 14 mean a bug on the client's side. */
  get isProtocolViolation(): boolean {
    const c = this.code;
    return (c >= 1 && c <= 5) || c === ErrorCode.AUTH_REQUIRED || c === ErrorCode.ALREADY_AUTHENTICATED || c === ErrorCode.UNEXPECTED_FRAME;
  }
}

/** The connection failed or was closed (network, dead peer, a RECONNECT or REDIRECT notice). */
export class ConnectionLostError extends HeraldError {}

/** The server ended the session for good (another connection of this client id, or an operator). */
export class KickedError extends HeraldError {
  constructor(readonly reason: string) {
    super(`kicked by the server${reason ? ` (${reason})` : ''}`);
  }
}

/** The client was closed; pending sends fail with this. */
export class ClientClosedError extends HeraldError {}

/** The server will never take this upstream message (ACK REJECTED): do not resend it. */
export class MessageRejectedError extends HeraldError {
  constructor(
    readonly messageId: bigint,
    readonly reason: string,
  ) {
    super(`message ${messageId} rejected by the server${reason ? `: ${reason}` : ''}`);
  }
}

/** send() while the bounded buffer of unacknowledged upstream messages is full. */
export class TooManyUnackedMessagesError extends HeraldError {}

/** A QoS 0 send while no connection is up: QoS 0 is never kept for later. */
export class NotConnectedError extends HeraldError {}
