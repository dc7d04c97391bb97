import { Frame, MessageFrame } from './frames.js';
import {
  AckStatus,
  ContentType,
  DEFAULT_MAX_BODY_LENGTH,
  ErrorCode,
  Flags,
  FrameType,
  HARD_MAX_BODY_LENGTH,
  HEADER_LENGTH,
  isKnown,
  MAGIC,
  MAX_STRING_BYTES,
  MAX_TRACE_ID_LENGTH,
  MESSAGE_FIXED_LENGTH,
  nameOf,
  NoticeKind,
  VERSION,
} from './wire.js';

/**
 * Frames to bytes and back, exactly as docs/protocol.md lays them out:
 *
 * ```
 * 48 01 TT FF LL LL LL LL  body...   magic 'H', version 1, type, flags, u32 body length (big-endian)
 * ```
 *
 * The decoder takes a byte stream in pieces of any size (a WebSocket message may hold several frames or part of
 * one), never buffers more than one frame (header + body limit), and is as strict as the gateway: the first
 * malformed byte throws a {@link DecodeError} with the protocol's error code, after which the stream is dead.
 */

/** A stream that cannot be decoded; `code` is the ErrorCode to send in the ERROR frame before closing. */
export class DecodeError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, reason: string) {
    super(reason);
    this.name = 'DecodeError';
    this.code = code;
  }
}

/** A frame this side refuses to send: an overlong string or body, a bad trace id, a bad value. */
export class EncodeError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'EncodeError';
  }
}

const utf8Encoder = new TextEncoder();
// fatal: overlong forms, encoded surrogates, code points above U+10FFFF and cut-off sequences all throw.
// ignoreBOM: a leading U+FEFF is a character of the string, not a marker to strip.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const U64_MAX = (1n << 64n) - 1n;

/** Encodes one frame; `maxBodyLength` is the peer's limit, so that nothing it would refuse is sent. */
export function encodeFrame(frame: Frame, maxBodyLength: number = DEFAULT_MAX_BODY_LENGTH): Uint8Array {
  const body = new BodyWriter();
  let flags = 0;
  switch (frame.type) {
    case FrameType.AUTH:
      body.str16(frame.token);
      break;
    case FrameType.AUTH_OK:
      body.u32(frame.heartbeatMillis).str16(frame.clientId).str16(frame.sessionId);
      break;
    case FrameType.AUTH_FAIL:
    case FrameType.ERROR:
      body.u16(frame.code).str16(frame.reason);
      break;
    case FrameType.PING:
    case FrameType.PONG:
      break;
    case FrameType.MESSAGE:
      flags = messageFlags(frame);
      body.u64(frame.messageId).u8(checkedEnum(ContentType, frame.contentType, 'content type')).u64(
        BigInt(frame.timestamp),
      );
      if (frame.traceId !== undefined) {
        body.trace(frame.traceId);
      }
      body.bytes(frame.payload);
      break;
    case FrameType.ACK:
      body.u64(frame.messageId).u8(checkedEnum(AckStatus, frame.status, 'ACK status')).str16(frame.reason);
      break;
    case FrameType.NOTICE:
      body
        .u8(checkedEnum(NoticeKind, frame.kind, 'notice kind'))
        .u32(frame.delayMillis)
        .str16(frame.reason)
        .str16(frame.redirect);
      break;
    default:
      throw new EncodeError(`unknown frame type ${(frame as { type: unknown }).type}`);
  }
  const bodyBytes = body.toBytes();
  if (bodyBytes.length > maxBodyLength) {
    throw new EncodeError(`frame body of ${bodyBytes.length} bytes exceeds the limit of ${maxBodyLength} bytes`);
  }
  const out = new Uint8Array(HEADER_LENGTH + bodyBytes.length);
  const view = new DataView(out.buffer);
  out[0] = MAGIC;
  out[1] = VERSION;
  out[2] = frame.type;
  out[3] = flags;
  view.setUint32(4, bodyBytes.length);
  out.set(bodyBytes, HEADER_LENGTH);
  return out;
}

function messageFlags(frame: MessageFrame): number {
  let flags = 0;
  if (frame.qos === 1) {
    flags |= Flags.QOS_1;
  } else if (frame.qos !== 0) {
    throw new EncodeError(`QoS must be 0 or 1, was ${frame.qos}`);
  }
  if (frame.duplicate) {
    flags |= Flags.DUPLICATE;
  }
  if (frame.traceId !== undefined) {
    flags |= Flags.TRACE;
  }
  return flags;
}

function checkedEnum(table: Record<string, number>, value: number, what: string): number {
  if (!isKnown(table, value)) {
    throw new EncodeError(`unknown ${what} ${value}`);
  }
  return value;
}

/** Whether `traceId` may be sent: 1-64 characters from `!` (0x21) to `~` (0x7E). */
export function isValidTraceId(traceId: string): boolean {
  return /^[\x21-\x7e]{1,64}$/.test(traceId);
}

/** Appends big-endian fields to a growing buffer. */
class BodyWriter {
  private parts: Uint8Array[] = [];
  private length = 0;

  u8(value: number): this {
    return this.fixed(1, (view) => view.setUint8(0, value));
  }

  u16(value: number): this {
    requireRange(value, 0xffff, 'u16');
    return this.fixed(2, (view) => view.setUint16(0, value));
  }

  u32(value: number): this {
    requireRange(value, 0xffffffff, 'u32');
    return this.fixed(4, (view) => view.setUint32(0, value));
  }

  u64(value: bigint): this {
    if (value < 0n || value > U64_MAX) {
      throw new EncodeError(`u64 out of range: ${value}`);
    }
    return this.fixed(8, (view) => view.setBigUint64(0, value));
  }

  str16(text: string): this {
    if (!isWellFormed(text)) {
      throw new EncodeError('string holds a lone surrogate: it has no UTF-8 form');
    }
    const bytes = utf8Encoder.encode(text);
    if (bytes.length > MAX_STRING_BYTES) {
      throw new EncodeError(`string of ${bytes.length} UTF-8 bytes exceeds ${MAX_STRING_BYTES}`);
    }
    return this.u16(bytes.length).bytes(bytes);
  }

  trace(traceId: string): this {
    if (!isValidTraceId(traceId)) {
      throw new EncodeError(`trace id must be 1-${MAX_TRACE_ID_LENGTH} characters from '!' to '~': '${traceId}'`);
    }
    return this.u8(traceId.length).bytes(utf8Encoder.encode(traceId));
  }

  bytes(bytes: Uint8Array): this {
    this.parts.push(bytes);
    this.length += bytes.length;
    return this;
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }

  private fixed(size: number, write: (view: DataView) => void): this {
    const bytes = new Uint8Array(size);
    write(new DataView(bytes.buffer));
    return this.bytes(bytes);
  }
}

function requireRange(value: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new EncodeError(`${what} out of range: ${value}`);
  }
}

function isWellFormed(text: string): boolean {
  // String.prototype.isWellFormed is recent (Node 20, 2023 browsers); the pattern is the fallback.
  const native = (text as { isWellFormed?: () => boolean }).isWellFormed;
  if (typeof native === 'function') {
    return native.call(text);
  }
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

/**
 * Decodes a byte stream into frames. Feed every received piece to {@link push}; it returns the frames completed by
 * it. Holds at most one incomplete frame (never more than the header and `maxBodyLength` bytes beyond the piece
 * being fed). After a {@link DecodeError} it refuses further input: the connection must be closed.
 */
export class FrameDecoder {
  private readonly maxBodyLength: number;
  private buffer = new Uint8Array(0);
  private start = 0;
  private end = 0;
  private failed: DecodeError | null = null;

  constructor(maxBodyLength: number = DEFAULT_MAX_BODY_LENGTH) {
    if (!Number.isInteger(maxBodyLength) || maxBodyLength < 0 || maxBodyLength > HARD_MAX_BODY_LENGTH) {
      throw new RangeError(`maxBodyLength must be 0-${HARD_MAX_BODY_LENGTH}, was ${maxBodyLength}`);
    }
    this.maxBodyLength = maxBodyLength;
  }

  /** Bytes waiting for the rest of their frame. */
  get buffered(): number {
    return this.end - this.start;
  }

  push(chunk: Uint8Array): Frame[] {
    if (this.failed) {
      throw this.failed;
    }
    this.append(chunk);
    const frames: Frame[] = [];
    try {
      let frame: Frame | null;
      while ((frame = this.next()) !== null) {
        frames.push(frame);
      }
    } catch (e) {
      if (e instanceof DecodeError) {
        this.failed = e;
        this.buffer = new Uint8Array(0);
        this.start = this.end = 0;
      }
      throw e;
    }
    return frames;
  }

  private append(chunk: Uint8Array): void {
    const pending = this.end - this.start;
    if (this.end + chunk.length > this.buffer.length) {
      const needed = pending + chunk.length;
      // Compact in place when the pending bytes and the chunk fit, else grow (doubling, so appends stay linear).
      const target =
        needed <= this.buffer.length ? this.buffer : new Uint8Array(Math.max(needed, this.buffer.length * 2, 256));
      target.set(this.buffer.subarray(this.start, this.end), 0);
      this.buffer = target;
      this.start = 0;
      this.end = pending;
    }
    this.buffer.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** The next complete frame, or null when more bytes are needed. */
  private next(): Frame | null {
    const available = this.end - this.start;
    const b = this.buffer;
    const s = this.start;
    if (available >= 1 && b[s] !== MAGIC) {
      throw new DecodeError(ErrorCode.BAD_MAGIC, `bad magic byte 0x${hex(b[s])}`);
    }
    if (available >= 2 && b[s + 1] !== VERSION) {
      throw new DecodeError(ErrorCode.UNSUPPORTED_VERSION, `unsupported version ${b[s + 1]}`);
    }
    if (available < HEADER_LENGTH) {
      return null;
    }
    const view = new DataView(b.buffer, b.byteOffset + s, HEADER_LENGTH);
    const length = view.getUint32(4);
    if (length > this.maxBodyLength) {
      throw new DecodeError(
        ErrorCode.FRAME_TOO_LARGE,
        `frame body of ${length} bytes exceeds the limit of ${this.maxBodyLength} bytes`,
      );
    }
    if (available < HEADER_LENGTH + length) {
      return null;
    }
    const type = b[s + 2];
    const flags = b[s + 3];
    const body = b.slice(s + HEADER_LENGTH, s + HEADER_LENGTH + length);
    this.start += HEADER_LENGTH + length;
    if (this.start === this.end) {
      this.start = this.end = 0;
    }
    return decodeBody(type, flags, body);
  }
}

function decodeBody(type: number, flags: number, body: Uint8Array): Frame {
  if (!isKnown(FrameType, type)) {
    throw new DecodeError(ErrorCode.UNKNOWN_FRAME_TYPE, `unknown frame type 0x${hex(type)}`);
  }
  if (type !== FrameType.MESSAGE && flags !== 0) {
    throw malformed(`flags 0x${hex(flags)} on a ${nameOf(FrameType, type)} frame`);
  }
  const r = new BodyReader(body);
  let frame: Frame;
  switch (type) {
    case FrameType.AUTH:
      frame = { type: FrameType.AUTH, token: r.str16() };
      break;
    case FrameType.AUTH_OK:
      frame = { type: FrameType.AUTH_OK, heartbeatMillis: r.u32(), clientId: r.str16(), sessionId: r.str16() };
      break;
    case FrameType.AUTH_FAIL:
      frame = { type: FrameType.AUTH_FAIL, code: errorCode(r.u16()), reason: r.str16() };
      break;
    case FrameType.ERROR:
      frame = { type: FrameType.ERROR, code: errorCode(r.u16()), reason: r.str16() };
      break;
    case FrameType.PING:
      frame = { type: FrameType.PING };
      break;
    case FrameType.PONG:
      frame = { type: FrameType.PONG };
      break;
    case FrameType.MESSAGE:
      return decodeMessage(flags, r);
    case FrameType.ACK:
      frame = { type: FrameType.ACK, messageId: r.u64(), status: r.enumeration(AckStatus, 'ACK status'), reason: r.str16() };
      break;
    default: // NOTICE
      frame = {
        type: FrameType.NOTICE,
        kind: r.enumeration(NoticeKind, 'notice kind'),
        delayMillis: r.u32(),
        reason: r.str16(),
        redirect: r.str16(),
      };
  }
  r.requireEnd();
  return frame;
}

function decodeMessage(flags: number, r: BodyReader): MessageFrame {
  if ((flags & Flags.RESERVED) !== 0) {
    throw malformed(`reserved MESSAGE flag bits set: 0x${hex(flags)}`);
  }
  if (r.remaining < MESSAGE_FIXED_LENGTH) {
    throw malformed(`MESSAGE body of ${r.remaining} bytes is shorter than its ${MESSAGE_FIXED_LENGTH} fixed bytes`);
  }
  const messageId = r.u64();
  const contentType = r.enumeration(ContentType, 'content type');
  const timestamp = Number(r.u64());
  let traceId: string | undefined;
  if ((flags & Flags.TRACE) !== 0) {
    const length = r.u8();
    if (length < 1 || length > MAX_TRACE_ID_LENGTH) {
      throw malformed(`trace id length ${length} is not 1-${MAX_TRACE_ID_LENGTH}`);
    }
    const bytes = r.take(length);
    for (const byte of bytes) {
      if (byte < 0x21 || byte > 0x7e) {
        throw malformed(`trace id byte 0x${hex(byte)} is not printable ASCII`);
      }
    }
    traceId = String.fromCharCode(...bytes);
  }
  return {
    type: FrameType.MESSAGE,
    messageId,
    contentType,
    qos: (flags & Flags.QOS_1) !== 0 ? 1 : 0,
    duplicate: (flags & Flags.DUPLICATE) !== 0,
    timestamp,
    traceId,
    payload: r.take(r.remaining),
  };
}

/** A code this client does not know (from a newer server) reads as INTERNAL_ERROR, as the protocol asks. */
function errorCode(code: number): number {
  return isKnown(ErrorCode, code) ? code : ErrorCode.INTERNAL_ERROR;
}

/** Reads big-endian fields off one frame body; running past its end is MALFORMED_FRAME. */
class BodyReader {
  private readonly view: DataView;
  private offset = 0;

  constructor(private readonly body: Uint8Array) {
    this.view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  }

  get remaining(): number {
    return this.body.length - this.offset;
  }

  u8(): number {
    this.need(1);
    return this.view.getUint8(this.offset++);
  }

  u16(): number {
    this.need(2);
    const value = this.view.getUint16(this.offset);
    this.offset += 2;
    return value;
  }

  u32(): number {
    this.need(4);
    const value = this.view.getUint32(this.offset);
    this.offset += 4;
    return value;
  }

  u64(): bigint {
    this.need(8);
    const value = this.view.getBigUint64(this.offset);
    this.offset += 8;
    return value;
  }

  str16(): string {
    const length = this.u16();
    const bytes = this.take(length);
    try {
      return utf8Decoder.decode(bytes);
    } catch {
      throw malformed('string is not valid UTF-8');
    }
  }

  enumeration<T extends number>(table: Record<string, T>, what: string): T {
    const value = this.u8();
    if (!isKnown(table, value)) {
      throw malformed(`unknown ${what} ${value}`);
    }
    return value as T;
  }

  take(length: number): Uint8Array {
    this.need(length);
    const bytes = this.body.subarray(this.offset, this.offset + length);
    this.offset += length;
    return bytes;
  }

  requireEnd(): void {
    if (this.remaining !== 0) {
      throw malformed(`${this.remaining} byte(s) after the last field`);
    }
  }

  private need(count: number): void {
    if (this.remaining < count) {
      throw malformed(`body ends ${count - this.remaining} byte(s) early`);
    }
  }
}

function malformed(reason: string): DecodeError {
  return new DecodeError(ErrorCode.MALFORMED_FRAME, reason);
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}
