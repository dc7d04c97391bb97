package io.herald.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.tls.TlsKeyMaterial;
import io.herald.gateway.pipeline.HandlerNames;
import io.herald.gateway.tls.DeviceTls;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's TLS stage without sockets: where it sits in both device pipelines, and what a connection that never
 * completes a handshake gets (closed and counted, with nothing passed on as an error).
 */
class TlsPipelineTest {
    private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(3);
    private static DeviceTls tls;

    private final EmbeddedGateway gateway = new EmbeddedGateway(GatewaySettings.defaults("gw-tls")
            .withTimings(AUTH_TIMEOUT, Duration.ofSeconds(30), Duration.ofSeconds(1)), tls);

    @BeforeAll
    static void certificate() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.builder().fqdn("localhost").build();
        tls = DeviceTls.of(new TlsKeyMaterial(certificate.key(), List.of(certificate.cert())));
        certificate.delete();
    }

    @AfterEach
    void close() {
        gateway.close();
    }

    @Test
    void tlsComesFirstThenTheTransportsOwnStages() {
        EmbeddedChannel tcp = gateway.connect();
        EmbeddedChannel ws = new EmbeddedChannel(gateway.core.webSocketInitializer());

        assertThat(tcp.pipeline().names()).startsWith(HandlerNames.TLS, HandlerNames.TLS_HANDSHAKE)
                .contains(HandlerNames.FRAME_DECODER, HandlerNames.DEVICE).doesNotContain(HandlerNames.HTTP_CODEC);
        assertThat(ws.pipeline().names()).startsWith(HandlerNames.TLS, HandlerNames.TLS_HANDSHAKE,
                HandlerNames.HTTP_CODEC).contains(HandlerNames.DEVICE);
        assertThat(gateway.core.tls()).isTrue();
        ws.finishAndReleaseAll();
    }

    @Test
    void plainTextIsRefusedCountedAndClosedWithoutAnError() {
        EmbeddedChannel channel = gateway.connect();

        channel.writeInbound(Unpooled.copiedBuffer("HRLD not a TLS record\r\n", StandardCharsets.US_ASCII));
        channel.runPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(failures("rejected")).isEqualTo(1.0);
        channel.checkException(); // nothing reached the end of the pipeline as an error
    }

    @Test
    void aHandshakeThatDoesNotFinishWithinTheAuthTimeoutIsClosedAndCounted() {
        EmbeddedChannel channel = gateway.connect();

        channel.advanceTimeBy(AUTH_TIMEOUT.toMillis() + 100, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(failures("timeout")).isEqualTo(1.0);
    }

    private double failures(String reason) {
        return gateway.meters.get("herald.tls.handshake.failures").tag("reason", reason).counter().count();
    }
}
