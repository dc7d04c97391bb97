package io.herald.gateway.upstream.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.memory.InMemoryUpstreamArchive;
import io.herald.core.message.UpstreamMessage;
import io.herald.core.push.PushResult;
import io.herald.gateway.upstream.GatewayHandlerContext;
import io.herald.protocol.ContentType;
import io.herald.spi.DownstreamPush;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The chat relay's switch and settings, and what it pushes (end to end through a real node: herald-server's
 * ChatRelayTest).
 */
class ChatRelayHandlerTest {
    private final List<String> pushes = new ArrayList<>();
    private final List<Duration> ttls = new ArrayList<>();
    /** Records each push and answers as the push service does for one registered, offline device. */
    private final DownstreamPush downstream = (clientId, type, payload, ttl, traceId) -> {
        pushes.add(clientId + " " + type.label() + " " + new String(payload, StandardCharsets.UTF_8) + " " + traceId);
        ttls.add(ttl);
        return CompletableFuture.completedFuture(new PushResult(1, 0, 1, 0, List.of(), 0));
    };

    @Test
    void offByDefaultItTakesNoMessages() {
        ChatRelayHandler relay = initialised(Map.of(), downstream);

        assertThat(relay.contentTypes()).isEmpty();
    }

    @Test
    void switchedOnItRelaysChatMessagesWithTheSendersIdAndTrace() {
        ChatRelayHandler relay = initialised(Map.of("chat-relay", "on", "chat-relay.ttl", "30m"), downstream);

        assertThat(relay.contentTypes()).containsExactly(ContentType.JSON);
        relay.handle(message("{\"type\":\"chat\",\"to\":\"bob\",\"text\":\"hi \\\"you\\\"\"}")).toCompletableFuture()
                .join();

        assertThat(pushes).containsExactly(
                "bob json {\"type\":\"chat\",\"from\":\"alice\",\"text\":\"hi \\\"you\\\"\",\"sentAt\":1700000000000} t-1");
        assertThat(ttls).containsExactly(Duration.ofMinutes(30));
    }

    @Test
    void withoutAPushingNodeItRefusesToStart() {
        assertThatThrownBy(() -> initialised(Map.of("chat-relay", "on"), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("standalone");
    }

    @Test
    void badSettingsAreRefusedByName() {
        assertThatThrownBy(() -> initialised(Map.of("chat-relay", "yes"), downstream))
                .hasMessageContaining("--handler-setting chat-relay=yes: write on or off");
        assertThatThrownBy(() -> initialised(Map.of("chat-relay", "on", "chat-relay.ttl", "0s"), downstream))
                .hasMessageContaining("chat-relay.ttl=0s");
        assertThatThrownBy(() -> initialised(Map.of("chat-relay", "on", "chat-relay.ttl", "soon"), downstream))
                .hasMessageContaining("chat-relay.ttl=soon");
    }

    private static ChatRelayHandler initialised(Map<String, String> settings, DownstreamPush downstream) {
        ChatRelayHandler relay = new ChatRelayHandler();
        relay.init(new GatewayHandlerContext(new InMemoryUpstreamArchive(), new SimpleMeterRegistry(), settings,
                downstream));
        return relay;
    }

    private static UpstreamMessage message(String json) {
        return new UpstreamMessage("alice", 1, 42, ContentType.JSON, json.getBytes(StandardCharsets.UTF_8), "t-1",
                1_700_000_000_000L, 1_700_000_000_100L);
    }
}
