package io.herald.core.event;

import java.util.Map;
import java.util.Objects;

/**
 * One thing that happened to a device or a message, for the business backend (docs/events.md). Immutable.
 *
 * @param id         unique across nodes and restarts ({@link EventIds}); a receiver de-duplicates redeliveries by it
 * @param timeMillis when it happened, epoch milliseconds
 * @param nodeId     the node that saw it (a gateway id; {@code standalone})
 * @param details    the fields of this type, in the order the JSON writes them (strings, numbers, booleans)
 */
public record Event(String id, EventType type, long timeMillis, String nodeId, String clientId,
                    Map<String, Object> details) {
    /** The version of the JSON schema ({@code "v"}); a change that is not an added field raises it. */
    public static final int SCHEMA_VERSION = 1;

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(details, "details");
    }
}
