package io.herald.client;

/**
 * Callbacks from a {@link HeraldClient}. Every method has a no-op default, so implement only what you need.
 *
 * <p>Callbacks run on the client's I/O thread, one at a time and in order; that thread is shared with other
 * clients of the same {@link ClientResources}, so do not block in them — hand slow work to your own executor.
 * An exception thrown by a callback is logged and otherwise ignored.
 */
public interface HeraldListener {

    /** The gateway accepted the connection (AUTH_OK); upstream messages waiting for it are being (re)sent. */
    default void onConnected(ConnectionInfo info) {
    }

    /**
     * An authenticated connection ended. The client reconnects on its own unless it was closed or kicked.
     *
     * @param cause why, or {@code null} when {@link HeraldClient#close()} ended it
     */
    default void onDisconnected(Throwable cause) {
    }

    /**
     * A message from the server. A QoS 1 message is acknowledged when this method returns (also when it
     * throws), and a redelivery of a message id seen recently is acknowledged without calling this again.
     */
    default void onMessage(ReceivedMessage message) {
    }

    /**
     * The server ended the session for good (another login of this client id, or an operator). The client
     * stops and does not reconnect; {@link #onDisconnected} follows with a {@link KickedException}.
     */
    default void onKicked(String reason) {
    }

    /**
     * Something went wrong that the client is handling itself — a failed connection attempt or login (it
     * retries), an ERROR frame from the gateway — or that ended it (then {@code start()} fails too).
     */
    default void onError(Throwable error) {
    }
}
