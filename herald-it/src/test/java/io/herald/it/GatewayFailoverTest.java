package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.cluster.routing.RoutingStrategies;
import io.herald.it.HttpApi.PushAnswer;
import io.herald.it.TestDevices.Device;
import io.herald.server.cluster.ClusterApiNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway in a JVM of its own is killed with SIGKILL while devices are connected to it. Its ZooKeeper session
 * expires, so it leaves the API node's routing within the session timeout; its devices reconnect by themselves,
 * log in again, land on the gateway that is left and get pushes there. The devices on that other gateway notice
 * nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith({KafkaBrokerExtension.class, NettyLeakCheck.class})
class GatewayFailoverTest {
    private static final Logger log = LoggerFactory.getLogger(GatewayFailoverTest.class);
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Session expiry is checked on ZooKeeper's ticks (250 ms here); the rest is the watch reaching the API node. */
    private static final Duration ROUTING_MARGIN = Duration.ofSeconds(2);
    private static final int DEVICES = 6;

    private ClusterServices services;
    private ArchiveDatabase database;
    private GatewayProcess doomed;
    private TestCluster cluster;
    private TestDevices devices;

    @BeforeAll
    void startCluster(KafkaTestBroker broker) throws Exception {
        services = ClusterServices.start(broker);
        database = ArchiveDatabase.create(ArchiveDatabase.Server.MARIADB);
        CompletableFuture<GatewayProcess> child = GatewayProcess.startAsync("gw-doomed", services, database.settings());
        try {
            cluster = TestCluster.start(services, database.settings(), List.of("gw-stay"),
                    List.of(RoutingStrategies.ROUND_ROBIN), false);
        } finally {
            doomed = child.join();
        }
        cluster.awaitApiNodesSee(2);
        devices = new TestDevices();
    }

    @AfterAll
    void stopCluster() throws Exception {
        Closing.inOrder(devices, doomed, cluster, database, services);
    }

    @Test
    void aKilledGatewayLeavesRoutingAndItsDevicesReconnectElsewhere() {
        HttpApi api = cluster.api(0);
        ClusterApiNode apiNode = cluster.apiNode(0);
        int stayPort = cluster.gateway("gw-stay").tcpPort();
        List<Device> fleet = devices.connectAll(IntStream.rangeClosed(1, DEVICES).mapToObj(i -> "car-" + i).toList(),
                api);
        List<Device> moving = fleet.stream().filter(d -> port(d.gateway()) == doomed.tcpPort()).toList();
        List<Device> staying = fleet.stream().filter(d -> port(d.gateway()) == stayPort).toList();
        assertThat(moving).as("devices on the gateway to be killed").isNotEmpty();
        assertThat(staying).as("devices on the other gateway").isNotEmpty();
        assertThat(moving.size() + staying.size()).isEqualTo(DEVICES);
        // The link from the API node to the other JVM works before the kill.
        pushAndExpect(api, moving.get(0), "before the kill");
        api.register("probe");
        HttpApi.Assignment probe = api.login("probe");
        assertThat(probe.fallbackTcpPorts()).as("the other gateway, for the same token")
                .containsExactly(probe.tcpPort() == stayPort ? doomed.tcpPort() : stayPort);
        int apiPort = apiNode.httpPort();
        double loginsBeforeKill = Metrics.sum(apiPort, "herald_http_logins_total");

        long killed = System.nanoTime();
        doomed.kill();
        // A push right after the crash, before anyone knows: the device must get it once it is back.
        Device orphan = moving.get(0);
        PushAnswer duringOutage = api.push("{\"to\":\"" + orphan.clientId() + "\",\"payload\":\"during the outage\","
                + "\"qos\":1}");
        log.info("push to {} right after the kill answered {} {}", orphan.clientId(), duringOutage.status(),
                duringOutage.body());

        await().atMost(services.sessionTimeout().plus(ROUTING_MARGIN).plusSeconds(5))
                .pollInterval(Duration.ofMillis(10)).until(() -> apiNode.liveGateways() == 1);
        Duration leftRouting = Duration.ofNanos(System.nanoTime() - killed);
        log.info("killed gateway left the API node's routing {} ms after SIGKILL (ZooKeeper session timeout {} ms)",
                leftRouting.toMillis(), services.sessionTimeout().toMillis());
        assertThat(leftRouting).isLessThanOrEqualTo(services.sessionTimeout().plus(ROUTING_MARGIN));
        for (int i = 0; i < 10; i++) {
            assertThat(api.login("probe").tcpPort()).as("login answer after the gateway left").isEqualTo(stayPort);
        }

        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> moving.stream()
                .allMatch(d -> d.client().isConnected() && port(d.gateway()) == stayPort));
        log.info("the {} devices of the killed gateway reconnected to gw-stay on their own {} ms after SIGKILL"
                + " (each: {} ms)", moving.size(), Duration.ofNanos(moving.stream()
                        .mapToLong(d -> d.listener().lastConnectedNanos()).max().orElseThrow() - killed).toMillis(),
                moving.stream().map(d -> Duration.ofNanos(d.listener().lastConnectedNanos() - killed).toMillis())
                        .sorted().toList());
        // They went to their login's fallback gateway with the token they had: only the probe's 10 logins above.
        assertThat(Metrics.sum(apiPort, "herald_http_logins_total") - loginsBeforeKill).isEqualTo(10);
        for (Device device : staying) {
            assertThat(device.listener().connections).as(device.clientId() + " connections").hasSize(1);
            assertThat(device.listener().disconnects).as(device.clientId() + " disconnects").hasValue(0);
        }

        for (Device device : fleet) {
            pushAndExpect(api, device, "after the failover");
            assertThat(api.device(device.clientId()).get("gateway").asText()).isEqualTo("gw-stay");
        }
        // Stored by the API node when the link failed; read from the store when the device connected elsewhere.
        assertThat(duringOutage.status()).as(duringOutage.body()).isEqualTo(202);
        await().atMost(WAIT).until(() -> orphan.listener().countOf(duringOutage.messageId()) == 1);
    }

    private static void pushAndExpect(HttpApi api, Device device, String text) {
        PushAnswer answer = api.push("{\"to\":\"" + device.clientId() + "\",\"payload\":\"" + text + "\",\"qos\":1}");
        assertThat(answer.online()).as(device.clientId() + ": " + answer.body()).isEqualTo(1);
        await().atMost(WAIT).until(() -> device.listener().countOf(answer.messageId()) == 1);
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }
}
