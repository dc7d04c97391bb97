import { MessageFrame } from './frames.js';
import { ContentType } from './wire.js';

const utf8 = new TextDecoder('utf-8');
const EPOCH_2024_MILLIS = 1_704_067_200_000n;
const COUNTER_BITS = 22n;

/** A message the server pushed, handed to the application once. */
export class ReceivedMessage {
  readonly messageId: bigint;
  readonly contentType: ContentType;
  readonly qos: 0 | 1;
  readonly payload: Uint8Array;
  readonly traceId: string | undefined;
  /** Epoch milliseconds when the push was accepted. */
  readonly timestamp: number;
  /** The server sent this id to this device before (its ACK was lost); the first delivery here, all the same. */
  readonly duplicate: boolean;

  constructor(frame: MessageFrame) {
    this.messageId = frame.messageId;
    this.contentType = frame.contentType;
    this.qos = frame.qos;
    this.payload = frame.payload;
    this.traceId = frame.traceId;
    this.timestamp = frame.timestamp;
    this.duplicate = frame.duplicate;
  }

  /** The payload as UTF-8 text (TEXT and JSON payloads are UTF-8). */
  text(): string {
    return utf8.decode(this.payload);
  }

  /** The payload parsed as JSON; throws SyntaxError when it is not. */
  json(): unknown {
    return JSON.parse(this.text());
  }
}

/**
 * Upstream message ids, unique per device also across page reloads and restarts without storing anything, as in
 * the Java SDK: `(milliseconds since 2024-01-01) << 22 | counter`. Strictly increasing; when the counter runs out
 * within a millisecond it borrows from the next one.
 */
export class UpstreamIds {
  private last = 0n;

  constructor(private readonly clock: () => number = Date.now) {}

  next(): bigint {
    const millis = BigInt(Math.max(0, Math.floor(this.clock()))) - EPOCH_2024_MILLIS;
    const fromClock = (millis > 0n ? millis : 0n) << COUNTER_BITS;
    this.last = fromClock > this.last ? fromClock : this.last + 1n;
    return this.last;
  }
}
