package io.herald.client;

/** How the client reaches the gateway that login assigned to it. */
public enum Transport {
    /** TCP to the gateway's {@code host:tcpPort}, with TLS when the login answer says {@code "tls":true}. */
    TCP,
    /**
     * The same binary frames inside binary WebSocket messages, to the gateway's {@code wsUrl}; for networks
     * where only HTTP(S) gets through. {@code wss://} URLs are served over TLS.
     */
    WEBSOCKET
}
