package io.herald.server;

import static io.herald.server.StandaloneFixture.json;
import static io.herald.server.StandaloneFixture.nextMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.testing.SocketFrames;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A QoS 1 push to a connected device is in the database (H2, through the real JDBC store) as soon as the push is
 * accepted, so a gateway killed before the device acks loses nothing; the ACK deletes it. The device is a raw
 * socket that acks only when the test says so. The store is read through the API's {@code pendingMessages}.
 */
class StoredBeforeDeliveryTest extends StandaloneNodeTest {

    @Test
    void aPushToAConnectedDeviceIsStoredUntilItsAck() throws Exception {
        try (Socket device = herald.authenticatedSocket("raw-1")) {

            JsonNode accepted = json(herald.push("{\"to\":\"raw-1\",\"payload\":\"keep me\",\"qos\":1}"));
            assertThat(pending("raw-1")).as("stored when the push was accepted").isEqualTo(1);
            assertThat(accepted.get("online").asInt()).as(accepted.toString()).isEqualTo(1);
            assertThat(accepted.get("stored").asInt()).as("counted online, not stored").isZero();

            MessageFrame message = nextMessage(device);
            assertThat(message.messageId()).isEqualTo(accepted.get("messageId").asLong());
            assertThat(message.duplicate()).isFalse();
            assertThat(pending("raw-1")).as("still stored while unacked").isEqualTo(1);

            SocketFrames.write(device, AckFrame.ok(message.messageId()));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> pending("raw-1") == 0);
        }
    }

    @Test
    void aQos0PushToAConnectedDeviceIsNotStored() throws Exception {
        try (Socket device = herald.authenticatedSocket("raw-0")) {

            JsonNode accepted = json(herald.push("{\"to\":\"raw-0\",\"payload\":\"once\",\"qos\":0}"));

            assertThat(nextMessage(device).messageId()).isEqualTo(accepted.get("messageId").asLong());
            assertThat(pending("raw-0")).isZero();
        }
    }



    private int pending(String clientId) throws Exception {
        return json(herald.get("/api/v1/devices/" + clientId)).get("pendingMessages").asInt();
    }
}
