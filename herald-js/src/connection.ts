import { DecodeError, encodeFrame, FrameDecoder } from './codec.js';
import { AckFrame, AuthOkFrame, errorFrame, Frame, MessageFrame, NoticeFrame, PING } from './frames.js';
import { AuthenticationFailedError, ConnectionLostError, HeraldError, ServerError } from './errors.js';
import { ErrorCode, FrameType, nameOf } from './wire.js';
import { OPEN, WebSocketConstructor, WebSocketLike } from './websocket.js';

/**
 * The server answers every PING, so a read gap of this many heartbeat intervals means the connection is dead, not
 * merely quiet (the server itself closes after two intervals of silence).
 */
export const READ_IDLE_FACTOR = 2.5;

/** What a connection tells the client that owns it. */
export interface ConnectionEvents {
  authenticated(connection: Connection, authOk: AuthOkFrame): void;
  message(connection: Connection, message: MessageFrame): void;
  ack(connection: Connection, ack: AckFrame): void;
  notice(connection: Connection, notice: NoticeFrame): void;
  /** Exactly once per connection; `cause` is null only after close(null). */
  closed(connection: Connection, cause: Error | null): void;
}

export interface ConnectionSettings {
  url: string;
  token: string;
  connectTimeoutMs: number;
  maxBodyLength: number;
  WebSocket: WebSocketConstructor;
}

/**
 * One connection attempt, from opening the WebSocket to its close: sends AUTH once open, enforces the connect
 * deadline (open + AUTH_OK), keeps the heartbeat (PING after `heartbeatMillis` without writing; presumed dead after
 * 2.5 intervals without reading), turns protocol trouble into a close with a cause, and passes the rest on.
 */
export class Connection {
  private readonly socket: WebSocketLike;
  private readonly decoder: FrameDecoder;
  private deadline: ReturnType<typeof setTimeout> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private heartbeatMillis = 0;
  private lastRead = 0;
  private lastWrite = 0;
  private authenticatedFlag = false;
  private cause: Error | null | undefined;
  private reported = false;

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly events: ConnectionEvents,
  ) {
    this.decoder = new FrameDecoder(settings.maxBodyLength);
    this.socket = new settings.WebSocket(settings.url);
    this.socket.binaryType = 'arraybuffer';
    this.socket.onopen = () => this.write({ type: FrameType.AUTH, token: settings.token });
    this.socket.onmessage = (event) => this.onData(event.data);
    this.socket.onerror = () => this.recordCause(new ConnectionLostError(`WebSocket error on ${settings.url}`));
    this.socket.onclose = (event) => this.onClose(event.code, event.reason);
    this.deadline = setTimeout(
      () => this.fail(new ConnectionLostError(`no AUTH_OK from ${settings.url} within ${settings.connectTimeoutMs} ms`)),
      settings.connectTimeoutMs,
    );
  }

  get url(): string {
    return this.settings.url;
  }

  get authenticated(): boolean {
    return this.authenticatedFlag;
  }

  /** Bytes the socket has not handed to the network yet: the client stops feeding it past a high-water mark. */
  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  get isOpen(): boolean {
    return this.socket.readyState === OPEN && this.cause === undefined;
  }

  /** Sends a frame if the socket is open; false otherwise (the client resends after the next connect). */
  write(frame: Frame): boolean {
    if (this.socket.readyState !== OPEN) {
      return false;
    }
    this.socket.send(encodeFrame(frame, this.settings.maxBodyLength));
    this.lastWrite = Date.now();
    return true;
  }

  /** Ends the connection on the owner's behalf; `closed` reports `cause` unless a failure came first. */
  close(cause: Error | null): void {
    this.recordCause(cause);
    this.stopTimers();
    this.socket.close(1000);
  }

  private fail(failure: Error): void {
    this.recordCause(failure);
    this.stopTimers();
    this.socket.close(1000); // browsers let a page close with 1000 or 3000-4999 only
  }

  private onData(data: unknown): void {
    if (this.cause !== undefined) {
      return; // closing: whatever still arrives on it is not read
    }
    if (!(data instanceof ArrayBuffer)) {
      this.sendError(ErrorCode.MALFORMED_FRAME, 'text WebSocket message; Herald speaks binary frames only');
      this.fail(new HeraldError(`gateway ${this.url} sent a text WebSocket message`));
      return;
    }
    this.lastRead = Date.now();
    let frames: Frame[];
    try {
      frames = this.decoder.push(new Uint8Array(data));
    } catch (e) {
      if (!(e instanceof DecodeError)) {
        throw e;
      }
      this.sendError(e.code, e.message);
      this.fail(new ConnectionLostError(`undecodable data from ${this.url}: ${e.message}`, { cause: e }));
      return;
    }
    for (const frame of frames) {
      if (this.cause !== undefined) {
        return;
      }
      this.onFrame(frame);
    }
  }

  private onFrame(frame: Frame): void {
    switch (frame.type) {
      case FrameType.AUTH_OK:
        this.onAuthOk(frame);
        break;
      case FrameType.AUTH_FAIL:
        this.fail(new AuthenticationFailedError(frame.code, frame.reason));
        break;
      case FrameType.PONG:
        break; // arriving was its job: lastRead moved
      case FrameType.MESSAGE:
        if (this.requireAuthenticated(frame)) {
          this.events.message(this, frame);
        }
        break;
      case FrameType.ACK:
        if (this.requireAuthenticated(frame)) {
          this.events.ack(this, frame);
        }
        break;
      case FrameType.NOTICE:
        this.events.notice(this, frame);
        break;
      case FrameType.ERROR:
        this.fail(new ServerError(frame.code, frame.reason));
        break;
      default:
        this.sendError(ErrorCode.UNEXPECTED_FRAME, `${nameOf(FrameType, frame.type)} is sent by devices only`);
        this.fail(new HeraldError(`gateway ${this.url} sent ${nameOf(FrameType, frame.type)}, which only devices send`));
    }
  }

  private requireAuthenticated(frame: Frame): boolean {
    if (!this.authenticatedFlag) {
      this.fail(new HeraldError(`gateway ${this.url} sent ${nameOf(FrameType, frame.type)} before AUTH_OK`));
    }
    return this.authenticatedFlag;
  }

  private onAuthOk(authOk: AuthOkFrame): void {
    if (this.authenticatedFlag) {
      this.fail(new HeraldError(`gateway ${this.url} sent a second AUTH_OK`));
      return;
    }
    this.authenticatedFlag = true;
    clearTimeout(this.deadline);
    this.deadline = undefined;
    this.heartbeatMillis = authOk.heartbeatMillis;
    if (this.heartbeatMillis > 0) {
      // A tick of a quarter interval: a PING leaves at most 1.25 intervals after the last write, well before the
      // server's two-interval idle timeout.
      const tick = Math.max(50, Math.floor(this.heartbeatMillis / 4));
      this.heartbeat = setInterval(() => this.onHeartbeatTick(), tick);
    }
    this.events.authenticated(this, authOk);
  }

  private onHeartbeatTick(): void {
    const now = Date.now();
    const readIdle = Math.round(this.heartbeatMillis * READ_IDLE_FACTOR);
    if (now - this.lastRead >= readIdle) {
      this.fail(
        new ConnectionLostError(
          `nothing received from ${this.url} for ${readIdle} ms (heartbeat ${this.heartbeatMillis} ms): the connection is presumed dead`,
        ),
      );
    } else if (now - this.lastWrite >= this.heartbeatMillis) {
      this.write(PING);
    }
  }

  private sendError(code: ErrorCode, reason: string): void {
    try {
      this.write(errorFrame(code, reason.slice(0, 200)));
    } catch {
      // best effort: the close follows anyway
    }
  }

  private onClose(code: number, reason: string): void {
    this.stopTimers();
    if (this.reported) {
      return;
    }
    this.reported = true;
    const cause =
      this.cause !== undefined
        ? this.cause
        : new ConnectionLostError(
            `connection to ${this.url} was closed by the gateway (WebSocket close ${code}${reason ? ` ${reason}` : ''})`,
          );
    this.events.closed(this, cause);
  }

  private recordCause(cause: Error | null): void {
    if (this.cause === undefined) {
      this.cause = cause;
    }
  }

  private stopTimers(): void {
    clearTimeout(this.deadline);
    clearInterval(this.heartbeat);
    this.deadline = undefined;
    this.heartbeat = undefined;
  }
}
