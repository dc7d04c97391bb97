import { AckFrame, MessageFrame } from './frames.js';
import { Backoff, Jitter } from './backoff.js';
import { MessageRejectedError } from './errors.js';
import { AckStatus } from './wire.js';
import type { Connection } from './connection.js';

/** What a QoS 1 send resolves to once the server acknowledged it with OK. */
export interface SendResult {
  messageId: bigint;
  /** How often it was sent: more than 1 after ACK timeouts, RETRY answers or reconnects. */
  transmissions: number;
}

export interface UpstreamSettings {
  ackTimeoutMs: number;
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
  jitter: Jitter;
  /** Stop writing while the socket holds more than this many unsent bytes; go on when it drained. */
  highWaterMarkBytes: number;
}

/** A QoS 1 message kept until the server ACKs it. */
export interface PendingMessage {
  frame: MessageFrame;
  transmissions: number;
  queued: boolean;
  timer?: ReturnType<typeof setTimeout>;
  retryBackoff?: Backoff;
  resolve(result: SendResult): void;
  reject(error: Error): void;
}

/** How often a writer blocked by a full socket looks again: browsers have no "drained" event. */
const DRAIN_POLL_MS = 20;

/**
 * At-least-once delivery of upstream messages, as the Java SDK's UpstreamSender: writes queued messages while the
 * socket takes them, waits for each ACK, resends on ACK timeout and (after a per-message backoff) on ACK RETRY,
 * resends everything unacknowledged, flagged DUPLICATE, on every new connection, and settles each caller's promise
 * on ACK OK (resolve) or REJECTED (reject). The pending set is bounded by the client (maxUnackedMessages/Bytes).
 */
export class UpstreamSender {
  /** In send order (a Map iterates in insertion order). */
  private readonly pending = new Map<bigint, PendingMessage>();
  private readonly queue: PendingMessage[] = [];
  private connection: Connection | null = null;
  private drainTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingBytes = 0;

  constructor(
    private readonly settings: UpstreamSettings,
    private readonly random: () => number,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  get bytes(): number {
    return this.pendingBytes;
  }

  enqueue(message: PendingMessage): void {
    this.pending.set(message.frame.messageId, message);
    this.pendingBytes += message.frame.payload.length;
    this.queueUp(message);
    this.flush();
  }

  /** A new authenticated connection: everything unacknowledged goes out again, oldest first. */
  connected(connection: Connection): void {
    this.connection = connection;
    this.queue.length = 0;
    for (const message of this.pending.values()) {
      clearTimeout(message.timer);
      message.timer = undefined;
      message.queued = true;
      this.queue.push(message);
    }
    this.flush();
  }

  /** The connection is gone: timers stop; {@link connected} resends. */
  disconnected(): void {
    this.connection = null;
    clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    for (const message of this.pending.values()) {
      clearTimeout(message.timer);
      message.timer = undefined;
      message.queued = false;
    }
    this.queue.length = 0;
  }

  onAck(ack: AckFrame): void {
    const message = this.pending.get(ack.messageId);
    if (!message) {
      return; // the ACK of an earlier transmission of a message acknowledged already
    }
    if (ack.status === AckStatus.RETRY) {
      this.scheduleRetry(message);
      return;
    }
    this.remove(message);
    if (ack.status === AckStatus.OK) {
      message.resolve({ messageId: ack.messageId, transmissions: message.transmissions });
    } else {
      message.reject(new MessageRejectedError(ack.messageId, ack.reason));
    }
  }

  /** Settles every pending message with `cause` (the client closed or was kicked). */
  failAll(cause: Error): void {
    clearTimeout(this.drainTimer);
    this.queue.length = 0;
    const all = [...this.pending.values()];
    for (const message of all) {
      this.remove(message);
      message.reject(cause);
    }
  }

  private flush(): void {
    const connection = this.connection;
    if (!connection || this.drainTimer !== undefined) {
      return;
    }
    while (this.queue.length > 0) {
      if (connection.bufferedAmount > this.settings.highWaterMarkBytes) {
        this.drainTimer = setTimeout(() => {
          this.drainTimer = undefined;
          this.flush();
        }, DRAIN_POLL_MS);
        return;
      }
      const message = this.queue.shift() as PendingMessage;
      message.queued = false;
      if (this.pending.get(message.frame.messageId) !== message) {
        continue; // settled while it waited
      }
      const frame = message.transmissions++ === 0 ? message.frame : { ...message.frame, duplicate: true };
      if (!connection.write(frame)) {
        message.transmissions--;
        return; // the socket is closing: the next connection resends
      }
      message.timer = setTimeout(() => {
        message.timer = undefined;
        this.resend(message);
      }, this.settings.ackTimeoutMs);
    }
  }

  private scheduleRetry(message: PendingMessage): void {
    clearTimeout(message.timer);
    message.retryBackoff ??= new Backoff({
      initialDelayMs: this.settings.retryInitialDelayMs,
      maxDelayMs: this.settings.retryMaxDelayMs,
      multiplier: 2,
      jitter: this.settings.jitter,
      random: this.random,
    });
    message.timer = setTimeout(() => {
      message.timer = undefined;
      this.resend(message);
    }, message.retryBackoff.nextDelay());
  }

  private resend(message: PendingMessage): void {
    if (this.connection && this.pending.get(message.frame.messageId) === message) {
      this.queueUp(message);
      this.flush();
    }
  }

  private queueUp(message: PendingMessage): void {
    if (!message.queued) {
      message.queued = true;
      this.queue.push(message);
    }
  }

  private remove(message: PendingMessage): void {
    clearTimeout(message.timer);
    message.timer = undefined;
    if (this.pending.delete(message.frame.messageId)) {
      this.pendingBytes -= message.frame.payload.length;
    }
  }
}
