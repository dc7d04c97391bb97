import { ApiClient, describe, LoginResult } from './api.js';
import { Backoff } from './backoff.js';
import { encodeFrame } from './codec.js';
import { Connection, ConnectionEvents } from './connection.js';
import { DuplicateFilter } from './duplicate-filter.js';
import { gatewayUrl, NoUsableGatewayError, redirectedUrl } from './endpoint.js';
import { GatewayRotation } from './gateway-rotation.js';
import {
  ApiError,
  ApiUnreachableError,
  AuthenticationFailedError,
  ClientClosedError,
  ConnectionLostError,
  KickedError,
  NotConnectedError,
  ServerError,
  TooManyUnackedMessagesError,
} from './errors.js';
import { ackOk, AuthOkFrame, MessageFrame, NoticeFrame } from './frames.js';
import { ReceivedMessage, UpstreamIds } from './messages.js';
import { HeraldClientOptions, ResolvedOptions, resolveOptions } from './options.js';
import { ReconnectPolicy } from './reconnect-policy.js';
import { Emitter, HeraldEvents } from './emitter.js';
import { SendResult, UpstreamSender } from './upstream.js';
import { resolveWebSocket } from './websocket.js';
import { ContentType, ErrorCode, FrameType, NoticeKind } from './wire.js';

/** Log in again this long before the token's announced expiry rather than offer a token about to lapse. */
const TOKEN_EXPIRY_MARGIN_MS = 5_000;
/** AUTH_FAIL codes that mean "not now" rather than "never": retried even before the first connection. */
const TRANSIENT_AUTH_FAILURES: number[] = [
  ErrorCode.AUTH_TIMEOUT,
  ErrorCode.RATE_LIMITED,
  ErrorCode.SERVER_BUSY,
  ErrorCode.GATEWAY_FULL,
  ErrorCode.INTERNAL_ERROR,
];

export type ClientState = 'new' | 'connecting' | 'connected' | 'waiting' | 'kicked' | 'closed';

/** What the application learns at each AUTH_OK. */
export interface ConnectionInfo {
  clientId: string;
  sessionId: string;
  url: string;
  heartbeatMillis: number;
  /** false at the first connection, true after every reconnect. */
  reconnect: boolean;
}

export interface SendOptions {
  contentType?: ContentType;
  /** 1 (default): kept until the server ACKs it, resent across reconnects. 0: sent once if connected, never kept. */
  qos?: 0 | 1;
  traceId?: string;
}

/** A move the gateway asked for (RECONNECT, REDIRECT), made once its connection is closed. */
interface PlannedMove {
  delayMs: number;
  relogin: boolean;
  url: string | null;
}

const utf8 = new TextEncoder();

/**
 * A Herald device in a browser or in Node.js: logs in over HTTP, keeps one WebSocket connection to the assigned
 * gateway (heartbeats, reconnects with backoff and jitter, follows the gateway's RECONNECT and REDIRECT notices,
 * stops for good when kicked), hands each pushed message to the application once (QoS 1 messages are acked,
 * redeliveries dropped by id), and sends upstream messages at least once: `send()` resolves when the server acked.
 *
 * ```js
 * const client = new HeraldClient({ apiUrl: 'https://push.example.com', clientId: 'dev-1', secret: 's3cret' });
 * client.on('message', (m) => console.log(m.text()));
 * await client.start();
 * await client.sendJson({ temperature: 21.5 });
 * ```
 */
export class HeraldClient {
  private readonly options: ResolvedOptions;
  private readonly log: ResolvedOptions['logger'];
  private readonly events = new Emitter<HeraldEvents>();
  private readonly api: ApiClient;
  private readonly policy: ReconnectPolicy;
  private readonly upstream: UpstreamSender;
  private readonly duplicates: DuplicateFilter;
  private readonly ids = new UpstreamIds();
  private stateValue: ClientState = 'new';
  private terminalCause: Error | null = null;
  private startPromise: Promise<void> | null = null;
  private settleStart: { resolve(): void; reject(e: Error): void } | null = null;
  private closedPromise: Promise<void> | null = null;
  private settleClosed: (() => void) | null = null;

  private registered = false;
  private login: LoginResult | null = null;
  private url: string | null = null;
  /** The gateways the current login allows, for when {@link url} cannot be reached. */
  private rotation: GatewayRotation | null = null;
  private freshToken = false;
  private askingApiForGateway = false;
  private connection: Connection | null = null;
  private attemptTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped when the client stops, so that answers of HTTP calls still in flight are ignored. */
  private generation = 0;
  private everConnected = false;
  private plannedMove: PlannedMove | null = null;
  private sessionInfo: ConnectionInfo | null = null;

  constructor(options: HeraldClientOptions) {
    this.options = resolveOptions(options);
    this.log = this.options.logger;
    this.api = new ApiClient(this.options.apiUrl, this.options.requestTimeoutMs, this.options.fetch);
    this.policy = new ReconnectPolicy(
      new Backoff({
        initialDelayMs: this.options.reconnectInitialDelayMs,
        maxDelayMs: this.options.reconnectMaxDelayMs,
        multiplier: this.options.reconnectMultiplier,
        jitter: this.options.reconnectJitter,
        random: this.options.random,
      }),
      this.options.reloginAfterFailures,
    );
    this.upstream = new UpstreamSender(
      {
        ackTimeoutMs: this.options.ackTimeoutMs,
        retryInitialDelayMs: this.options.retryInitialDelayMs,
        retryMaxDelayMs: this.options.retryMaxDelayMs,
        jitter: this.options.reconnectJitter,
        highWaterMarkBytes: this.options.highWaterMarkBytes,
      },
      this.options.random,
    );
    this.duplicates = new DuplicateFilter(this.options.duplicateWindow);
  }

  get state(): ClientState {
    return this.stateValue;
  }

  /** The current session (null while not connected). */
  get connectionInfo(): ConnectionInfo | null {
    return this.stateValue === 'connected' ? this.sessionInfo : null;
  }

  /** Upstream QoS 1 messages waiting for their ACK. */
  get unackedMessages(): number {
    return this.upstream.size;
  }

  /** Subscribes to an event; returns the function that unsubscribes. A throwing listener is logged, not fatal. */
  on<K extends keyof HeraldEvents>(event: K, listener: HeraldEvents[K]): () => void {
    return this.events.on(event, listener);
  }

  /**
   * Connects. Resolves at the first AUTH_OK; rejects when the client stops for good before (wrong secret, a
   * refused token that a fresh login does not fix, close()). Until then it retries with backoff on its own.
   */
  start(): Promise<void> {
    if (this.startPromise) {
      return this.startPromise;
    }
    this.startPromise = new Promise<void>((resolve, reject) => {
      this.settleStart = { resolve, reject };
    });
    this.startPromise.catch(() => undefined); // reported through the returned promise; never "unhandled" here
    this.beginAttempt();
    return this.startPromise;
  }

  sendText(text: string, options: Omit<SendOptions, 'contentType'> = {}): Promise<SendResult> {
    return this.send(utf8.encode(text), { ...options, contentType: ContentType.TEXT });
  }

  sendJson(value: unknown, options: Omit<SendOptions, 'contentType'> = {}): Promise<SendResult> {
    return this.send(utf8.encode(JSON.stringify(value)), { ...options, contentType: ContentType.JSON });
  }

  /**
   * Sends a message upstream. QoS 1 (default): may be called before start() or while disconnected; kept (bounded
   * by maxUnackedMessages and maxUnackedBytes) and resent until the server ACKs; resolves on ACK OK, rejects with
   * MessageRejectedError on ACK REJECTED, or with the reason the client stopped. QoS 0: resolves once written.
   */
  send(payload: Uint8Array | string, options: SendOptions = {}): Promise<SendResult> {
    try {
      return this.sendNow(typeof payload === 'string' ? utf8.encode(payload) : payload, options);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Stops reconnecting, closes the connection and fails pending sends with ClientClosedError. */
  close(): Promise<void> {
    if (!this.isTerminal()) {
      this.log.info('closing');
      const current = this.connection;
      this.terminate('closed', new ClientClosedError(`client ${this.options.clientId} was closed`));
      current?.close(null);
    }
    return this.closed();
  }

  /** Resolves once the client stopped for good (closed or kicked) and its connection is closed. */
  closed(): Promise<void> {
    this.closedPromise ??= new Promise<void>((resolve) => {
      this.settleClosed = resolve;
      if (this.isTerminal() && this.connection === null) {
        resolve();
      }
    });
    return this.closedPromise;
  }

  private sendNow(payload: Uint8Array, options: SendOptions): Promise<SendResult> {
    const qos = options.qos ?? 1;
    const frame: MessageFrame = {
      type: FrameType.MESSAGE,
      messageId: this.ids.next(),
      contentType: options.contentType ?? ContentType.BINARY,
      qos,
      duplicate: false,
      timestamp: Date.now(),
      traceId: options.traceId,
      payload: payload.slice(),
    };
    encodeFrame(frame, this.options.maxFrameBodyLength); // throws EncodeError now for what could never be sent
    if (this.terminalCause) {
      return Promise.reject(this.terminalCause);
    }
    if (qos === 0) {
      if (this.stateValue !== 'connected' || !this.connection?.write(frame)) {
        return Promise.reject(new NotConnectedError('QoS 0 messages are sent only while connected'));
      }
      return Promise.resolve({ messageId: frame.messageId, transmissions: 1 });
    }
    if (this.upstream.size >= this.options.maxUnackedMessages) {
      return Promise.reject(new TooManyUnackedMessagesError(`${this.upstream.size} messages wait for their ACK already`));
    }
    if (this.upstream.bytes + payload.length > this.options.maxUnackedBytes) {
      return Promise.reject(
        new TooManyUnackedMessagesError(`${this.upstream.bytes} payload bytes wait for their ACK already`),
      );
    }
    return new Promise<SendResult>((resolve, reject) => {
      this.upstream.enqueue({ frame, transmissions: 0, queued: false, resolve, reject });
    });
  }

  private beginAttempt(): void {
    this.attemptTimer = undefined;
    if (this.isTerminal()) {
      return;
    }
    this.setState('connecting');
    this.freshToken = false;
    this.askingApiForGateway = false;
    const generation = this.generation;
    if (this.options.registerIfMissing && !this.registered) {
      this.whenAnswered(this.api.register(this.options.clientId, this.options.secret), generation, (created) => {
        this.registered = true;
        this.log.info(created ? 'device registered' : 'device was registered already');
        this.loginThenConnect(generation);
      });
      return;
    }
    this.loginThenConnect(generation);
  }

  private loginThenConnect(generation: number): void {
    const login = this.login;
    const expiring = login?.expiresAt != null && login.expiresAt - Date.now() < TOKEN_EXPIRY_MARGIN_MS;
    if (login && this.url && !this.policy.reloginNeeded && !expiring) {
      this.connect(login.token, this.url);
      return;
    }
    this.whenAnswered(this.api.login(this.options.clientId, this.options.secret), generation, (result) => {
      let url: string;
      try {
        url = gatewayUrl(result.gateway, this.options.tls);
      } catch (e) {
        this.attemptFailed(e as Error); // keep no part of this login: the next attempt logs in again
        return;
      }
      this.login = result;
      this.url = url;
      this.rotation = GatewayRotation.of(url, result.fallbacks, this.options.tls);
      this.policy.loggedIn();
      this.freshToken = true;
      const more = this.rotation.size > 1 ? ` (${this.rotation.size - 1} more the token may use)` : '';
      this.log.info(`logged in; assigned gateway ${url}${more}`);
      this.connect(result.token, url);
    });
  }

  /** Goes on with an HTTP call's answer; a failed call fails the attempt, a late one (client stopped) is ignored. */
  private whenAnswered<T>(call: Promise<T>, generation: number, next: (answer: T) => void): void {
    call.then(
      (answer) => {
        if (generation === this.generation) {
          next(answer);
        }
      },
      (failure: Error) => {
        if (generation === this.generation) {
          this.attemptFailed(failure);
        }
      },
    );
  }

  private connect(token: string, url: string): void {
    const generation = this.generation;
    resolveWebSocket(this.options.WebSocket).then(
      (WebSocket) => {
        if (generation !== this.generation || this.isTerminal()) {
          return;
        }
        this.log.debug(`connecting to ${url}`);
        try {
          this.connection = new Connection(
            { url, token, connectTimeoutMs: this.options.connectTimeoutMs, maxBodyLength: this.options.maxFrameBodyLength, WebSocket },
            this.connectionEvents,
          );
        } catch (e) {
          this.attemptFailed(new ConnectionLostError(`cannot open a WebSocket to ${url}: ${describe(e)}`, { cause: e }));
        }
      },
      (e: Error) => {
        if (generation === this.generation) {
          this.log.error(e.message);
          this.events.emit('error', e);
          this.terminate('closed', e);
        }
      },
    );
  }

  private attemptFailed(cause: Error): void {
    if (this.isTerminal()) {
      return;
    }
    const login = this.login;
    const next = login && cause instanceof ConnectionLostError ? this.rotation?.next() : null;
    if (login && next) {
      // Another gateway of the same login takes the same token: no login, no wait (part of this attempt).
      this.log.info(`gateway ${this.url} unreachable (${cause.message}); trying gateway ${next} with the same token`);
      this.url = next;
      this.connect(login.token, next);
      return;
    }
    if (!this.freshToken && cause instanceof ConnectionLostError && this.policy.gatewaySuspect) {
      // The kept token's gateway failed again: ask the API for one now, within this same attempt.
      this.log.info(`gateway ${this.url} still unreachable (${cause.message}); logging in to be assigned one`);
      this.policy.requireRelogin();
      this.askingApiForGateway = true;
      this.loginThenConnect(this.generation);
      return;
    }
    if (this.askingApiForGateway && cause instanceof ApiUnreachableError) {
      // Neither gateway nor API answers (a standalone node restarting): keep the token, try the gateway first.
      this.policy.keepToken();
    }
    if (!this.everConnected && this.isPermanent(cause)) {
      this.log.error(`giving up: ${cause.message}`);
      this.events.emit('error', cause);
      this.terminate('closed', cause);
      return;
    }
    const delay = this.policy.attemptFailed(cause);
    this.log.warn(`connection attempt failed (${this.policy.consecutiveFailures} in a row): ${cause.message}; retrying in ${delay} ms`);
    this.events.emit('error', cause);
    this.waitThenAttempt(delay);
  }

  /** Whether retrying cannot help. A kept token refused only expired meanwhile: a new login fixes that. */
  private isPermanent(cause: Error): boolean {
    if (cause instanceof ApiError) {
      return !cause.retryable;
    }
    if (cause instanceof AuthenticationFailedError) {
      return cause.code === ErrorCode.INVALID_TOKEN ? this.freshToken : !TRANSIENT_AUTH_FAILURES.includes(cause.code);
    }
    return cause instanceof NoUsableGatewayError;
  }

  private waitThenAttempt(delayMs: number): void {
    this.setState('waiting');
    this.attemptTimer = setTimeout(() => this.beginAttempt(), delayMs);
  }

  /** Stops for good: no more attempts; pending sends and a pending start fail with `cause`. */
  private terminate(finalState: 'closed' | 'kicked', cause: Error): void {
    this.terminalCause = cause;
    this.generation++;
    this.plannedMove = null;
    clearTimeout(this.attemptTimer);
    this.attemptTimer = undefined;
    this.setState(finalState);
    this.upstream.failAll(cause);
    this.settleStart?.reject(cause);
    this.settleStart = null;
    if (this.connection === null) {
      this.settleClosed?.();
    }
  }

  private isTerminal(): boolean {
    return this.stateValue === 'kicked' || this.stateValue === 'closed';
  }

  private setState(state: ClientState): void {
    if (this.stateValue !== state) {
      this.stateValue = state;
      this.events.emit('state', state);
    }
  }

  private readonly connectionEvents: ConnectionEvents = {
    authenticated: (c: Connection, authOk: AuthOkFrame) => {
      if (c !== this.connection || this.isTerminal()) {
        c.close(null);
        return;
      }
      this.policy.connected();
      this.rotation?.connected();
      const reconnect = this.everConnected;
      this.everConnected = true;
      this.sessionInfo = {
        clientId: authOk.clientId,
        sessionId: authOk.sessionId,
        url: c.url,
        heartbeatMillis: authOk.heartbeatMillis,
        reconnect,
      };
      this.log.info(`connected to ${c.url} (session ${authOk.sessionId}, heartbeat ${authOk.heartbeatMillis} ms)`);
      this.setState('connected');
      this.upstream.connected(c);
      this.events.emit('connected', this.sessionInfo);
      this.settleStart?.resolve();
      this.settleStart = null;
    },
    message: (c: Connection, frame: MessageFrame) => {
      if (c !== this.connection) {
        return;
      }
      if (this.duplicates.firstSeen(frame.messageId)) {
        this.events.emit('message', new ReceivedMessage(frame));
      } else {
        this.log.debug(`dropping redelivered message ${frame.messageId}`);
      }
      if (frame.qos === 1) {
        c.write(ackOk(frame.messageId)); // duplicates too: the server waits for it
      }
    },
    ack: (c, ack) => {
      if (c === this.connection) {
        this.upstream.onAck(ack);
      }
    },
    notice: (c, notice) => this.onNotice(c, notice),
    closed: (c, cause) => this.onClosed(c, cause),
  };

  private onNotice(c: Connection, notice: NoticeFrame): void {
    if (c !== this.connection || this.isTerminal()) {
      return;
    }
    const reason = notice.reason ? ` (${notice.reason})` : '';
    if (notice.kind === NoticeKind.KICKED) {
      const kicked = new KickedError(notice.reason);
      this.log.warn(`kicked by the server${reason}; not reconnecting`);
      this.terminate('kicked', kicked);
      this.events.emit('kicked', notice.reason);
      c.close(kicked);
      return;
    }
    if (notice.kind === NoticeKind.RECONNECT) {
      // The token may still be good: go with it to another gateway of the login, if there is one (this one may be
      // draining away), or else come back to this one (a restarted standalone node takes it); the API is asked at
      // once if that one cannot be reached either.
      const next = this.rotation?.next() ?? null;
      this.log.info(
        `gateway asks to reconnect in ${notice.delayMillis} ms${reason}; then to ${next ?? 'the same gateway'}, ` +
          'with a new login if it cannot be reached',
      );
      this.policy.suspectGateway();
      this.plannedMove = { delayMs: notice.delayMillis, relogin: false, url: next };
      c.close(new ConnectionLostError(`gateway ${c.url} asked the client to reconnect${reason}`));
      return;
    }
    let target: string | null = null;
    try {
      target = redirectedUrl(c.url, notice.redirect);
      this.log.info(`gateway redirects to ${target} in ${notice.delayMillis} ms${reason}`);
    } catch {
      this.log.warn(`ignoring unusable REDIRECT target '${notice.redirect}'; logging in again instead`);
    }
    this.plannedMove = { delayMs: notice.delayMillis, relogin: target === null, url: target };
    c.close(new ConnectionLostError(`gateway ${c.url} redirected the client to ${notice.redirect}${reason}`));
  }

  private onClosed(c: Connection, cause: Error | null): void {
    if (c !== this.connection) {
      return;
    }
    this.connection = null;
    const wasConnected = c.authenticated;
    if (wasConnected) {
      this.upstream.disconnected();
      if (!this.isTerminal()) {
        this.setState('waiting');
      }
      this.events.emit('disconnected', cause);
    }
    if (this.isTerminal()) {
      this.settleClosed?.();
      return;
    }
    const failure = cause ?? new ConnectionLostError(`connection to ${c.url} closed`);
    const move = this.plannedMove;
    this.plannedMove = null;
    if (move) {
      if (move.relogin) {
        this.policy.requireRelogin();
      }
      if (move.url) {
        this.url = move.url;
      }
      this.waitThenAttempt(move.delayMs);
    } else if (wasConnected) {
      const delay = this.policy.connectionLost();
      this.log.warn(`disconnected: ${failure.message}; reconnecting in ${delay} ms`);
      if (failure instanceof ServerError && !failure.isConnectionTimeout) {
        this.events.emit('error', failure); // a timeout is a lost connection, reported by 'disconnected' only
      }
      this.waitThenAttempt(delay);
    } else {
      this.attemptFailed(failure);
    }
  }
}
