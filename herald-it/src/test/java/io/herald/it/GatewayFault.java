package io.herald.it;

import static org.awaitility.Awaitility.await;

import io.herald.it.SteadyPushes.Accepted;
import io.herald.it.TestDevices.Device;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway fault under load: the gateway (a JVM of its own) is stopped, by SIGKILL or SIGTERM, and started
 * again under the same id and port once its devices are back online elsewhere. Measures how long recovery took,
 * each figure from the moment of the stop.
 */
final class GatewayFault {
    private static final Logger log = LoggerFactory.getLogger(GatewayFault.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Pushes to the gateway's devices started just before the stop, so that some are in flight when it strikes. */
    private static final int BURST = 40;

    enum Stop { SIGKILL, SIGTERM }

    /**
     * @param leftRoutingMillis until the API node no longer routed to the gateway
     * @param devicesOnlineMillis until every device of the gateway was connected again (AUTH_OK)
     * @param firstPushMillis until the first push sent after the stop to one of those devices reached it; -1 if it
     *        did not within the wait (the final tally then counts it lost)
     * @param backMillis until the restarted gateway was in routing again
     */
    record Recovery(String gatewayId, Stop how, int devices, long leftRoutingMillis, long devicesOnlineMillis,
                    long firstPushMillis, long backMillis) {
        @Override
        public String toString() {
            return gatewayId + " " + how + " (" + devices + " devices): left routing " + leftRoutingMillis
                    + " ms, devices online " + devicesOnlineMillis + " ms, first push delivered " + firstPushMillis
                    + " ms, back in routing " + backMillis + " ms";
        }
    }

    /** The gateway as it runs after the fault, and how recovery went. */
    record Outcome(GatewayProcess restarted, Recovery recovery) {
    }

    private GatewayFault() {
    }

    /**
     * Stops the gateway, waits until it has left routing and its devices are online again (on the other
     * gateways), and until a push sent after the stop reached one of them; then starts it again.
     *
     * @param fleet every device; those on this gateway are the ones expected to move
     */
    static Outcome stopAndRestart(GatewayProcess gateway, Stop how, TestCluster cluster, int gatewayCount,
                                  List<Device> fleet, SteadyPushes pushes) throws IOException {
        List<Device> moving = fleet.stream().filter(d -> port(d.gateway()) == gateway.tcpPort()).toList();
        if (moving.isEmpty()) {
            throw new IllegalStateException("no device on " + gateway.gatewayId() + ": the fault would test nothing");
        }
        log.info("{} of {} on {}: {}", how, gateway.gatewayId(), gateway.tcpPort(),
                moving.stream().map(Device::clientId).toList());
        long burst = System.nanoTime();
        pushes.burst(moving, BURST);
        // Strike when the first push of the burst is accepted: the others are then somewhere between the API node
        // and the devices, however fast or loaded the machine is.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(2))
                .until(() -> pushes.firstAcceptedAfter(burst, moving).isPresent());
        long stopped = System.nanoTime();
        // A SIGTERM stop returns once the gateway has drained and exited; routing and devices move meanwhile.
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(
                how == Stop.SIGKILL ? gateway::kill : gateway::stop);

        await().atMost(WAIT).pollInterval(Duration.ofMillis(10))
                .until(() -> cluster.apiNode(0).liveGateways() == gatewayCount - 1);
        long leftRouting = millisSince(stopped);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> moving.stream()
                .allMatch(d -> d.client().isConnected() && d.listener().lastConnectedNanos() > stopped));
        long devicesOnline = (moving.stream().mapToLong(d -> d.listener().lastConnectedNanos()).max().orElseThrow()
                - stopped) / 1_000_000;
        long firstPush = firstPushDelivered(stopped, moving, pushes);
        stopping.join();

        long restarting = System.nanoTime();
        GatewayProcess restarted = gateway.restart();
        cluster.awaitApiNodesSee(gatewayCount);
        long back = millisSince(stopped);
        log.info("{} restarted in {} ms", gateway.gatewayId(), millisSince(restarting));
        return new Outcome(restarted, new Recovery(gateway.gatewayId(), how, moving.size(), leftRouting,
                devicesOnline, firstPush, back));
    }

    private static long firstPushDelivered(long stopped, List<Device> moving, SteadyPushes pushes) {
        try {
            Accepted first = await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                    .until(() -> pushes.firstAcceptedAfter(stopped, moving), Optional::isPresent).orElseThrow();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                    .until(() -> first.device().listener().countOf(first.messageId()) > 0);
            return (first.device().listener().arrivalNanos(first.messageId()) - stopped) / 1_000_000;
        } catch (ConditionTimeoutException e) {
            log.warn("no push sent after the stop reached a device of the stopped gateway within {}", WAIT);
            return -1;
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }
}
