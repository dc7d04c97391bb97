/**
 * The constants of the Herald wire protocol, version 1 (docs/protocol.md): header layout, frame types, MESSAGE
 * flags and the value tables. One place for every number; the codec and the client read them from here.
 */

export const MAGIC = 0x48;
export const VERSION = 0x01;
export const HEADER_LENGTH = 8;
/** The gateway's default body limit (`--max-frame-bytes`), also this client's default. */
export const DEFAULT_MAX_BODY_LENGTH = 64 * 1024;
/** No setting on either side may exceed this body length. */
export const HARD_MAX_BODY_LENGTH = 8 * 1024 * 1024;
/** MESSAGE's fixed fields before the optional trace id: id (8), content type (1), timestamp (8). */
export const MESSAGE_FIXED_LENGTH = 17;
export const MAX_TRACE_ID_LENGTH = 64;
export const MAX_STRING_BYTES = 0xffff;

export const FrameType = {
  AUTH: 0x01,
  AUTH_OK: 0x02,
  AUTH_FAIL: 0x03,
  PING: 0x04,
  PONG: 0x05,
  MESSAGE: 0x06,
  ACK: 0x07,
  ERROR: 0x08,
  NOTICE: 0x09,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

export const Flags = {
  QOS_1: 0x01,
  DUPLICATE: 0x02,
  TRACE: 0x04,
  RESERVED: 0xf8,
} as const;

export const ContentType = {
  TEXT: 1,
  JSON: 2,
  BINARY: 3,
  IMAGE: 4,
  VIDEO: 5,
  AUDIO: 6,
} as const;
export type ContentType = (typeof ContentType)[keyof typeof ContentType];

export const AckStatus = {
  OK: 0,
  REJECTED: 1,
  RETRY: 2,
} as const;
export type AckStatus = (typeof AckStatus)[keyof typeof AckStatus];

export const NoticeKind = {
  KICKED: 1,
  RECONNECT: 2,
  REDIRECT: 3,
} as const;
export type NoticeKind = (typeof NoticeKind)[keyof typeof NoticeKind];

export const ErrorCode = {
  BAD_MAGIC: 1,
  UNSUPPORTED_VERSION: 2,
  UNKNOWN_FRAME_TYPE: 3,
  FRAME_TOO_LARGE: 4,
  MALFORMED_FRAME: 5,
  AUTH_REQUIRED: 10,
  AUTH_TIMEOUT: 11,
  INVALID_TOKEN: 12,
  ALREADY_AUTHENTICATED: 13,
  UNEXPECTED_FRAME: 14,
  IDLE_TIMEOUT: 15,
  ACK_TIMEOUT: 16,
  RATE_LIMITED: 20,
  SERVER_BUSY: 21,
  GATEWAY_FULL: 22,
  INTERNAL_ERROR: 50,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The name of a value in one of the tables above, for messages and logs ("INVALID_TOKEN", "JSON"...). */
export function nameOf(table: Record<string, number>, value: number): string {
  for (const [name, code] of Object.entries(table)) {
    if (code === value) {
      return name;
    }
  }
  return String(value);
}

/** Whether `value` is one of the codes of `table`. */
export function isKnown(table: Record<string, number>, value: number): boolean {
  return Object.values(table).includes(value);
}
