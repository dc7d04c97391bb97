import { GatewayInfo } from './api.js';
import { HeraldError } from './errors.js';
import { TlsMode } from './options.js';

/** A login assigned a gateway this client cannot use (no WebSocket listener, a bad URL): a new login may help. */
export class NoUsableGatewayError extends HeraldError {}

/**
 * The WebSocket URL for a login answer: its `wsUrl`, with `wss://` when the answer says TLS (or `tls` is 'on') and
 * `ws://` when `tls` is 'off'.
 */
export function gatewayUrl(gateway: GatewayInfo, tls: TlsMode): string {
  if (!gateway.wsUrl) {
    throw new NoUsableGatewayError('the assigned gateway has no WebSocket listener (is its --ws-port off?)');
  }
  let url: URL;
  try {
    url = new URL(gateway.wsUrl);
  } catch {
    throw new NoUsableGatewayError(`the login answer's WebSocket URL '${gateway.wsUrl}' is not a URL`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new NoUsableGatewayError(`the login answer's WebSocket URL '${gateway.wsUrl}' is not ws:// or wss://`);
  }
  const secure = tls === 'on' || (tls === 'auto' && (url.protocol === 'wss:' || gateway.tls));
  url.protocol = secure ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * The URL a REDIRECT notice points at: `hostPort` ("host:port", an IPv6 host in brackets) with the scheme and path
 * of the current URL. Throws for anything that is not host:port.
 */
export function redirectedUrl(current: string, hostPort: string): string {
  let target: URL;
  try {
    // A scheme without a default port, so that ":80" and ":443" are kept as written.
    target = new URL(`tcp://${hostPort}`);
  } catch {
    throw new NoUsableGatewayError(`redirect target is not host:port: '${hostPort}'`);
  }
  if (!target.hostname || !target.port || target.pathname !== '' || target.search || target.hash || target.username) {
    throw new NoUsableGatewayError(`redirect target is not host:port: '${hostPort}'`);
  }
  const url = new URL(current);
  url.hostname = target.hostname;
  url.port = target.port;
  return url.toString();
}
