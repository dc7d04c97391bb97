package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.message.UpstreamMessage;
import io.herald.protocol.ContentType;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Message ids are unsigned 64-bit numbers: answers print them as such, never as a negative number. (Push answers
 * format theirs the same way; the ids the server generates use 63 bits, so no push id has the top bit set.)
 */
class UnsignedMessageIdsApiTest {
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
    void anUpstreamIdWithTheTopBitSetIsListedUnsigned() {
        api.register("unsigned-1", "secret-123");
        long generation = api.deviceStore.find("unsigned-1").orElseThrow().generation();
        api.archive.append(List.of(
                new UpstreamMessage("unsigned-1", generation, -1L, ContentType.TEXT, new byte[] {'a'}, null, 1, 2),
                new UpstreamMessage("unsigned-1", generation, Long.MIN_VALUE, ContentType.TEXT, new byte[] {'b'}, null, 3, 4)));

        TestApi.Reply reply = api.get("/api/v1/devices/unsigned-1/messages", TestApi.apiKey());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("messages").findValuesAsText("messageId"))
                .containsExactly("9223372036854775808", "18446744073709551615");
    }
}
