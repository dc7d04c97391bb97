import { ApiError, ApiUnreachableError, HeraldError, LoginRejectedError, RegistrationConflictError } from './errors.js';

/** The gateway a login assigned, as the API describes it. */
export interface GatewayInfo {
  host: string | null;
  tcpPort: number;
  /** `ws://` or `wss://` URL, or null when the gateway has no WebSocket listener. */
  wsUrl: string | null;
  tls: boolean;
}

export interface LoginResult {
  token: string;
  /** Epoch milliseconds, or null when the API did not say. */
  expiresAt: number | null;
  gateway: GatewayInfo;
  /** Other gateways the token is good on, best first (`fallbackGateways`; empty from a standalone or older node). */
  fallbacks: GatewayInfo[];
}

export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

const DEVICES_PATH = '/api/v1/devices';
const LOGIN_PATH = '/api/v1/login';
/** Error bodies are quoted in messages; beyond this they are noise. */
const MAX_QUOTED_BODY = 200;
/** The API lists at most 2; a longer list (another server) is cut rather than tried for ever. */
const MAX_FALLBACKS = 4;

/**
 * The device's two HTTP calls: register (`POST /api/v1/devices`) and login (`POST /api/v1/login`), over `fetch`
 * (the browser's, or Node 18+'s global one). In a browser on another origin than the API, the API must allow that
 * origin (`--cors-origin`); a refused preflight surfaces as {@link ApiUnreachableError}.
 */
export class ApiClient {
  private readonly baseUrl: string;

  constructor(
    apiUrl: string,
    private readonly timeoutMs: number,
    private readonly fetchFn: FetchFunction,
  ) {
    this.baseUrl = apiUrl.replace(/\/+$/, '');
  }

  /** Registers the device: true when it was created, false when it existed with this secret already. */
  async register(clientId: string, secret: string): Promise<boolean> {
    const response = await this.post(DEVICES_PATH, { clientId, secret });
    if (response.status === 201) {
      return true;
    }
    if (response.status === 200) {
      return false;
    }
    const error = await errorBody(response);
    if (response.status === 409) {
      throw new RegistrationConflictError(
        409,
        error.code,
        `client id ${clientId} is registered with another secret${error.suffix}`,
      );
    }
    throw new ApiError(response.status, error.code, `registration failed with HTTP ${response.status}${error.suffix}`);
  }

  async login(clientId: string, secret: string): Promise<LoginResult> {
    const response = await this.post(LOGIN_PATH, { clientId, secret });
    if (response.status === 200) {
      return parseLogin(await response.text());
    }
    const error = await errorBody(response);
    if (response.status === 401) {
      throw new LoginRejectedError(
        401,
        error.code,
        `login refused for client id ${clientId}: wrong secret or unknown device${error.suffix}`,
      );
    }
    throw new ApiError(response.status, error.code, `login failed with HTTP ${response.status}${error.suffix}`);
  }

  private async post(path: string, body: unknown): Promise<Response> {
    const url = this.baseUrl + path;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      return await this.fetchFn(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
    } catch (e) {
      const why = controller.signal.aborted ? `no answer within ${this.timeoutMs} ms` : describe(e);
      throw new ApiUnreachableError(`POST ${url} failed: ${why}`, { cause: e });
    } finally {
      clearTimeout(timer);
    }
  }
}

function parseLogin(text: string): LoginResult {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    throw new HeraldError(`login answer is not JSON: ${quote(text)}`, { cause: e });
  }
  const answer = root as {
    token?: unknown;
    expiresAt?: unknown;
    gateway?: Record<string, unknown>;
    fallbackGateways?: unknown;
  } | null;
  const gateway = answer?.gateway;
  if (typeof answer?.token !== 'string' || answer.token === '' || !isObject(gateway)) {
    throw new HeraldError(`login answer lacks token or gateway: ${quote(text)}`);
  }
  const expires = typeof answer.expiresAt === 'string' ? Date.parse(answer.expiresAt) : NaN;
  const listed = Array.isArray(answer.fallbackGateways) ? answer.fallbackGateways.slice(0, MAX_FALLBACKS) : [];
  return {
    token: answer.token,
    expiresAt: Number.isFinite(expires) ? expires : null,
    gateway: gatewayInfo(gateway),
    fallbacks: listed.filter(isObject).map(gatewayInfo),
  };
}

function gatewayInfo(gateway: Record<string, unknown>): GatewayInfo {
  return {
    host: typeof gateway.host === 'string' ? gateway.host : null,
    tcpPort: typeof gateway.tcpPort === 'number' ? gateway.tcpPort : 0,
    wsUrl: typeof gateway.wsUrl === 'string' && gateway.wsUrl !== '' ? gateway.wsUrl : null,
    tls: gateway.tls === true,
  };
}

/** A JSON object: an entry that is not one (null, a number, an array) describes no gateway. */
function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The API's documented error shape, `{"error":{"code":..., "message":...}}`, or the quoted body. */
async function errorBody(response: Response): Promise<{ code: string | undefined; suffix: string }> {
  let text = '';
  try {
    text = await response.text();
    const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
    if (error && typeof error === 'object') {
      const code = typeof error.code === 'string' ? error.code : undefined;
      const message = typeof error.message === 'string' ? error.message : undefined;
      const inner = [code, message].filter((part) => part !== undefined).join(': ');
      return { code, suffix: inner ? ` (${inner})` : '' };
    }
  } catch {
    // not the documented shape: quote the body instead
  }
  return { code: undefined, suffix: text ? ` (${quote(text)})` : '' };
}

function quote(text: string): string {
  return text.length <= MAX_QUOTED_BODY ? text : `${text.slice(0, MAX_QUOTED_BODY)}...`;
}

export function describe(error: unknown): string {
  if (error instanceof Error) {
    return error.message || error.name;
  }
  return String(error);
}
