package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.store.MessageStatuses.DeliveryStatus;
import io.herald.core.store.MessageStatuses.State;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/messages/{id}} over a real server: its bounds and its guard (the statuses are faked). */
class MessageStatusApiTest {
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aMessageToMoreDevicesThanTheListHoldsIsTruncated() {
        api.messageStatuses.set(5, IntStream.range(0, MessageStatusRoutes.MAX_DEVICES + 5)
                .mapToObj(i -> new DeliveryStatus(String.format("d-%05d", i), State.STORED, 0)).toList());

        TestApi.Reply reply = api.get("/api/v1/messages/5", TestApi.apiKey());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("devices").size()).isEqualTo(MessageStatusRoutes.MAX_DEVICES);
        assertThat(reply.json().get("truncated").asBoolean()).isTrue();
    }

    @Test
    void theApiKeyIsRequired() {
        api.messageStatuses.set(6, List.of(new DeliveryStatus("d-1", State.ACKED, 1_000)));

        TestApi.Reply reply = api.get("/api/v1/messages/6");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.errorCode()).isEqualTo("unauthorized");
    }

    @Test
    void anIdThatIsNoMessageIdIsABadRequest() {
        for (String id : List.of("9223372036854775808", "-1", "12a", "00000000000000000001")) {
            TestApi.Reply reply = api.get("/api/v1/messages/" + id, TestApi.apiKey());
            assertThat(reply.status()).as(id).isEqualTo(400);
            assertThat(reply.errorCode()).as(id).isEqualTo("invalid_request");
        }
    }
}
