package io.herald.gateway;

import static io.herald.gateway.EmbeddedGateway.awaitFrame;
import static io.herald.gateway.EmbeddedGateway.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.device.DeviceIdentity;
import io.herald.core.message.UpstreamMessage;
import io.herald.protocol.AckStatus;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.MessageFrame;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpstreamTest {
    private final EmbeddedGateway gateway = new EmbeddedGateway();

    @AfterEach
    void close() {
        gateway.close();
    }

    private EmbeddedChannel online(String clientId) {
        EmbeddedChannel channel = gateway.connect();
        send(channel, new AuthFrame(gateway.tokenFor(clientId)));
        awaitFrame(channel, AuthOkFrame.class);
        return channel;
    }

    private static MessageFrame up(long id, ContentType type, String payload) {
        return new MessageFrame(id, type, Qos.AT_LEAST_ONCE, false, "t-" + id, 123L,
                payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void messageIsArchivedUnderTheAuthenticatedIdThenAcked() {
        EmbeddedChannel channel = online("dev-a");

        send(channel, up(7, ContentType.JSON, "{\"t\":21.5}"));

        AckFrame ack = awaitFrame(channel, AckFrame.class);
        assertThat(ack.messageId()).isEqualTo(7);
        assertThat(ack.status()).isEqualTo(AckStatus.OK);
        assertThat(gateway.archive.all()).singleElement().satisfies(m -> {
            assertThat(m.clientId()).isEqualTo("dev-a");
            assertThat(m.contentType()).isEqualTo(ContentType.JSON);
            assertThat(m.traceId()).isEqualTo("t-7");
            assertThat(m.sentAt()).isEqualTo(123L);
        });
    }

    @Test
    void malformedJsonIsRejectedAndNotArchived() {
        EmbeddedChannel channel = online("dev-a");

        send(channel, up(8, ContentType.JSON, "{\"t\":"));

        AckFrame ack = awaitFrame(channel, AckFrame.class);
        assertThat(ack.status()).isEqualTo(AckStatus.REJECTED);
        assertThat(ack.reason()).contains("malformed");
        assertThat(gateway.archive.all()).isEmpty();
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void jsonBytesTheParserTakesForBrokenUtf32AreRejectedNotRetried() {
        EmbeddedChannel channel = online("dev-a");

        // Three zero bytes first make Jackson read UTF-32BE; 0x7FFFFFFF is no code point (CharConversionException,
        // which used to escape as a plain IOException and answer RETRY for ever).
        send(channel, new MessageFrame(10, ContentType.JSON, Qos.AT_LEAST_ONCE, false, null, 0,
                new byte[] {0, 0, 0, '[', 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));

        AckFrame ack = awaitFrame(channel, AckFrame.class);
        assertThat(ack.status()).isEqualTo(AckStatus.REJECTED);
        assertThat(gateway.archive.all()).isEmpty();
    }

    @Test
    void invalidUtf8TextIsRejected() {
        EmbeddedChannel channel = online("dev-a");

        send(channel, new MessageFrame(9, ContentType.TEXT, Qos.AT_LEAST_ONCE, false, null, 0,
                new byte[] {(byte) 0xC3, (byte) 0x28}));

        assertThat(awaitFrame(channel, AckFrame.class).status()).isEqualTo(AckStatus.REJECTED);
    }

    @Test
    void resentMessageIsAckedAgainButStoredOnce() {
        EmbeddedChannel channel = online("dev-a");

        send(channel, up(10, ContentType.TEXT, "hi"));
        awaitFrame(channel, AckFrame.class);
        send(channel, up(10, ContentType.TEXT, "hi").asDuplicate());

        assertThat(awaitFrame(channel, AckFrame.class).status()).isEqualTo(AckStatus.OK);
        assertThat(gateway.archive.all()).extracting(UpstreamMessage::messageId).containsExactly(10L);
    }

    @Test
    void binaryTypesAreArchivedAsIs() {
        EmbeddedChannel channel = online("cam");
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1, 2};

        send(channel, new MessageFrame(11, ContentType.IMAGE, Qos.AT_LEAST_ONCE, false, null, 0, jpeg));

        assertThat(awaitFrame(channel, AckFrame.class).status()).isEqualTo(AckStatus.OK);
        assertThat(gateway.archive.latest("cam", 0, 1)).singleElement()
                .satisfies(m -> assertThat(m.payload()).containsExactly(jpeg));
    }

    @Test
    void messagesAreArchivedUnderTheRegistrationGenerationOfTheToken() {
        EmbeddedChannel channel = gateway.connect();
        send(channel, new AuthFrame(gateway.tokens.issue(new DeviceIdentity("gen-dev", -77),
                Duration.ofMinutes(1)).value()));
        awaitFrame(channel, AuthOkFrame.class);

        send(channel, up(12, ContentType.TEXT, "mine"));

        assertThat(awaitFrame(channel, AckFrame.class).status()).isEqualTo(AckStatus.OK);
        assertThat(gateway.archive.latest("gen-dev", -77, 10)).extracting(UpstreamMessage::messageId)
                .containsExactly(12L);
        assertThat(gateway.archive.latest("gen-dev", 0, 10)).as("not under another registration").isEmpty();
    }
}
