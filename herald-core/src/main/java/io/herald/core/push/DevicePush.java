package io.herald.core.push;

import io.herald.core.message.PushMessage;
import java.util.List;
import java.util.Objects;

/**
 * One message and the devices it goes to: a message of a batch push as the push service takes it, and the part of
 * it that one gateway is asked to hand over.
 */
public record DevicePush(PushMessage message, List<String> clientIds) {
    public DevicePush {
        Objects.requireNonNull(message, "message");
        clientIds = List.copyOf(Objects.requireNonNull(clientIds, "clientIds"));
    }
}
