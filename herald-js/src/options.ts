import { FetchFunction } from './api.js';
import { Jitter } from './backoff.js';
import { WebSocketConstructor } from './websocket.js';
import { DEFAULT_MAX_BODY_LENGTH, HARD_MAX_BODY_LENGTH } from './wire.js';

/** Where log lines go: `console` fits; the default drops them (a library should not write to the console). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export type TlsMode = 'auto' | 'on' | 'off';

/** What a {@link HeraldClient} needs to know. Only apiUrl, clientId and secret are required. */
export interface HeraldClientOptions {
  /** Base URL of the HTTP API, e.g. `https://push.example.com`; `/api/v1/...` is appended. */
  apiUrl: string;
  clientId: string;
  secret: string;
  /** Register the device (POST /api/v1/devices) before the first login; default false. */
  registerIfMissing?: boolean;
  /** WebSocket open plus AUTH exchange of one attempt (default 10,000). */
  connectTimeoutMs?: number;
  /** Each HTTP call (default 10,000). */
  requestTimeoutMs?: number;
  reconnectInitialDelayMs?: number;
  reconnectMaxDelayMs?: number;
  reconnectMultiplier?: number;
  reconnectJitter?: Jitter;
  /** After this many failed attempts in a row, an unreachable gateway sends the client back to login (default 3). */
  reloginAfterFailures?: number;
  /** Upstream messages kept until acknowledged; beyond, send() fails at once (default 1,000). */
  maxUnackedMessages?: number;
  /** Their payload bytes together (default 8 MiB). */
  maxUnackedBytes?: number;
  /** A sent message waits this long for its ACK before it is resent (default 10,000). */
  ackTimeoutMs?: number;
  /** First delay before resending after ACK RETRY; doubles per RETRY up to retryMaxDelayMs (1,000 / 30,000). */
  retryInitialDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Recent downstream ids remembered to drop redeliveries (default 10,000). */
  duplicateWindow?: number;
  /** Largest frame body accepted and sent: the gateway's --max-frame-bytes (default 65,536). */
  maxFrameBodyLength?: number;
  /** Unsent socket bytes above which upstream writing pauses (default 1 MiB). */
  highWaterMarkBytes?: number;
  /** `auto` follows the login answer; `on` forces wss://, `off` ws:// (default auto). */
  tls?: TlsMode;
  /** WebSocket implementation; default the global one, else the `ws` package (Node 18/20). */
  WebSocket?: WebSocketConstructor;
  /** fetch implementation; default the global one. */
  fetch?: FetchFunction;
  logger?: Logger;
  /** Uniform in [0, 1) for the jitter; default Math.random. */
  random?: () => number;
}

export type ResolvedOptions = Required<Omit<HeraldClientOptions, 'WebSocket'>> & { WebSocket?: WebSocketConstructor };

// The server's rule for client ids (herald-core ClientIds): a typo fails here, not as an HTTP 400 later.
const CLIENT_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

const SILENT: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Fills in the defaults and checks every value; a refusal names its option. */
export function resolveOptions(options: HeraldClientOptions): ResolvedOptions {
  if (!options || typeof options.apiUrl !== 'string' || !/^https?:\/\//i.test(options.apiUrl)) {
    throw new TypeError('apiUrl must be an http:// or https:// URL');
  }
  if (typeof options.clientId !== 'string' || !CLIENT_ID.test(options.clientId)) {
    throw new TypeError('clientId must be 1-128 characters of A-Z a-z 0-9 . _ : @ -');
  }
  if (typeof options.secret !== 'string' || options.secret === '') {
    throw new TypeError('secret is required');
  }
  const fetchFn = options.fetch ?? (globalThis as { fetch?: ApiFetch }).fetch?.bind(globalThis);
  if (!fetchFn) {
    throw new TypeError('no global fetch (Node.js 18 or later has one): pass options.fetch');
  }
  const resolved: ResolvedOptions = {
    apiUrl: options.apiUrl,
    clientId: options.clientId,
    secret: options.secret,
    registerIfMissing: options.registerIfMissing ?? false,
    connectTimeoutMs: positive('connectTimeoutMs', options.connectTimeoutMs, 10_000),
    requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs, 10_000),
    reconnectInitialDelayMs: positive('reconnectInitialDelayMs', options.reconnectInitialDelayMs, 500),
    reconnectMaxDelayMs: positive('reconnectMaxDelayMs', options.reconnectMaxDelayMs, 30_000),
    reconnectMultiplier: options.reconnectMultiplier ?? 2,
    reconnectJitter: options.reconnectJitter ?? 'full',
    reloginAfterFailures: positive('reloginAfterFailures', options.reloginAfterFailures, 3),
    maxUnackedMessages: positive('maxUnackedMessages', options.maxUnackedMessages, 1_000),
    maxUnackedBytes: positive('maxUnackedBytes', options.maxUnackedBytes, 8 * 1024 * 1024),
    ackTimeoutMs: positive('ackTimeoutMs', options.ackTimeoutMs, 10_000),
    retryInitialDelayMs: positive('retryInitialDelayMs', options.retryInitialDelayMs, 1_000),
    retryMaxDelayMs: positive('retryMaxDelayMs', options.retryMaxDelayMs, 30_000),
    duplicateWindow: positive('duplicateWindow', options.duplicateWindow, 10_000),
    maxFrameBodyLength: positive('maxFrameBodyLength', options.maxFrameBodyLength, DEFAULT_MAX_BODY_LENGTH),
    highWaterMarkBytes: positive('highWaterMarkBytes', options.highWaterMarkBytes, 1024 * 1024),
    tls: options.tls ?? 'auto',
    WebSocket: options.WebSocket,
    fetch: fetchFn,
    logger: options.logger ?? SILENT,
    random: options.random ?? Math.random,
  };
  if (!(resolved.reconnectMultiplier >= 1)) {
    throw new RangeError(`reconnectMultiplier must be at least 1, was ${resolved.reconnectMultiplier}`);
  }
  if (resolved.reconnectJitter !== 'full' && resolved.reconnectJitter !== 'decorrelated') {
    throw new RangeError(`reconnectJitter must be 'full' or 'decorrelated', was ${String(resolved.reconnectJitter)}`);
  }
  if (resolved.maxFrameBodyLength > HARD_MAX_BODY_LENGTH) {
    throw new RangeError(`maxFrameBodyLength must be at most ${HARD_MAX_BODY_LENGTH}, was ${resolved.maxFrameBodyLength}`);
  }
  if (!['auto', 'on', 'off'].includes(resolved.tls)) {
    throw new RangeError(`tls must be 'auto', 'on' or 'off', was ${String(resolved.tls)}`);
  }
  return resolved;
}

type ApiFetch = HeraldClientOptions['fetch'];

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a whole number of at least 1, was ${value}`);
  }
  return value;
}
