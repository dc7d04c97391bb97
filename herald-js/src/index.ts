/** Herald device SDK for browsers and Node.js. See README.md. */
export { HeraldClient } from './client.js';
export type { ClientState, ConnectionInfo, SendOptions } from './client.js';
export type { HeraldEvents } from './emitter.js';
export type { HeraldClientOptions, Logger, TlsMode } from './options.js';
export type { SendResult } from './upstream.js';
export type { GatewayInfo, LoginResult } from './api.js';
export { ApiClient } from './api.js';
export { ReceivedMessage, UpstreamIds } from './messages.js';
export { Backoff } from './backoff.js';
export type { BackoffOptions, Jitter } from './backoff.js';
export { DuplicateFilter } from './duplicate-filter.js';
export { DecodeError, EncodeError, encodeFrame, FrameDecoder, isValidTraceId } from './codec.js';
export type * from './frames.js';
export { NoUsableGatewayError } from './endpoint.js';
export * from './errors.js';
export {
  AckStatus,
  ContentType,
  DEFAULT_MAX_BODY_LENGTH,
  ErrorCode,
  Flags,
  FrameType,
  HARD_MAX_BODY_LENGTH,
  NoticeKind,
} from './wire.js';
export type { WebSocketConstructor, WebSocketLike } from './websocket.js';
