package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.cluster.routing.RoutingStrategies;
import io.herald.it.AckedUpstream.ArchiveTally;
import io.herald.it.GatewayFault.Recovery;
import io.herald.it.GatewayFault.Stop;
import io.herald.it.SteadyPushes.Accepted;
import io.herald.it.TestDevices.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chaos: devices on 3 gateways (JVMs of their own) exchange QoS 1 traffic both ways, pushes through the HTTP API
 * and upstream messages through the SDK, while the gateways are stopped and restarted one at a time (SIGKILL,
 * SIGTERM, SIGKILL). The devices find their way back by themselves. In the end no accepted push is lost, no
 * device's application sees one twice, and every acknowledged upstream message is archived exactly once.
 */
@ExtendWith({KafkaBrokerExtension.class, NettyLeakCheck.class})
class ChaosTest {
    private static final Logger log = LoggerFactory.getLogger(ChaosTest.class);
    private static final int DEVICES = 45;
    private static final List<Stop> FAULTS = List.of(Stop.SIGKILL, Stop.SIGTERM, Stop.SIGKILL);
    /** 25 pushes a second, each to a random device. */
    private static final Duration PUSH_INTERVAL = Duration.ofMillis(40);
    /** Every device sends one message a second: 45 a second. */
    private static final Duration UPSTREAM_INTERVAL = Duration.ofSeconds(1);
    /** Traffic before the first fault, and between one gateway back and the next fault. */
    private static final Duration CALM = Duration.ofSeconds(3);
    /** After the load stops: resends (every 2 s), stored messages and the archiver catch up within this. */
    private static final Duration SETTLE = Duration.ofSeconds(45);
    /** The gateways' logs are kept here for a look at what went wrong. */
    private static final Path LOGS = Path.of("target", "chaos-logs");

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void noQos1MessageIsLostOrDuplicatedWhileGatewaysAreKilledAndRestarted(KafkaTestBroker broker)
            throws Exception {
        long began = System.nanoTime();
        ClusterServices services = ClusterServices.start(broker);
        ArchiveDatabase database = ArchiveDatabase.create(ArchiveDatabase.Server.MARIADB);
        List<GatewayProcess> gateways = new ArrayList<>();
        TestCluster cluster = null;
        TestDevices devices = new TestDevices();
        SteadyPushes down = null;
        SteadyUpstream up = null;
        try {
            List<CompletableFuture<GatewayProcess>> starting = IntStream.rangeClosed(1, FAULTS.size())
                    .mapToObj(i -> GatewayProcess.startAsync("gw-" + i, services, database.settings()))
                    .toList();
            try {
                cluster = TestCluster.start(services, database.settings(), List.of(),
                        List.of(RoutingStrategies.ROUND_ROBIN), true);
            } finally {
                for (CompletableFuture<GatewayProcess> gateway : starting) {
                    gateways.add(gateway.join());
                }
            }
            cluster.awaitApiNodesSee(gateways.size());
            List<Device> fleet = devices.connectAll(IntStream.rangeClosed(1, DEVICES)
                    .mapToObj(i -> "chaos-" + i).toList(), cluster.api(0));
            for (GatewayProcess gateway : gateways) {
                assertThat(fleet).as("devices on " + gateway.gatewayId())
                        .anyMatch(d -> GatewayFault.port(d.gateway()) == gateway.tcpPort());
            }

            AckedUpstream acked = new AckedUpstream();
            long loadStarted = System.nanoTime();
            down = SteadyPushes.start(cluster.api(0), fleet, PUSH_INTERVAL);
            up = SteadyUpstream.start(fleet, acked, UPSTREAM_INTERVAL);
            Thread.sleep(CALM.toMillis());
            List<Recovery> recoveries = new ArrayList<>();
            for (int i = 0; i < FAULTS.size(); i++) {
                GatewayFault.Outcome outcome = GatewayFault.stopAndRestart(gateways.get(i), FAULTS.get(i), cluster,
                        gateways.size(), fleet, down);
                gateways.set(i, outcome.restarted());
                recoveries.add(outcome.recovery());
                log.info("fault {}: {}", i + 1, outcome.recovery());
                Thread.sleep(CALM.toMillis());
            }
            down.stop();
            up.stop();
            long loadMillis = (System.nanoTime() - loadStarted) / 1_000_000;

            long settling = System.nanoTime();
            SteadyPushes pushes = down;
            SteadyUpstream sends = up;
            boolean settled = settle(() -> fleet.stream().allMatch(d -> d.client().isConnected())
                    && sends.unacked() == 0
                    && DownstreamTally.of(pushes.accepted(), fleet).lost().isEmpty()
                    && database.rowCount() >= acked.count());
            long settleMillis = (System.nanoTime() - settling) / 1_000_000;

            DownstreamTally downstream = DownstreamTally.of(down.accepted(), fleet);
            ArchiveTally archive = acked.tally(database.rows());
            String summary = String.format("chaos: %d devices on %d gateways, load %d ms, %s; settled %s in %d ms;"
                            + " DOWN sent %d accepted %d (refused %d, no answer %d) delivered %d lost %d duplicates %d;"
                            + " UP sent %d acked %d (unacked %d, failed %d) archived %d lost %d duplicates %d"
                            + " (not acked but archived %d); recovery: %s; test %d s",
                    DEVICES, gateways.size(), loadMillis, FAULTS, settled ? "yes" : "NO", settleMillis,
                    down.sent(), downstream.accepted(), down.refused(), down.failed(), downstream.delivered(),
                    downstream.lost().size(), downstream.duplicateCount(),
                    up.sent(), acked.count(), up.unacked(), up.failed(), archive.archived(), archive.lost(),
                    archive.duplicates(), archive.unexpected(), recoveries,
                    (System.nanoTime() - began) / 1_000_000_000);
            log.info(summary);
            downstream.lost().forEach(lost -> log.warn("LOST {}", describe(lost, gateways)));
            downstream.duplicates().forEach(duplicate -> log.warn("DUPLICATE {}", duplicate));

            assertThat(downstream.lost()).as("downstream lost; " + summary).isEmpty();
            assertThat(downstream.duplicates()).as("downstream duplicates seen by listeners; " + summary).isEmpty();
            assertThat(up.unacked()).as("upstream messages never acked; " + summary).isZero();
            assertThat(up.failed()).as("upstream messages refused; " + summary).isZero();
            assertThat(archive.lost()).as("upstream acked but not archived; " + summary).isZero();
            assertThat(archive.duplicates()).as("upstream archived more than once; " + summary).isZero();
            acked.assertArchivedExactlyOnce(database.rows());
        } finally {
            keepLogs(gateways);
            // Closing skips what was never started (null).
            List<AutoCloseable> resources = new ArrayList<>(Arrays.asList(down, up, devices));
            resources.addAll(gateways);
            resources.addAll(Arrays.asList(cluster, database, services));
            Closing.inOrder(resources.toArray(AutoCloseable[]::new));
        }
    }

    /** Waits until the condition holds, at most {@link #SETTLE}; false if it did not (the assertions say why). */
    private static boolean settle(Callable<Boolean> condition) {
        try {
            await().atMost(SETTLE).pollInterval(Duration.ofMillis(250)).until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** A lost push with what is needed to find it in the gateways' logs. */
    private static String describe(Accepted lost, List<GatewayProcess> gateways) {
        return String.format("message %s to %s, sent %s while it was on %s, answer %s; its connections: %s",
                lost.messageId(), lost.device().clientId(), lost.sentAt(), gatewayName(lost.deviceGateway(), gateways),
                lost.answer(), lost.device().listener().connections.stream()
                        .map(c -> gatewayName(c.gateway(), gateways) + " session " + c.sessionId()).toList());
    }

    private static String gatewayName(String hostPort, List<GatewayProcess> gateways) {
        if (hostPort == null) {
            return "no gateway";
        }
        int port = GatewayFault.port(hostPort);
        return gateways.stream().filter(g -> g.tcpPort() == port).map(GatewayProcess::gatewayId).findFirst()
                .orElse(hostPort);
    }

    /** Copies each gateway's log (every run of it) to {@link #LOGS} before the gateways' directories go. */
    private static void keepLogs(List<GatewayProcess> gateways) {
        try {
            Files.createDirectories(LOGS);
            for (GatewayProcess gateway : gateways) {
                Files.copy(gateway.log(), LOGS.resolve(gateway.gatewayId() + ".log"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            log.info("gateway logs in {}", LOGS.toAbsolutePath());
        } catch (Exception e) {
            log.warn("could not keep the gateways' logs", e);
        }
    }
}
