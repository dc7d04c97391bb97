/**
 * The part of the WebSocket API this SDK uses, which the browser's native WebSocket and the `ws` package of
 * Node.js both offer.
 */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** WebSocket.OPEN in both implementations. */
export const OPEN = 1;

let nodeWebSocket: Promise<WebSocketConstructor> | undefined;

/**
 * The WebSocket to use: the one given in the options, else the global one (browsers, Node 22+), else the `ws`
 * package (Node 18 and 20), loaded only then, so that a browser never fetches it.
 */
export function resolveWebSocket(given?: WebSocketConstructor): Promise<WebSocketConstructor> {
  if (given) {
    return Promise.resolve(given);
  }
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (global) {
    return Promise.resolve(global);
  }
  nodeWebSocket ??= import('ws').then(
    (module) => (module.default ?? module) as unknown as WebSocketConstructor,
    (e: unknown) => {
      nodeWebSocket = undefined;
      throw new Error(`no global WebSocket and the 'ws' package cannot be loaded: ${String(e)}`);
    },
  );
  return nodeWebSocket;
}
