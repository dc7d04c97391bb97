package io.herald.api;

import com.linecorp.armeria.common.logging.RequestLog;
import com.linecorp.armeria.common.logging.RequestOnlyLog;
import com.linecorp.armeria.common.metric.MeterIdPrefix;
import com.linecorp.armeria.common.metric.MeterIdPrefixFunction;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.metric.MetricCollectingService;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.Map;
import java.util.Set;

/**
 * HTTP figures per route and status through Armeria's {@link MetricCollectingService}:
 * {@code herald_http_server_requests_total} (by {@code route}, {@code method}, {@code status} and {@code result}),
 * the time from request to the end of the response, {@code herald_http_server_total_duration_seconds} (a histogram:
 * the p99 per route over every API node), and the requests in progress. The route is the pattern
 * ({@code /api/v1/devices/{clientId}}), never the path, so a scan of random URLs cannot grow the series.
 */
public final class HttpServerMeters {
    static final String PREFIX = "herald.http.server";
    /**
     * Armeria also times the request and the response apart and measures their sizes without a unit; the total
     * duration and the count say what an operator asks, at a third of the series.
     */
    private static final Set<String> DENIED = Set.of(PREFIX + ".request.duration", PREFIX + ".response.duration",
            PREFIX + ".request.length", PREFIX + ".response.length");

    /**
     * Armeria's meters come without a description, and Prometheus users read HELP: these are theirs (and the
     * Prometheus HELP of the {@code _max} gauge Micrometer adds to each timer).
     */
    private static final Map<String, String> HELP = Map.of(
            PREFIX + ".requests", "HTTP requests answered, by route (the pattern), method, status and result"
                    + " (failure: an exception, or a 4xx or 5xx status)",
            PREFIX + ".total.duration", "From the start of an HTTP request to the end of its response, by route,"
                    + " method and status",
            PREFIX + ".active.requests", "HTTP requests being served, by route and method",
            PREFIX + ".timeouts", "HTTP requests that did not complete within the request timeout, by route and"
                    + " method",
            "armeria.server.connections", "Open HTTP connections",
            "armeria.server.connections.lifespan", "How long HTTP connections stayed open",
            "armeria.server.all.requests", "HTTP requests in progress, routed or not",
            "armeria.server.pending.responses", "HTTP responses being written",
            "armeria.server.exceptions.unlogged", "Exceptions in HTTP handling that Armeria counted without logging"
                    + " them");

    /**
     * Drops the Armeria meters this class does not publish (its router cache's statistics, and the file cache's of
     * the console's static assets: caches of a few entries, nothing to operate), and gives the others a
     * description; add it to the registry before any server is built.
     */
    public static final MeterFilter FILTER = new MeterFilter() {
        @Override
        public MeterFilterReply accept(Meter.Id id) {
            return DENIED.contains(id.getName()) || id.getName().startsWith("armeria.server.router.")
                    || id.getName().startsWith("armeria.server.file.")
                    ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
        }

        @Override
        public Meter.Id map(Meter.Id id) {
            String help = HELP.get(id.getName());
            if (help == null || id.getDescription() != null) {
                return id;
            }
            return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), help, id.getType());
        }
    };

    private HttpServerMeters() {
    }

    /** Collects the server's request figures (and Armeria's own server meters) in {@code registry}. */
    static void bind(ServerBuilder sb, MeterRegistry registry) {
        sb.meterRegistry(registry);
        sb.decorator(MetricCollectingService.newDecorator(new ByRoute()));
    }

    private static final class ByRoute implements MeterIdPrefixFunction {
        @Override
        public MeterIdPrefix activeRequestPrefix(MeterRegistry registry, RequestOnlyLog log) {
            return new MeterIdPrefix(PREFIX, "method", log.requestHeaders().method().name(), "route", route(log));
        }

        @Override
        public MeterIdPrefix completeRequestPrefix(MeterRegistry registry, RequestLog log) {
            return new MeterIdPrefix(PREFIX, "method", log.requestHeaders().method().name(), "route", route(log),
                    "status", Integer.toString(log.responseHeaders().status().code()));
        }

        private static String route(RequestOnlyLog log) {
            return log.context() instanceof ServiceRequestContext ctx ? ctx.config().route().patternString()
                    : "unknown";
        }
    }
}
