package io.herald.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A device gateway as an API node sees it, for the console's overview: registered (hence live) and how many
 * devices it last said it holds.
 *
 * @param address where devices connect ({@code host:port})
 * @param connections devices connected, as the gateway last published
 * @param startedAt when the gateway process started
 */
public record GatewayStatus(String id, String address, int connections, Instant startedAt) {
    public GatewayStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** {@code host:port}, an IPv6 literal in brackets. */
    public static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
