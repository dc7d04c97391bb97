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
    static final String PATH = "/api/v1/push";
    private final PushSender sender;
    private final PushRequestParser parser;
    private final ApiMetrics metrics;
    private final IdempotentPushes idempotent;
    private final TaggedTargets tagged;

    PushRoutes(PushSender sender, PushRequestParser parser, ApiMetrics metrics, IdempotentPushes idempotent,
               TaggedTargets tagged) {
        this.sender = sender;
        this.parser = parser;
        this.tagged = tagged;
        this.metrics = metrics;
        this.idempotent = idempotent;
    }

    /**
     * On the blocking pool, not the event loop: {@link PushService#push} runs the store step on the calling thread
     * when every target is located at once (standalone, all connected), and a store may block there (a plain JDBC
     * store, or the in-flight log's table path for a large push or an id below its watermark).
     */
    void bind(ServerBuilder sb, AdminAuthorizer authorizer) {
        sb.route().post(PATH).build(BlockingRoute.of(this::push).decorate(authorizer));
    }

    private HttpResponse push(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        Timer.Sample sample = metrics.startPush();
        String traceId = TraceIds.resolve(request.headers());
        // On every answer from here on, errors included, so the caller can quote it.
        ctx.addAdditionalResponseHeader(TraceIds.X_TRACE_ID, traceId);
        return LogScope.call(traceId, null, () -> {
            PushRequest push = tagged.resolve(parser.parse(JsonRequest.parse(request, PushRequestParser.FIELDS)));
            return LogScope.withClientId(push.singleClientId(), () -> idempotent.serve(ctx, request, PATH, () -> {
                PushMessage message = sender.stamp(push, traceId);
                return sender.send(push, message, sample).thenApply(PushSender::answer);
            }));
        });
    }
}
