package io.herald.cluster.link;

import static io.herald.cluster.link.TestMessages.qos0;
import static io.herald.cluster.link.TestMessages.qos1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.cluster.link.client.GatewayLink;
import io.herald.cluster.link.client.GatewayLinks;
import io.herald.core.message.PushMessage;
import io.herald.core.push.PushResult;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every request type between a real {@code LinkServer} and {@code GatewayLinks} on loopback. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LinkRoundTripTest {
    static final LinkSettings SETTINGS = LinkSettings.of("round-trip-cluster-secret")
            .withRequestTimeout(Duration.ofSeconds(5));

    @RegisterExtension
    static final NettyLeaks leaks = new NettyLeaks();

    private static TestGateway gateway;
    private static GatewayLinks links;
    private static GatewayLink link;

    @BeforeAll
    static void start() throws InterruptedException {
        gateway = TestGateway.start("gw-1", SETTINGS);
        gateway.endpoint().connect("device-1", "device-2");
        links = GatewayLinks.create("api-1", SETTINGS);
        link = links.link(gateway.node());
    }

    @AfterAll
    static void stop() {
        links.close();
        gateway.close();
    }

    @Test
    void pushCarriesTheWholeMessageAndTheIdsAndReturnsTheGatewaysCounts() {
        PushMessage message = qos1(41);

        PushResult result = link.push(message, List.of("device-1", "device-2", "device-3")).join();

        assertThat(result).isEqualTo(new PushResult(41, 2, 1, 0));
        RecordingEndpoint.Push received = lastPush();
        assertThat(received.message()).isEqualTo(message);
        assertThat(received.message().traceId()).isEqualTo("trace-41");
        assertThat(received.clientIds()).containsExactly("device-1", "device-2", "device-3");
    }

    @Test
    void pushStoredReachesTheEndpointsStoredPath() {
        PushMessage message = qos1(44);

        PushResult result = link.pushStored(message, List.of("device-1", "device-3")).join();

        assertThat(result).isEqualTo(new PushResult(44, 1, 1, 0));
        RecordingEndpoint.Push received = lastPush();
        assertThat(received.stored()).isTrue();
        assertThat(received.message()).isEqualTo(message);
        assertThat(received.clientIds()).containsExactly("device-1", "device-3");
        link.push(message, List.of("device-1")).join();
        assertThat(lastPush().stored()).as("a plain PUSH").isFalse();
    }

    @Test
    void pushWithoutTraceIdAndWithAnEmptyPayload() {
        PushMessage message = new PushMessage(42, ContentType.BINARY, Qos.AT_MOST_ONCE, new byte[0], null, 1, 2);

        assertThat(link.push(message, List.of("device-9")).join()).isEqualTo(new PushResult(42, 0, 0, 1));
        assertThat(lastPush().message()).isEqualTo(message);
    }

    @Test
    void broadcastReachesTheEndpointOnce() {
        int before = gateway.endpoint().broadcasts().size();

        PushResult result = link.broadcast(qos0(43)).join();

        assertThat(result).isEqualTo(new PushResult(43, gateway.endpoint().onlineCount(), 0, 0));
        assertThat(gateway.endpoint().broadcasts()).hasSize(before + 1).last().isEqualTo(qos0(43));
    }

    @Test
    void kickAnswersWhetherTheClientWasConnectedAndPassesTheReason() {
        gateway.endpoint().connect("to-kick");

        assertThat(link.kick("to-kick", "replaced by the operator").join()).isTrue();
        assertThat(link.kick("to-kick", "again").join()).isFalse();
        assertThat(gateway.endpoint().kicks()).containsEntry("to-kick", "replaced by the operator");
    }

    @Test
    void findReturnsTheFullSessionOrNothing() {
        assertThat(link.find("device-1").join()).contains(gateway.endpoint().session("device-1"));
        assertThat(link.find("nobody").join()).isEmpty();
    }

    @Test
    void onlineCountIsTheEndpoints() {
        gateway.endpoint().connect("counted");

        assertThat(link.onlineCount().join()).isEqualTo(gateway.endpoint().onlineCount());
    }

    @Test
    void storeChangedDeliversTheIds() {
        link.storeChanged(List.of("device-1", "device-7")).join();

        assertThat(gateway.endpoint().storeChanges()).contains(List.of("device-1", "device-7"));
    }

    @Test
    void anEndpointFailureFailsThatRequestOnlyAndTheLinkStaysUp() {
        TestGateway failing = null;
        try (GatewayLinks own = GatewayLinks.create("api-2", SETTINGS)) {
            failing = TestGateway.start("gw-failing", SETTINGS);
            failing.endpoint().failWith(new IllegalStateException("offline store is down"));
            GatewayLink toFailing = own.link(failing.node());

            assertThatThrownBy(() -> toFailing.onlineCount().join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(LinkRemoteException.class)
                    .hasMessageContaining("gw-failing").hasMessageContaining("offline store is down");
            assertThat(toFailing.isAuthenticated()).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            if (failing != null) {
                failing.close();
            }
        }
    }

    private static RecordingEndpoint.Push lastPush() {
        List<RecordingEndpoint.Push> pushes = gateway.endpoint().pushes();
        return pushes.get(pushes.size() - 1);
    }
}
