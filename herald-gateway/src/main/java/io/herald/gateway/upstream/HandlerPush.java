package io.herald.gateway.upstream;

import io.herald.core.message.MessageIdGenerator;
import io.herald.core.message.PushMessage;
import io.herald.core.push.PushResult;
import io.herald.core.push.PushService;
import io.herald.core.push.PushTargets;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.herald.spi.DownstreamPush;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Pushes for upstream handlers through the node's push service, with ids from the node's one generator (the API's
 * too: two generators of one node number would hand out the same id within a millisecond).
 */
public final class HandlerPush implements DownstreamPush {
    private final PushService pushService;
    private final MessageIdGenerator ids;
    private final Clock clock;

    public HandlerPush(PushService pushService, MessageIdGenerator ids, Clock clock) {
        this.pushService = pushService;
        this.ids = ids;
        this.clock = clock;
    }

    @Override
    public CompletionStage<PushResult> push(String clientId, ContentType contentType, byte[] payload, Duration ttl,
                                            String traceId) {
        long now = clock.millis();
        PushMessage message = new PushMessage(ids.next(), contentType, Qos.AT_LEAST_ONCE, payload.clone(), traceId, now,
                now + ttl.toMillis());
        return pushService.push(message, PushTargets.devices(List.of(clientId)));
    }
}
