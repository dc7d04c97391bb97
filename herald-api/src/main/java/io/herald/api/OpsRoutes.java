package io.herald.api;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health/live}, {@code GET /health/ready} ({@code /health} is the same answer, as before the split) and
 * {@code GET /metrics}, unauthenticated as load balancers, orchestrators and Prometheus expect; none reveals devices
 * or messages. Live: the process works (this answer itself shows the HTTP listener does); a failure calls for a
 * restart. Ready: its dependencies answer too; a failure calls for routing around it until they do.
 */
final class OpsRoutes {
    private static final Logger log = LoggerFactory.getLogger(OpsRoutes.class);
    static final MediaType PROMETHEUS_TEXT = MediaType.parse("text/plain; version=0.0.4; charset=utf-8");
    static final String UP = "UP";
    static final String DOWN = "DOWN";

    record HealthResponse(String status, Map<String, String> checks) {
    }

    private final PrometheusMeterRegistry registry;
    private final List<HealthCheck> readiness;
    private final List<HealthCheck> liveness;

    OpsRoutes(ApiDependencies.Ops deps) {
        this.registry = deps.meterRegistry();
        this.readiness = deps.healthChecks();
        this.liveness = deps.livenessChecks();
    }

    void bind(ServerBuilder sb) {
        // Blocking routes both: a check may ping a database, and a scrape walks every meter.
        sb.route().get("/health").build(BlockingRoute.of((ctx, request) -> health(readiness)));
        sb.route().get("/health/ready").build(BlockingRoute.of((ctx, request) -> health(readiness)));
        sb.route().get("/health/live").build(BlockingRoute.of((ctx, request) -> health(liveness)));
        sb.route().get("/metrics").build(BlockingRoute.of(this::metrics));
    }

    private static HttpResponse health(List<HealthCheck> checks) {
        HealthResponse answer = check(checks);
        return Json.response(answer.status().equals(UP) ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, answer);
    }

    /** Runs every check (a failing one is DOWN, not an error); UP when all are. Also for the console's overview. */
    static HealthResponse check(List<HealthCheck> checks) {
        Map<String, String> results = new LinkedHashMap<>();
        boolean allUp = true;
        for (HealthCheck check : checks) {
            boolean up = isHealthy(check);
            allUp &= up;
            results.put(check.name(), up ? UP : DOWN);
        }
        return new HealthResponse(allUp ? UP : DOWN, results);
    }

    private static boolean isHealthy(HealthCheck check) {
        try {
            return check.isHealthy();
        } catch (RuntimeException e) {
            log.warn("health check {} failed", check.name(), e);
            return false;
        }
    }

    private HttpResponse metrics(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        return HttpResponse.of(HttpStatus.OK, PROMETHEUS_TEXT, registry.scrape());
    }
}
