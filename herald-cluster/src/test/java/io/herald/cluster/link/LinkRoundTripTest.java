package io.herald.cluster.link;

import static io.herald.cluster.link.TestMessages.qos0;
import static io.herald.cluster.link.TestMessages.qos1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.cluster.link.client.GatewayLink;
import io.herald.cluster.link.client.GatewayLinks;
import io.herald.core.message.PushMessage;
import io.herald.core.push.DevicePush;
import io.herald.core.push.HandedOver;
import io.herald.core.push.PushResult;
import io.herald.cluster.link.wire.LinkRequest;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
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
    void aHandOverCarriesEachWholeMessageWithItsIdsAndReturnsWhoWasConnected() {
        PushMessage first = qos1(41);
        PushMessage second = qos0(44);

        List<HandedOver> answers = link.handOver(List.of(
                new DevicePush(first, List.of("device-1", "device-2", "device-3")),
                new DevicePush(second, List.of("device-3", "device-1")))).join();

        assertThat(answers).containsExactly(new HandedOver(2, List.of("device-3")),
                new HandedOver(1, List.of("device-3")));
        List<DevicePush> received = gateway.endpoint().handOvers().get(gateway.endpoint().handOvers().size() - 1);
        assertThat(received).hasSize(2);
        assertThat(received.get(0).message()).isEqualTo(first);
        assertThat(received.get(0).message().traceId()).isEqualTo("trace-41");
        assertThat(received.get(0).clientIds()).containsExactly("device-1", "device-2", "device-3");
        assertThat(received.get(1).message()).isEqualTo(second);
        assertThat(received.get(1).clientIds()).containsExactly("device-3", "device-1");
    }

    @Test
    void aLongHandOverGoesInSeveralFramesAndIsAnsweredInOrder() {
        List<DevicePush> pushes = IntStream.range(0, LinkRequest.HandOver.MAX_PUSHES_PER_FRAME * 2 + 5)
                .mapToObj(i -> new DevicePush(qos1(10_000 + i), List.of(i % 2 == 0 ? "device-1" : "device-9")))
                .toList();
        int before = gateway.endpoint().handOvers().size();

        List<HandedOver> answers = link.handOver(pushes).join();

        assertThat(gateway.endpoint().handOvers()).hasSize(before + 3);
        assertThat(gateway.endpoint().pushes().subList(gateway.endpoint().pushes().size() - pushes.size(),
                gateway.endpoint().pushes().size())).isEqualTo(pushes);
        assertThat(answers).hasSize(pushes.size());
        for (int i = 0; i < answers.size(); i++) {
            assertThat(answers.get(i)).isEqualTo(i % 2 == 0 ? new HandedOver(1, List.of())
                    : new HandedOver(0, List.of("device-9")));
        }
    }

    @Test
    void aHandOverWithoutTraceIdAndWithAnEmptyPayload() {
        PushMessage message = new PushMessage(42, ContentType.BINARY, Qos.AT_MOST_ONCE, new byte[0], null, 1, 2);

        assertThat(link.handOver(TestMessages.pushOf(message, List.of("device-9"))).join())
                .containsExactly(new HandedOver(0, List.of("device-9")));
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

    private static DevicePush lastPush() {
        List<DevicePush> pushes = gateway.endpoint().pushes();
        return pushes.get(pushes.size() - 1);
    }
}
