package io.herald.gateway;

import static io.herald.gateway.EmbeddedGateway.awaitFrame;
import static io.herald.gateway.EmbeddedGateway.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.device.Device;
import io.herald.core.message.PushMessage;
import io.herald.core.message.UpstreamMessage;
import io.herald.core.push.PushTargets;
import io.herald.protocol.AckStatus;
import io.herald.protocol.ContentType;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Qos;
import io.herald.protocol.codec.FrameCodec;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.MessageFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A device can never act as another client id. No frame a device sends carries a client id (docs/protocol.md:
 * AUTH carries a token, the server takes the id from it; only the server's AUTH_OK names the id); the id is the
 * authenticated one, and what a device A sends never touches device B: its upstream messages are archived under A,
 * its ACKs cannot settle B's messages, and a second AUTH with B's token, or an AUTH_OK naming B, is refused
 * without changing B's session.
 */
class ClientIdentityTest {
    private static final String A = "device-a";
    private static final String B = "device-b";

    private final EmbeddedGateway gateway = new EmbeddedGateway();

    @AfterEach
    void close() {
        gateway.close();
    }

    private PushMessage pushTo(String clientId, String text) {
        long now = System.currentTimeMillis();
        PushMessage message = new PushMessage(now, ContentType.TEXT, Qos.AT_LEAST_ONCE,
                text.getBytes(StandardCharsets.UTF_8), "trace-" + now, now, now + 60_000);
        gateway.core.pushService().push(message, PushTargets.devices(List.of(clientId))).join();
        return message;
    }

    private List<Long> pendingFor(String clientId) {
        return gateway.offline.pending(clientId, System.currentTimeMillis(), 100).stream()
                .map(PushMessage::messageId).toList();
    }

    @Test
    void upstreamMessagesAreArchivedUnderTheAuthenticatedIdOnly() {
        gateway.devices.insert(new Device(B, "hash", Instant.now(), 0));
        EmbeddedChannel a = gateway.online(A);

        send(a, new MessageFrame(1, ContentType.TEXT, Qos.AT_LEAST_ONCE, false, null, 0,
                ("I am " + B).getBytes(StandardCharsets.UTF_8)));

        assertThat(awaitFrame(a, AckFrame.class).status()).isEqualTo(AckStatus.OK);
        assertThat(gateway.archive.all()).extracting(UpstreamMessage::clientId).containsExactly(A);
        assertThat(gateway.archive.latest(B, 0, 10)).isEmpty();
    }

    @Test
    void anAckForAMessageStoredForAnotherDeviceLeavesItPending() {
        gateway.devices.insert(new Device(B, "hash", Instant.now(), 0));
        PushMessage forB = pushTo(B, "stored for b");
        assertThat(pendingFor(B)).containsExactly(forB.messageId());
        EmbeddedChannel a = gateway.online(A);

        send(a, AckFrame.ok(forB.messageId()));

        // not an error (a late ACK is harmless), and nothing changes for B
        assertThat(a.isActive()).isTrue();
        assertThat(pendingFor(B)).containsExactly(forB.messageId());
        assertThat(pendingFor(A)).isEmpty();
    }

    @Test
    void anAckForAMessageInFlightToAnotherDeviceDoesNotSettleIt() {
        gateway.devices.insert(new Device(B, "hash", Instant.now(), 0));
        EmbeddedChannel b = gateway.online(B);
        PushMessage forB = pushTo(B, "in flight to b");
        assertThat(awaitFrame(b, MessageFrame.class).messageId()).isEqualTo(forB.messageId());
        EmbeddedChannel a = gateway.online(A);

        send(a, AckFrame.ok(forB.messageId()));

        // B's delivery is still unacknowledged: it is sent again, marked as a duplicate
        b.advanceTimeBy(1_100, TimeUnit.MILLISECONDS);
        b.runScheduledPendingTasks();
        MessageFrame again = awaitFrame(b, MessageFrame.class);
        assertThat(again.messageId()).isEqualTo(forB.messageId());
        assertThat(again.duplicate()).isTrue();
        // and is kept for B when its connection ends
        b.close();
        gateway.core.registry().awaitHandOff(B).join();
        assertThat(pendingFor(B)).containsExactly(forB.messageId());
    }

    @Test
    void aSecondAuthWithAnotherDevicesTokenIsRefusedAndThatDeviceKeepsItsSession() {
        EmbeddedChannel b = gateway.online(B);
        String sessionOfB = gateway.core.sessions().find(B).orElseThrow().sessionId();
        EmbeddedChannel a = gateway.online(A);

        send(a, new AuthFrame(gateway.tokenFor(B)));

        assertThat(awaitFrame(a, ErrorFrame.class).code()).isEqualTo(ErrorCode.ALREADY_AUTHENTICATED);
        assertThat(a.isActive()).isFalse();
        assertThat(b.isActive()).isTrue();
        assertThat(gateway.core.registry().find(B)).isSameAs(b);
        assertThat(gateway.core.sessions().find(B).orElseThrow().sessionId()).isEqualTo(sessionOfB);
        PushMessage forB = pushTo(B, "still b's");
        assertThat(awaitFrame(b, MessageFrame.class).messageId()).isEqualTo(forB.messageId());
    }

    @Test
    void anAuthWithAnotherDevicesTokenWhileTheFirstIsCheckedBindsNeither() {
        EmbeddedChannel b = gateway.online(B);
        EmbeddedChannel a = gateway.connect();
        ByteBuf both = Unpooled.buffer();
        FrameCodec.encode(new AuthFrame(gateway.tokenFor(A)), both);
        FrameCodec.encode(new AuthFrame(gateway.tokenFor(B)), both);

        a.writeInbound(both);

        assertThat(awaitFrame(a, ErrorFrame.class).code()).isEqualTo(ErrorCode.AUTH_REQUIRED);
        assertThat(a.isActive()).isFalse();
        assertThat(gateway.core.registry().find(A)).isNull();
        assertThat(gateway.core.registry().find(B)).isSameAs(b);
        assertThat(b.isActive()).isTrue();
    }

    @Test
    void anAuthOkFrameNamingAnotherDeviceIsRefused() {
        EmbeddedChannel b = gateway.online(B);
        EmbeddedChannel a = gateway.online(A);

        send(a, new AuthOkFrame(30_000, B, "forged-session"));

        assertThat(awaitFrame(a, ErrorFrame.class).code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
        assertThat(gateway.core.registry().find(B)).isSameAs(b);
        assertThat(gateway.core.sessions().find(B).orElseThrow().sessionId()).isNotEqualTo("forged-session");
    }
}
