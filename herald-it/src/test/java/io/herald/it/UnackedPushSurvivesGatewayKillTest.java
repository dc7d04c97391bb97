package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.cluster.routing.RoutingStrategies;
import io.herald.it.HttpApi.PushAnswer;
import io.herald.it.TestDevices.Device;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.testing.SocketFrames;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QoS 1 pushes handed to a device on a gateway JVM, received by the device but not acked, survive that JVM being
 * killed with SIGKILL: the API node stored them before the hand-over, so when the device comes back (the SDK, on the
 * other gateway) it gets every one of them, once.
 */
@ExtendWith({KafkaBrokerExtension.class, NettyLeakCheck.class})
class UnackedPushSurvivesGatewayKillTest {
    private static final Logger log = LoggerFactory.getLogger(UnackedPushSurvivesGatewayKillTest.class);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String DEVICE = "tracker-1";
    private static final int PUSHES = 20;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void pushesInFlightOnAKilledGatewayAreDeliveredAfterTheDeviceReconnects(KafkaTestBroker broker)
            throws Exception {
        ClusterServices services = ClusterServices.start(broker);
        ArchiveDatabase database = ArchiveDatabase.create(ArchiveDatabase.Server.MARIADB);
        GatewayProcess doomed = null;
        TestCluster cluster = null;
        TestDevices devices = new TestDevices();
        try {
            CompletableFuture<GatewayProcess> child = GatewayProcess.startAsync("gw-doomed", services, database.settings());
            try {
                cluster = TestCluster.start(services, database.settings(), List.of("gw-stay"),
                        List.of(RoutingStrategies.ROUND_ROBIN), false);
            } finally {
                doomed = child.join();
            }
            cluster.awaitApiNodesSee(2);
            HttpApi api = cluster.api(0);
            api.register(DEVICE);

            List<String> pushed = new ArrayList<>();
            try (Socket raw = SocketFrames.connect(doomed.tcpPort())) {
                SocketFrames.write(raw, new AuthFrame(api.login(DEVICE).token()));
                assertThat(SocketFrames.read(raw)).isInstanceOf(AuthOkFrame.class);
                await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                        .until(() -> "gw-doomed".equals(api.device(DEVICE).path("gateway").asText()));
                for (int i = 0; i < PUSHES; i++) {
                    PushAnswer answer = api.push("{\"to\":\"" + DEVICE + "\",\"payload\":\"m" + i + "\",\"qos\":1}");
                    assertThat(answer.online()).as(answer.body()).isEqualTo(1);
                    pushed.add(answer.messageId());
                }
                assertThat(receivedWithoutAcking(raw, PUSHES)).as("handed over by the doomed gateway")
                        .containsExactlyInAnyOrderElementsOf(pushed);

                doomed.kill();
            }
            long killed = System.nanoTime();
            TestCluster running = cluster;
            await().atMost(services.sessionTimeout().plusSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> running.apiNode(0).liveGateways() == 1);

            Device device = devices.connect(DEVICE, api);
            for (String id : pushed) {
                await().atMost(WAIT).until(() -> device.listener().countOf(id) >= 1);
            }
            log.info("all {} unacked pushes reached {} on gw-stay {} ms after the SIGKILL of gw-doomed", PUSHES, DEVICE,
                    Duration.ofNanos(System.nanoTime() - killed).toMillis());
            Thread.sleep(300); // a late copy would show now
            for (String id : pushed) {
                assertThat(device.listener().countOf(id)).as("copies of " + id).isEqualTo(1);
            }
            await().atMost(WAIT).until(() -> api.device(DEVICE).get("pendingMessages").asInt() == 0);
        } finally {
            Closing.inOrder(devices, doomed, cluster, database, services);
        }
    }

    /** Reads MESSAGE frames until {@code count} distinct ids arrived, acking none. */
    private static Set<String> receivedWithoutAcking(Socket raw, int count) throws Exception {
        Set<String> ids = new HashSet<>();
        while (ids.size() < count) {
            Frame frame = SocketFrames.read(raw);
            if (frame instanceof MessageFrame message) {
                ids.add(Long.toString(message.messageId()));
            }
        }
        return ids;
    }
}
