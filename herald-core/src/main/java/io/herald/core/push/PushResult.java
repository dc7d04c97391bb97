package io.herald.core.push;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What became of a push when it was accepted.
 *
 * @param online       targets connected now, to which the message was handed for delivery
 * @param stored       offline targets for which a QoS 1 message was stored until they connect
 * @param dropped      offline targets of a QoS 0 message, and ids that are not registered
 * @param unknown      of a QoS 1 push to a list of ids: the first {@value #MAX_LISTED_UNKNOWN} of the ids that are
 *                     not registered (counted in {@code dropped}), in request order; null when not looked up (a
 *                     QoS 0 push touches no store, so its offline ids are dropped whether registered or not)
 * @param unknownCount how many ids were not registered, all of them (0 when not looked up)
 */
public record PushResult(long messageId, int online, int stored, int dropped, List<String> unknown,
                         int unknownCount) {
    /** Bounds the answer to a push naming 100,000 ids that are mostly wrong. */
    public static final int MAX_LISTED_UNKNOWN = 100;

    public PushResult {
        unknown = unknown == null ? null : List.copyOf(unknown);
    }

    /** A result whose unknown ids were not looked up. */
    public PushResult(long messageId, int online, int stored, int dropped) {
        this(messageId, online, stored, dropped, null, 0);
    }

    /** This result with {@code unknownIds} (all of them; the first {@value #MAX_LISTED_UNKNOWN} are listed). */
    public PushResult withUnknown(Collection<String> unknownIds) {
        List<String> listed = new ArrayList<>(Math.min(unknownIds.size(), MAX_LISTED_UNKNOWN));
        for (String clientId : unknownIds) {
            if (listed.size() == MAX_LISTED_UNKNOWN) {
                break;
            }
            listed.add(clientId);
        }
        return new PushResult(messageId, online, stored, dropped, listed, unknownIds.size());
    }
}
