import { GatewayInfo } from './api.js';
import { gatewayUrl, NoUsableGatewayError } from './endpoint.js';
import { TlsMode } from './options.js';

/**
 * The gateways one login allows, as WebSocket URLs: the assigned one and the API's fallbacks, in the API's order.
 * When the current gateway cannot be reached the client moves on to the next with the token it has (a token is good
 * on every gateway), and asks the API (logs in) only once every other one has failed in a row: a cluster gateway
 * that is killed or drained then sends its devices to the others at the rate those accept connections, not at the
 * rate the API logs devices in. The Java SDK's GatewayRotation.
 */
export class GatewayRotation {
  private current = 0;
  private triedInARow = 0;

  private constructor(private readonly urls: readonly string[]) {}

  /**
   * @param assignedUrl the URL of the gateway the login assigned, where the client goes first
   * @param fallbacks the login's other gateways, best first; those without a usable WebSocket URL are left out, and
   *   so is a repeat of one already listed
   */
  static of(assignedUrl: string, fallbacks: readonly GatewayInfo[], tls: TlsMode): GatewayRotation {
    const urls = [assignedUrl];
    for (const fallback of fallbacks) {
      const url = usableUrl(fallback, tls);
      if (url !== null && !urls.includes(url)) {
        urls.push(url);
      }
    }
    return new GatewayRotation(urls);
  }

  /**
   * The URL of the next gateway after the current one, which becomes current; null when every other one was tried
   * since the last connection (then the caller backs off and, in time, logs in).
   */
  next(): string | null {
    if (this.triedInARow >= this.urls.length - 1) {
      return null;
    }
    this.triedInARow++;
    this.current = (this.current + 1) % this.urls.length;
    return this.urls[this.current];
  }

  /** The current gateway took the client: a later failure starts a new round from it. */
  connected(): void {
    this.triedInARow = 0;
  }

  /** How many gateways the login allows, the assigned one included. */
  get size(): number {
    return this.urls.length;
  }
}

function usableUrl(gateway: GatewayInfo, tls: TlsMode): string | null {
  try {
    return gatewayUrl(gateway, tls);
  } catch (e) {
    if (e instanceof NoUsableGatewayError) {
      return null; // e.g. no WebSocket listener there: not a place this client can go
    }
    throw e;
  }
}
