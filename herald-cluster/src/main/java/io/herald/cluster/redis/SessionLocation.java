package io.herald.cluster.redis;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Where a client is connected in the cluster: which gateway node, which connection on it, since when.
 *
 * <p>Stored in Redis as {@code nodeId|connectionId|connectedAtEpochMillis}, e.g. {@code gw-1|8f3a2c1d|1718000000000}:
 * compact, readable in {@code redis-cli}, and its owner part ({@code nodeId|connectionId|}) is a prefix the Lua
 * scripts compare against. Hence neither id may contain {@code |}, and the time keeps milliseconds only.
 */
public record SessionLocation(String nodeId, String connectionId, Instant connectedAt) {
    static final char SEPARATOR = '|';

    public SessionLocation {
        requireId(nodeId, "node id");
        requireId(connectionId, "connection id");
        connectedAt = Objects.requireNonNull(connectedAt, "connectedAt").truncatedTo(ChronoUnit.MILLIS);
    }

    /** The stored form. */
    public String encode() {
        return owner(nodeId, connectionId) + connectedAt.toEpochMilli();
    }

    /** Reads the stored form; throws {@link IllegalArgumentException} when it is not one. */
    public static SessionLocation decode(String encoded) {
        Objects.requireNonNull(encoded, "encoded");
        int first = encoded.indexOf(SEPARATOR);
        int second = first < 0 ? -1 : encoded.indexOf(SEPARATOR, first + 1);
        if (second < 0) {
            throw new IllegalArgumentException("not a session location: '" + encoded + "'");
        }
        try {
            long millis = Long.parseLong(encoded.substring(second + 1));
            return new SessionLocation(encoded.substring(0, first), encoded.substring(first + 1, second),
                    Instant.ofEpochMilli(millis));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a session location: '" + encoded + "'", e);
        }
    }

    /** True when this location is that node's connection. */
    public boolean isConnection(String otherNodeId, String otherConnectionId) {
        return nodeId.equals(otherNodeId) && connectionId.equals(otherConnectionId);
    }

    /** {@code nodeId|connectionId|}: the start of the stored form that identifies one connection. */
    static String owner(String nodeId, String connectionId) {
        return nodeId + SEPARATOR + connectionId + SEPARATOR;
    }

    static void requireId(String id, String what) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (id.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException(what + " must not contain '" + SEPARATOR + "', was '" + id + "'");
        }
    }
}
