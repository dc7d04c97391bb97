package io.herald.core.push;

import java.util.List;
import java.util.Objects;

/**
 * What a gateway did with one {@link DevicePush}: how many of the ids were connected there and got the message
 * queued for delivery, and the ids that were not (they left, or moved to another gateway, since they were located).
 * The push service decides what the latter count as (stored or dropped) and whom to nudge.
 */
public record HandedOver(int online, List<String> notHeld) {
    public HandedOver {
        if (online < 0) {
            throw new IllegalArgumentException("online must not be negative, was " + online);
        }
        notHeld = List.copyOf(Objects.requireNonNull(notHeld, "notHeld"));
    }
}
