import type { ClientState, ConnectionInfo } from './client.js';
import type { ReceivedMessage } from './messages.js';

/** The events of a HeraldClient and their listeners' signatures. */
export interface HeraldEvents {
  /** The gateway accepted the connection (AUTH_OK); waiting upstream messages are being (re)sent. */
  connected: (info: ConnectionInfo) => void;
  /** An authenticated connection ended; the client reconnects unless closed or kicked. null after close(). */
  disconnected: (cause: Error | null) => void;
  /** A pushed message, once per id. A QoS 1 one is acked right after the listeners ran, even if one throws. */
  message: (message: ReceivedMessage) => void;
  /** The server ended the session for good; the client does not reconnect (call start() on a new client). */
  kicked: (reason: string) => void;
  /** Something the client is handling (a failed attempt it retries, an ERROR frame) or that ended it. */
  error: (error: Error) => void;
  state: (state: ClientState) => void;
}

type Listener = (...args: never[]) => void;

/** A small typed event emitter that works alike in browsers and Node.js. */
export class Emitter<Events extends { [K in keyof Events]: Listener }> {
  private readonly listeners = new Map<keyof Events, Set<Listener>>();

  on<K extends keyof Events>(event: K, listener: Events[K]): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => set?.delete(listener);
  }

  emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as (...a: Parameters<Events[K]>) => void)(...args);
      } catch (e) {
        // A listener's bug must not break the client (nor, rethrown, crash a Node process): report and go on.
        console.error(`herald: a '${String(event)}' listener threw`, e);
      }
    }
  }
}
