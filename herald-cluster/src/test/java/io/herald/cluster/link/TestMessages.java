package io.herald.cluster.link;

import io.herald.core.message.PushMessage;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.herald.core.push.DevicePush;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Push messages for tests, every field set. */
public final class TestMessages {
    private TestMessages() {
    }

    public static PushMessage message(long id, Qos qos) {
        return new PushMessage(id, ContentType.JSON, qos, "{\"n\":1}".getBytes(StandardCharsets.UTF_8),
                "trace-" + id, 1_718_000_000_000L + id, 1_718_086_400_000L + id);
    }

    public static PushMessage qos1(long id) {
        return message(id, Qos.AT_LEAST_ONCE);
    }

    public static PushMessage qos0(long id) {
        return message(id, Qos.AT_MOST_ONCE);
    }

    /** A hand-over of one message to these ids. */
    public static List<DevicePush> pushOf(PushMessage message, List<String> clientIds) {
        return List.of(new DevicePush(message, clientIds));
    }
}
