package io.herald.api;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.herald.core.message.PushMessage;
import io.herald.core.push.PushService;
import io.micrometer.core.instrument.Timer;

/**
 * {@code POST /api/v1/push}: validates a push, stamps it with an id and a trace id, and hands it to the
 * {@link PushService} through the {@link PushSender}. Every log line about the push, including those the push
 * service writes while it is called, carries the trace id (and the client id for a single target) in the MDC.
 */
final class PushRoutes {
    private final PushSender sender;
    private final PushRequestParser parser;
    private final ApiMetrics metrics;

    PushRoutes(PushSender sender, PushRequestParser parser, ApiMetrics metrics) {
        this.sender = sender;
        this.parser = parser;
        this.metrics = metrics;
    }

    void bind(ServerBuilder sb, ApiKeyAuthorizer authorizer) {
        sb.route().post("/api/v1/push").build(BlockingRoute.of(this::push).decorate(authorizer));
    }

    private HttpResponse push(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        Timer.Sample sample = metrics.startPush();
        String traceId = TraceIds.resolve(request.headers());
        // On every answer from here on, errors included, so the caller can quote it.
        ctx.addAdditionalResponseHeader(TraceIds.X_TRACE_ID, traceId);
        return LogScope.call(traceId, null, () -> {
            PushRequest push = parser.parse(JsonRequest.parse(request, PushRequestParser.FIELDS));
            return LogScope.withClientId(push.singleClientId(), () -> {
                PushMessage message = sender.stamp(push, traceId);
                return HttpResponse.of(sender.send(push, message, sample).thenApply(PushSender::httpResponse));
            });
        });
    }
}
