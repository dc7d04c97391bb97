package io.herald.cluster.link;

import static io.herald.cluster.link.TestMessages.qos1;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.link.client.GatewayLinks;
import io.herald.cluster.link.wire.HandshakeFrame;
import io.herald.cluster.link.wire.LinkError;
import io.herald.cluster.link.wire.LinkErrorCode;
import io.herald.cluster.link.wire.LinkFrame;
import io.herald.cluster.link.wire.LinkFrameType;
import io.herald.cluster.link.wire.LinkWire;
import java.nio.charset.StandardCharsets;
import io.herald.core.push.HandedOver;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bytes that are not link frames, before and after authentication: an error frame, a close, and no harm to others. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MalformedInputTest {
    private static final LinkSettings SETTINGS = LinkSettings.of("malformed-input-secret!");

    @RegisterExtension
    static final NettyLeaks leaks = new NettyLeaks();

    private static TestGateway gateway;
    private static GatewayLinks links;

    @BeforeAll
    static void start() throws InterruptedException {
        gateway = TestGateway.start("gw-1", SETTINGS);
        gateway.endpoint().connect("device-1");
        links = GatewayLinks.create("api-1", SETTINGS);
    }

    @AfterAll
    static void stop() {
        links.close();
        gateway.close();
    }

    @Test
    void textInsteadOfFramesIsRefusedAsTooLong() throws Exception {
        // "GET " read as a length is about 1.2 GB
        assertRefusedAsMalformed(false, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void anOversizedLengthIsRefusedAtOnce() throws Exception {
        assertRefusedAsMalformed(true, RawLinkClient.header(LinkSettings.DEFAULT_MAX_FRAME_LENGTH, LinkWire.VERSION,
                LinkFrameType.HAND_OVER.code()));
    }

    @Test
    void aNegativeLengthIsRefused() throws Exception {
        assertRefusedAsMalformed(true, RawLinkClient.header(-5, LinkWire.VERSION, LinkFrameType.HAND_OVER.code()));
    }

    @Test
    void anUnknownVersionIsRefused() throws Exception {
        assertRefusedAsMalformed(true, RawLinkClient.header(LinkWire.HEADER_LENGTH, 9,
                LinkFrameType.ONLINE_COUNT.code()));
    }

    @Test
    void anUnknownTypeIsRefused() throws Exception {
        assertRefusedAsMalformed(true, RawLinkClient.header(LinkWire.HEADER_LENGTH, LinkWire.VERSION, 0x3e));
    }

    @Test
    void aTruncatedBodyIsRefused() throws Exception {
        // A HAND_OVER whose body is missing entirely.
        assertRefusedAsMalformed(true, RawLinkClient.header(LinkWire.HEADER_LENGTH, LinkWire.VERSION,
                LinkFrameType.HAND_OVER.code()));
    }

    @Test
    void garbageBeforeAuthenticationIsRefusedToo() throws Exception {
        assertRefusedAsMalformed(false, RawLinkClient.header(3, LinkWire.VERSION, LinkFrameType.HAND_OVER.code()));
    }

    @Test
    void anAnswerSentToTheGatewayClosesTheLink() throws Exception {
        try (RawLinkClient client = authenticatedClient()) {
            client.send(new io.herald.cluster.link.wire.LinkResponse.Counted(5, 1));

            assertThat(((LinkError) client.read()).code()).isEqualTo(LinkErrorCode.UNEXPECTED_FRAME);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    private void assertRefusedAsMalformed(boolean authenticateFirst, byte[] garbage) throws Exception {
        try (RawLinkClient client = authenticateFirst ? authenticatedClient() : new RawLinkClient(gateway.port())) {
            if (!authenticateFirst) {
                assertThat(client.read()).isInstanceOf(HandshakeFrame.Challenge.class);
            }
            client.sendBytes(garbage);

            LinkFrame answer = client.read();
            assertThat(answer).isInstanceOf(LinkError.class);
            assertThat(((LinkError) answer).code()).isEqualTo(LinkErrorCode.MALFORMED_FRAME);
            assertThat(((LinkError) answer).isAboutConnection()).isTrue();
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(links.link(gateway.node()).handOver(TestMessages.pushOf(qos1(7), List.of("device-1"))).join())
                .as("the gateway keeps serving well-behaved links")
                .containsExactly(new HandedOver(1, List.of()));
    }

    private static RawLinkClient authenticatedClient() throws Exception {
        RawLinkClient client = new RawLinkClient(gateway.port());
        HandshakeFrame.Challenge challenge = (HandshakeFrame.Challenge) client.read();
        client.send(new HandshakeFrame.Auth("api-raw", SETTINGS.secret().answer(challenge.nonce(), "api-raw")));
        assertThat(client.read()).isEqualTo(HandshakeFrame.AuthOk.INSTANCE);
        return client;
    }
}
