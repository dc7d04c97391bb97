import { AckStatus, ContentType, ErrorCode, FrameType, NoticeKind } from './wire.js';

/**
 * The frames of the protocol as plain objects, discriminated by `type`. Message ids are `bigint`: they are `u64`
 * on the wire, and the server's reach past 2^53 (a JavaScript number would lose their low bits).
 */
export interface AuthFrame {
  type: typeof FrameType.AUTH;
  token: string;
}

export interface AuthOkFrame {
  type: typeof FrameType.AUTH_OK;
  heartbeatMillis: number;
  clientId: string;
  sessionId: string;
}

export interface AuthFailFrame {
  type: typeof FrameType.AUTH_FAIL;
  /** An ErrorCode; a code this client does not know reads as INTERNAL_ERROR. */
  code: number;
  reason: string;
}

export interface PingFrame {
  type: typeof FrameType.PING;
}

export interface PongFrame {
  type: typeof FrameType.PONG;
}

export interface MessageFrame {
  type: typeof FrameType.MESSAGE;
  messageId: bigint;
  contentType: ContentType;
  qos: 0 | 1;
  duplicate: boolean;
  /** Epoch milliseconds when the sender created the message. */
  timestamp: number;
  /** 1-64 characters from `!` to `~`, or undefined. */
  traceId?: string;
  payload: Uint8Array;
}

export interface AckFrame {
  type: typeof FrameType.ACK;
  messageId: bigint;
  status: AckStatus;
  reason: string;
}

export interface ErrorFrame {
  type: typeof FrameType.ERROR;
  code: number;
  reason: string;
}

export interface NoticeFrame {
  type: typeof FrameType.NOTICE;
  kind: NoticeKind;
  delayMillis: number;
  reason: string;
  /** REDIRECT: `host:port`; empty otherwise. */
  redirect: string;
}

export type Frame =
  | AuthFrame
  | AuthOkFrame
  | AuthFailFrame
  | PingFrame
  | PongFrame
  | MessageFrame
  | AckFrame
  | ErrorFrame
  | NoticeFrame;

export const PING: PingFrame = Object.freeze({ type: FrameType.PING });

export function ackOk(messageId: bigint): AckFrame {
  return { type: FrameType.ACK, messageId, status: 0, reason: '' };
}

export function errorFrame(code: ErrorCode, reason: string): ErrorFrame {
  return { type: FrameType.ERROR, code, reason };
}
