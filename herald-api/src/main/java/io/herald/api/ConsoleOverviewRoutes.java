package io.herald.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.micrometer.core.instrument.Gauge;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * {@code GET /console/api/overview}: every node this API node can see (itself, with its readiness checks; the
 * gateways it routes to, as they last published themselves), the devices online, and the samples of the last
 * minutes ({@link ConsoleStats}). Under the {@link AdminAuthorizer}'s rule, like every operator endpoint.
 */
final class ConsoleOverviewRoutes {
    static final String PATH = "/console/api/overview";
    /** A gateway in the node view is registered (ZooKeeper removes a dead one's ephemeral node): it is up. */
    static final String REGISTERED = "UP";

    /** {@code connections} and {@code address} stay in the JSON as null when unknown, so the page can say so. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record NodeJson(String role, String id, String address, Integer connections, String startedAt, String status,
                    Map<String, String> checks) {
    }

    record Samples(long intervalSeconds, long windowSeconds, List<SampleJson> points) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SampleJson(String at, Integer connections, Double pushesPerSecond, Double deliveriesPerSecond,
                      Double upstreamPerSecond) {
    }

    record Overview(ConsoleSessionRoutes.NodeName node, int devicesOnline, List<NodeJson> nodes, Samples samples) {
    }

    private final ApiDependencies.Console console;
    private final ApiDependencies.Ops ops;
    private final ConsoleStats stats;
    private final String bindAddress;
    private final IntSupplier port;

    ConsoleOverviewRoutes(ApiDependencies.Console console, ApiDependencies.Ops ops, ConsoleStats stats,
                          String bindAddress, IntSupplier port) {
        this.console = console;
        this.ops = ops;
        this.stats = stats;
        this.bindAddress = bindAddress;
        this.port = port;
    }

    void bind(ServerBuilder sb, AdminAuthorizer authorizer) {
        // Blocking: the readiness checks may ping the database.
        sb.route().get(PATH).build(BlockingRoute.of(this::overview).decorate(authorizer));
    }

    private HttpResponse overview(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        List<NodeJson> nodes = new ArrayList<>();
        OpsRoutes.HealthResponse health = OpsRoutes.check(ops.healthChecks());
        Gauge local = ops.meterRegistry().find(ConsoleStats.CONNECTIONS).gauge();
        nodes.add(new NodeJson(console.nodeRole(), console.nodeId(), GatewayStatus.hostPort(bindAddress, port.getAsInt()),
                local == null ? null : (int) local.value(),
                Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()).toString(),
                health.status(), health.checks()));
        for (GatewayStatus gateway : console.gateways().get()) {
            nodes.add(new NodeJson("gateway", gateway.id(), gateway.address(), gateway.connections(),
                    gateway.startedAt().toString(), REGISTERED, Map.of()));
        }
        List<SampleJson> points = stats.samples().stream()
                .map(s -> new SampleJson(s.at().toString(), s.connections(), round(s.pushesPerSecond()),
                        round(s.deliveriesPerSecond()), round(s.upstreamPerSecond())))
                .toList();
        return Json.response(HttpStatus.OK, new Overview(
                new ConsoleSessionRoutes.NodeName(console.nodeRole(), console.nodeId()), stats.devicesOnline(),
                nodes, new Samples(ConsoleStats.INTERVAL.toSeconds(), ConsoleStats.WINDOW.toSeconds(), points)));
    }

    private static Double round(Double value) {
        return value == null ? null : Math.round(value * 100) / 100.0;
    }
}
