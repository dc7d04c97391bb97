package io.herald.cluster.push;

import static io.herald.cluster.link.TestMessages.qos0;
import static io.herald.cluster.link.TestMessages.qos1;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.link.NettyLeaks;
import io.herald.cluster.link.TestGateway;
import io.herald.cluster.redis.RedisSessionRegistry.Registration;
import io.herald.core.message.PushMessage;
import io.herald.core.push.DevicePush;
import io.herald.core.push.PushResult;
import io.herald.core.push.PushService;
import io.herald.core.push.PushTargets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Routing pushes from an API node: real Redis, two real link servers, in-memory stores. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClusterPushServiceTest {
    private static final long NOW = 1_718_000_000_000L;

    @RegisterExtension
    static final NettyLeaks leaks = new NettyLeaks();
    @RegisterExtension
    static final PushCluster cluster = new PushCluster();

    private ObservedStores stores;
    private PushService service;

    @BeforeEach
    void newService() {
        stores = new ObservedStores(cluster);
        service = ClusterPushService.create(cluster.membership()::get, cluster.registry(), cluster.links(),
                stores.devices(), stores.offlineStore(), cluster.blocking());
    }

    @Test
    void eachGatewayGetsOneBatchWithItsDevicesListedOnce() {
        cluster.connect(cluster.gw1(), "d1", "d2", "d3");
        cluster.connect(cluster.gw2(), "d4", "d5");

        PushResult result = push(qos1(1), "d1", "d4", "d2", "d5", "d3", "d1", "d4");

        assertThat(result).isEqualTo(new PushResult(1, 5, 0, 0).withUnknown(List.of()));
        assertThat(cluster.gw1().endpoint().pushes()).singleElement()
                .satisfies(batch -> assertThat(batch.clientIds()).containsExactly("d1", "d2", "d3"))
                .satisfies(batch -> assertThat(batch.message()).isEqualTo(qos1(1)));
        assertThat(cluster.gw2().endpoint().pushes()).singleElement()
                .satisfies(batch -> assertThat(batch.clientIds()).containsExactly("d4", "d5"));
        for (String clientId : List.of("d1", "d2", "d3", "d4", "d5")) {
            assertThat(stored(clientId)).as("stored before the hand-over, until acked").containsExactly(qos1(1));
        }
        assertThat(stores.threads()).isNotEmpty().allMatch(name -> name.startsWith(PushCluster.BLOCKING_THREAD_PREFIX));
    }

    @Test
    void aQos0MessageGoesAsAPlainPushAndIsNotStored() {
        cluster.connect(cluster.gw1(), "d1");

        assertThat(push(qos0(11), "d1")).isEqualTo(new PushResult(11, 1, 0, 0));

        assertThat(cluster.gw1().endpoint().pushes()).singleElement()
                .satisfies(batch -> assertThat(batch.message()).isEqualTo(qos0(11)));
        assertThat(stored("d1")).isEmpty();
        assertThat(stores.threads()).isEmpty();
    }

    @Test
    void offlineTargetsOfAQos1MessageAreStoredIfRegisteredAndDroppedIfNot() {
        cluster.connect(cluster.gw1(), "d1");
        cluster.register("off-1", "off-2");

        PushResult result = push(qos1(2), "d1", "off-1", "ghost", "off-2");

        assertThat(result).isEqualTo(new PushResult(2, 1, 2, 1).withUnknown(List.of("ghost")));
        assertThat(stored("off-1")).containsExactly(qos1(2));
        assertThat(stored("off-2")).containsExactly(qos1(2));
        assertThat(stored("ghost")).isEmpty();
        assertThat(stored("d1")).as("online, and stored until it acks").containsExactly(qos1(2));
        assertThat(stores.threads()).isNotEmpty().allMatch(name -> name.startsWith(PushCluster.BLOCKING_THREAD_PREFIX));
    }

    @Test
    void offlineTargetsOfAQos0MessageAreDroppedAndNothingIsStored() {
        cluster.connect(cluster.gw1(), "d1");
        cluster.register("off-1");

        PushResult result = push(qos0(3), "d1", "off-1", "ghost");

        assertThat(result).as("QoS 0 looks no id up").isEqualTo(new PushResult(3, 1, 0, 2));
        assertThat(result.unknown()).isNull();
        assertThat(stored("off-1")).isEmpty();
        assertThat(stores.threads()).isEmpty();
    }

    @Test
    void aSessionOnAGatewayThatLeftTheMembershipCountsAsOffline() {
        cluster.register("stranded");
        cluster.locate("stranded", "gw-departed");
        cluster.connect(cluster.gw2(), "d4");
        cluster.live(cluster.gw1().node());

        PushResult result = push(qos1(4), "stranded", "d4");

        assertThat(result).as("gw-2 has left too").isEqualTo(new PushResult(4, 0, 2, 0).withUnknown(List.of()));
        assertThat(stored("stranded")).containsExactly(qos1(4));
        assertThat(cluster.gw1().endpoint().pushes()).isEmpty();
        assertThat(cluster.gw2().endpoint().pushes()).isEmpty();
    }

    @Test
    void theDevicesOfAnUnreachableGatewayAreStored() {
        cluster.connect(cluster.gw1(), "d1");
        cluster.connect(cluster.gw2(), "d4", "d5");
        cluster.gw2().stop();

        PushResult result = push(qos1(5), "d1", "d4", "d5");

        assertThat(result).isEqualTo(new PushResult(5, 1, 2, 0).withUnknown(List.of()));
        assertThat(stored("d4")).containsExactly(qos1(5));
        assertThat(stored("d5")).containsExactly(qos1(5));
    }

    @Test
    void theDevicesOfAGatewayThatDoesNotAnswerInTimeAreStored() {
        cluster.connect(cluster.gw1(), "d1");
        cluster.connect(cluster.gw2(), "d4");
        cluster.gw2().endpoint().hang();

        PushResult result = push(qos1(6), "d1", "d4");

        assertThat(result).isEqualTo(new PushResult(6, 1, 1, 0).withUnknown(List.of()));
        assertThat(stored("d4")).containsExactly(qos1(6));
    }

    @Test
    void aDeviceThatConnectsWhileItsMessageIsStoredIsToldToReadTheStore() {
        cluster.register("racer");
        stores.duringExisting(() -> cluster.locate("racer", "gw-2"));

        PushResult result = push(qos1(7), "racer");

        assertThat(result).isEqualTo(new PushResult(7, 0, 1, 0).withUnknown(List.of()));
        assertThat(stored("racer")).containsExactly(qos1(7));
        assertThat(cluster.gw2().endpoint().storeChanges()).containsExactly(List.of("racer"));
        assertThat(cluster.gw1().endpoint().storeChanges()).isEmpty();
    }

    @Test
    void aDeviceThatMovedToAnotherGatewayWhileTheFirstStoredItsMessageIsToldToo() {
        cluster.register("mover");
        cluster.locate("mover", "gw-1"); // gw-1's endpoint no longer has it connected: it stores the message
        cluster.gw1().endpoint().onPush(batch -> cluster.locate("mover", "gw-2"));

        PushResult result = push(qos1(8), "mover");

        assertThat(result).isEqualTo(new PushResult(8, 0, 1, 0).withUnknown(List.of()));
        assertThat(cluster.gw2().endpoint().storeChanges()).containsExactly(List.of("mover"));
        assertThat(cluster.gw1().endpoint().storeChanges()).as("gw-1 does not hold it").isEmpty();
    }

    @Test
    void nobodyIsToldWhenNoTargetConnectedMeanwhile() {
        cluster.connect(cluster.gw1(), "d1");
        cluster.register("off-1");

        push(qos1(9), "d1", "off-1");

        assertThat(cluster.gw1().endpoint().storeChanges()).isEmpty();
        assertThat(cluster.gw2().endpoint().storeChanges()).isEmpty();
    }

    @Test
    void aBatchIsOneLookupOneStoreGroupAndOneHandOverPerGatewayInMessageOrder() {
        cluster.connect(cluster.gw1(), "d1", "d2");
        cluster.connect(cluster.gw2(), "d4");
        cluster.register("off-1");

        List<PushResult> results = service.pushAll(List.of(
                new DevicePush(qos1(20), List.of("d1", "d4")),
                new DevicePush(qos0(21), List.of("d2", "off-1")),
                new DevicePush(qos1(22), List.of("d1", "off-1", "ghost")),
                new DevicePush(qos1(23), List.of("d4", "d1")))).stream().map(CompletableFuture::join).toList();

        assertThat(results).containsExactly(
                new PushResult(20, 2, 0, 0).withUnknown(List.of()),
                new PushResult(21, 1, 0, 1),
                new PushResult(22, 1, 1, 1).withUnknown(List.of("ghost")),
                new PushResult(23, 2, 0, 0).withUnknown(List.of()));
        assertThat(cluster.gw1().endpoint().handOvers()).singleElement().satisfies(handOver -> assertThat(handOver)
                .containsExactly(new DevicePush(qos1(20), List.of("d1")), new DevicePush(qos0(21), List.of("d2")),
                        new DevicePush(qos1(22), List.of("d1")), new DevicePush(qos1(23), List.of("d1"))));
        assertThat(cluster.gw2().endpoint().handOvers()).singleElement().satisfies(handOver -> assertThat(handOver)
                .containsExactly(new DevicePush(qos1(20), List.of("d4")), new DevicePush(qos1(23), List.of("d4"))));
        assertThat(stored("d1")).containsExactly(qos1(20), qos1(22), qos1(23));
        assertThat(stored("off-1")).as("QoS 0 is not stored").containsExactly(qos1(22));
        assertThat(stores.existingCalls()).as("one device-store query for the batch").isEqualTo(1);
    }

    @Test
    void aBroadcastReachesEveryLiveGatewayOnce() {
        cluster.connect(cluster.gw1(), "d1", "d2", "d3");
        cluster.connect(cluster.gw2(), "d4", "d5");

        PushResult result = service.push(qos0(10), PushTargets.broadcast()).join();

        assertThat(result).isEqualTo(new PushResult(10, 5, 0, 0));
        assertThat(cluster.gw1().endpoint().broadcasts()).containsExactly(qos0(10));
        assertThat(cluster.gw2().endpoint().broadcasts()).containsExactly(qos0(10));
    }

    @Test
    void aBroadcastCountsOnlyTheGatewaysItReached() {
        cluster.connect(cluster.gw1(), "d1", "d2");
        cluster.connect(cluster.gw2(), "d4");
        cluster.gw2().stop();

        assertThat(service.push(qos1(11), PushTargets.broadcast()).join()).isEqualTo(new PushResult(11, 2, 0, 0));
    }

    @Test
    void anEmptyListReachesNobody() {
        assertThat(push(qos1(12))).isEqualTo(new PushResult(12, 0, 0, 0).withUnknown(List.of()));
        assertThat(cluster.gw1().endpoint().pushes()).isEmpty();
    }

    @Test
    void targetsLookedUpInSeveralRedisSlicesStillMakeOneBatchPerGateway() {
        // More ids than one MGET slice holds; every tenth connected, alternating between the gateways.
        List<String> ids = IntStream.range(0, 1_200).mapToObj(i -> "device-" + i).toList();
        List<Registration> connected = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            cluster.register(id);
            if (i % 10 == 0) {
                TestGateway gateway = i % 20 == 0 ? cluster.gw1() : cluster.gw2();
                gateway.endpoint().connect(id);
                connected.add(new Registration(id, gateway.node().id(), "conn-" + id));
            }
        }
        cluster.registry().registerAll(connected).join();

        PushResult result = push(qos1(13), ids.toArray(String[]::new));

        assertThat(result).isEqualTo(new PushResult(13, 120, 1_080, 0).withUnknown(List.of()));
        assertThat(cluster.gw1().endpoint().pushes()).singleElement()
                .satisfies(batch -> assertThat(batch.clientIds()).hasSize(60).contains("device-0", "device-1180"));
        assertThat(cluster.gw2().endpoint().pushes()).singleElement()
                .satisfies(batch -> assertThat(batch.clientIds()).hasSize(60).contains("device-10", "device-1190"));
        assertThat(stored("device-1199")).containsExactly(qos1(13));
    }

    private PushResult push(PushMessage message, String... clientIds) {
        return service.push(message, PushTargets.devices(List.of(clientIds))).join();
    }

    private List<PushMessage> stored(String clientId) {
        return cluster.offlineStore().pending(clientId, NOW, 10);
    }
}
