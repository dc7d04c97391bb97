package io.herald.client;

/** Whether the client wraps its gateway connection, TCP or WebSocket, in TLS. */
public enum TlsMode {
    /** As the login answer says: TLS when it says {@code "tls":true} or gives a {@code wss://} URL. */
    AUTO,
    /** Always TLS, whatever the login answer says (a {@code ws://} URL is reached as {@code wss://}). */
    ON,
    /**
     * Never TLS, whatever the login answer says (a {@code wss://} URL is reached as {@code ws://}); only for a
     * gateway reached through something that does TLS for it.
     */
    OFF
}
