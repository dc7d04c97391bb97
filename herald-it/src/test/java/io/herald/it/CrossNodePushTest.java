package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.cluster.redis.RedisConnections;
import io.herald.cluster.routing.RoutingStrategies;
import io.herald.it.HttpApi.PushAnswer;
import io.herald.it.TestDevices.Device;
import io.herald.protocol.AckStatus;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.testing.SocketFrames;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three gateways and two API nodes on MariaDB. Devices log in through API node A and connect to the gateway it
 * assigns; the pushes go through API node B, which finds them in Redis and reaches their gateways over the
 * internal link.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith({KafkaBrokerExtension.class, NettyLeakCheck.class})
class CrossNodePushTest {
    private static final Logger log = LoggerFactory.getLogger(CrossNodePushTest.class);
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final List<String> GATEWAYS = List.of("gw-1", "gw-2", "gw-3");

    private ClusterServices services;
    private ArchiveDatabase database;
    private TestCluster cluster;
    private TestDevices devices;
    private HttpApi apiA;
    private HttpApi apiB;

    @BeforeAll
    void startCluster(KafkaTestBroker broker) throws Exception {
        services = ClusterServices.start(broker);
        database = ArchiveDatabase.create(ArchiveDatabase.Server.MARIADB);
        // Round-robin: consecutive logins at one API node go to different gateways, so devices land on each.
        cluster = TestCluster.start(services, database.settings(), GATEWAYS,
                List.of(RoutingStrategies.ROUND_ROBIN, RoutingStrategies.ROUND_ROBIN), false);
        apiA = cluster.api(0);
        apiB = cluster.api(1);
        devices = new TestDevices();
    }

    @AfterAll
    void stopCluster() throws Exception {
        Closing.inOrder(devices, cluster, database, services);
    }

    @Test
    void pushThroughApiNodeBReachesDevicesOnEveryGateway() {
        List<Device> spread = oneDeviceOnEachGateway("cross-");
        double acksBefore = cluster.gatewayMetric("herald_downstream_acks_total");

        for (Device device : spread) {
            String gatewayId = cluster.gatewayIdOf(device.gateway());
            long sent = System.nanoTime();
            PushAnswer answer = apiB.push("{\"to\":\"" + device.clientId() + "\",\"contentType\":\"text\","
                    + "\"payload\":\"hello " + device.clientId() + "\",\"qos\":1}");

            assertThat(answer.status()).as(answer.body()).isEqualTo(202);
            assertThat(answer.online()).as(answer.body()).isEqualTo(1);
            assertThat(answer.stored()).isZero();
            assertThat(answer.dropped()).isZero();
            long answered = System.nanoTime();
            await().atMost(WAIT).until(() -> device.listener().countOf(answer.messageId()) == 1);
            log.info("push through API node B to {} on {}: answered in {} ms, at the device {} ms after the request",
                    device.clientId(), gatewayId, millis(answered - sent),
                    millis(device.listener().arrivalNanos(answer.messageId()) - sent));
            assertThat(device.listener().messages.get(0).payloadAsString()).isEqualTo("hello " + device.clientId());
            assertThat(device.listener().messages.get(0).qos()).isEqualTo(Qos.AT_LEAST_ONCE);
            // API node B knows where the device is from Redis.
            assertThat(apiB.device(device.clientId()).get("gateway").asText()).isEqualTo(gatewayId);
        }
        // Every device acked its message at its gateway, and nothing is waiting in the store.
        await().atMost(WAIT).until(() -> cluster.gatewayMetric("herald_downstream_acks_total") - acksBefore
                == spread.size());
        for (Device device : spread) {
            assertThat(apiB.device(device.clientId()).get("pendingMessages").asInt()).isZero();
        }

        PushAnswer toAll = apiB.push("{\"to\":[" + String.join(",", spread.stream()
                .map(d -> "\"" + d.clientId() + "\"").toList()) + "],\"payload\":\"to three gateways\",\"qos\":1}");
        assertThat(toAll.online()).as(toAll.body()).isEqualTo(spread.size());
        for (Device device : spread) {
            await().atMost(WAIT).until(() -> device.listener().countOf(toAll.messageId()) == 1);
        }
        await().atMost(WAIT).until(() -> cluster.gatewayMetric("herald_downstream_acks_total") - acksBefore
                == 2 * spread.size());
    }

    @Test
    void qos1PushToAnOfflineDeviceIsStoredAndDeliveredWhenItConnects() {
        String clientId = "sleeper-1";
        apiA.register(clientId);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            PushAnswer answer = apiB.push("{\"to\":\"" + clientId + "\",\"payload\":\"wake " + i + "\",\"qos\":1,"
                    + "\"ttlSeconds\":600}");
            assertThat(answer.stored()).as(answer.body()).isEqualTo(1);
            assertThat(answer.online()).isZero();
            ids.add(answer.messageId());
        }
        assertThat(apiA.device(clientId).get("pendingMessages").asInt()).isEqualTo(3);

        Device device = devices.connect(clientId, apiA);

        await().atMost(WAIT).until(() -> device.listener().messages.size() == 3);
        assertThat(device.listener().texts()).containsExactly("wake 1", "wake 2", "wake 3");
        assertThat(device.listener().messages).extracting(m -> Long.toString(m.messageId()))
                .containsExactlyElementsOf(ids);
        await().atMost(WAIT).until(() -> apiB.device(clientId).get("pendingMessages").asInt() == 0);
        log.info("3 stored messages delivered to {} on {} when it connected", clientId,
                cluster.gatewayIdOf(device.gateway()));
    }

    @Test
    void aSecondConnectionOnAnotherGatewayTakesTheSessionOver() {
        Device first = devices.connect("roamer", apiA);
        Device second = devices.connect("roamer", apiA);
        String firstGateway = cluster.gatewayIdOf(first.gateway());
        String secondGateway = cluster.gatewayIdOf(second.gateway());
        assertThat(secondGateway).as("round-robin sends the second login elsewhere").isNotEqualTo(firstGateway);

        await().atMost(WAIT).until(() -> first.listener().kicks.size() == 1);
        assertThat(first.listener().kicks.get(0)).contains("taken over");
        await().atMost(WAIT).until(() -> !first.client().isConnected());
        log.info("takeover: roamer moved from {} to {}; the first connection was kicked", firstGateway,
                secondGateway);

        await().atMost(WAIT).until(() -> secondGateway.equals(apiB.device("roamer").get("gateway").asText()));
        PushAnswer answer = apiB.push("{\"to\":\"roamer\",\"payload\":\"to the new one\",\"qos\":1}");
        assertThat(answer.online()).as(answer.body()).isEqualTo(1);
        await().atMost(WAIT).until(() -> second.listener().countOf(answer.messageId()) == 1);
        assertThat(first.listener().messages).isEmpty();
        assertThat(second.client().isConnected()).isTrue();
        assertThat(cluster.gateway(firstGateway).gateway().sessions().find("roamer")).isEmpty();
        assertThat(cluster.gateway(secondGateway).gateway().sessions().find("roamer")).isPresent();
    }

    /**
     * Sessions of one device overlap across gateways: here the takeover notice to the old gateway is lost (Redis
     * pub/sub is fire-and-forget) and a push is routed by a session map read just before the new session was
     * published, so it reaches the old connection, which never acks it, after the new session read the store.
     * When the old session ends, its gateway tells the new one to read the store again: the push arrives there.
     */
    @Test
    void aPushLeftUnackedOnAnOldSessionReachesTheDevicesNewSessionOnAnotherGateway() throws Exception {
        String clientId = "overlap-1";
        apiA.register(clientId);
        try (RedisConnections redis = RedisConnections.open(services.redis());
             Socket old = SocketFrames.connect(cluster.gateway("gw-1").tcpPort());
             Socket fresh = SocketFrames.connect(cluster.gateway("gw-2").tcpPort())) {
            String key = redis.keys().session(clientId);
            SocketFrames.write(old, new AuthFrame(apiA.login(clientId).token()));
            assertThat(SocketFrames.read(old)).isInstanceOf(AuthOkFrame.class);
            await().atMost(WAIT).until(() -> "gw-1".equals(apiB.device(clientId).path("gateway").asText()));
            String oldSession = redis.sync().get(key);
            redis.sync().del(key); // gw-2 finds no earlier session, so no takeover notice reaches gw-1

            SocketFrames.write(fresh, new AuthFrame(apiA.login(clientId).token()));
            assertThat(SocketFrames.read(fresh)).isInstanceOf(AuthOkFrame.class);
            await().atMost(WAIT).until(() -> "gw-2".equals(apiB.device(clientId).path("gateway").asText()));
            String newSession = redis.sync().get(key);
            redis.sync().set(key, oldSession); // the stale view the push is routed by
            PushAnswer answer = apiB.push("{\"to\":\"" + clientId + "\",\"payload\":\"either way\",\"qos\":1}");
            assertThat(answer.online()).as(answer.body()).isEqualTo(1);
            assertThat(nextMessage(old).messageId()).as("handed to the old connection, not acked")
                    .isEqualTo(Long.parseUnsignedLong(answer.messageId()));
            redis.sync().set(key, newSession);

            old.close();

            MessageFrame delivered = nextMessage(fresh);
            assertThat(delivered.messageId()).isEqualTo(Long.parseUnsignedLong(answer.messageId()));
            SocketFrames.write(fresh, new AckFrame(delivered.messageId(), AckStatus.OK, ""));
            await().atMost(WAIT).until(() -> apiB.device(clientId).get("pendingMessages").asInt() == 0);
        }
    }

    /** The next MESSAGE frame on a raw connection (within its 5 s read timeout), skipping anything else. */
    private static MessageFrame nextMessage(Socket raw) throws Exception {
        while (true) {
            if (SocketFrames.read(raw) instanceof MessageFrame message) {
                return message;
            }
        }
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }

    /** Connects devices through API node A, one at a time, until every gateway holds one; returns those. */
    private List<Device> oneDeviceOnEachGateway(String prefix) {
        List<Device> chosen = new ArrayList<>();
        Set<String> covered = new HashSet<>();
        for (int i = 1; covered.size() < GATEWAYS.size(); i++) {
            assertThat(i).as("devices needed to cover every gateway").isLessThanOrEqualTo(3 * GATEWAYS.size());
            Device device = devices.connect(prefix + i, apiA);
            if (covered.add(cluster.gatewayIdOf(device.gateway()))) {
                chosen.add(device);
            }
        }
        log.info("devices {} are on gateways {}", chosen.stream().map(Device::clientId).toList(), covered);
        return chosen;
    }
}
