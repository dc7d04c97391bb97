package io.herald.api;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.herald.core.message.MessageIdGenerator;
import io.herald.core.message.PushMessage;
import io.herald.core.push.PushResult;
import io.herald.core.push.PushService;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/push}: validates a push, stamps it with an id and a trace id, and hands it to the
 * {@link PushService}. Every log line about the push, including those the push service writes while it is
 * called, carries the trace id (and the client id for a single target) in the MDC.
 */
final class PushRoutes {
    private static final Logger log = LoggerFactory.getLogger(PushRoutes.class);

    /** The id is an unsigned decimal string: 64-bit ids do not survive JavaScript's doubles. */
    record PushResponse(String messageId, String traceId, int online, int stored, int dropped, List<String> unknown,
                        Integer unknownCount) {
    }

    private final PushService pushService;
    private final MessageIdGenerator idGenerator;
    private final PushRequestParser parser;
    private final ApiMetrics metrics;
    private final Clock clock;

    PushRoutes(ApiDependencies.Push deps, PushRequestParser parser, ApiMetrics metrics, Clock clock) {
        this.pushService = deps.pushService();
        this.idGenerator = deps.idGenerator();
        this.parser = parser;
        this.metrics = metrics;
        this.clock = clock;
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
            return LogScope.withClientId(push.singleClientId(), () -> send(push, traceId, sample));
        });
    }

    private HttpResponse send(PushRequest push, String traceId, Timer.Sample sample) {
        long now = clock.millis();
        PushMessage message = new PushMessage(idGenerator.next(), push.contentType(), push.qos(), push.payload(),
                traceId, now, now + push.ttl().toMillis());
        metrics.pushAccepted(push.kind());
        if (!push.isBroadcast()) {
            metrics.pushTargets(push.clientIds().size());
        }
        log.debug("push {} accepted: {}", message.messageId(), push);
        CompletableFuture<PushResult> result;
        try {
            result = pushService.push(message, push.targets());
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        String clientId = push.singleClientId();
        return HttpResponse.of(result.handle((done, failure) -> {
            // Possibly another thread (the push service's): its MDC needs the keys again.
            return LogScope.call(traceId, clientId, () -> completed(push, message, done, failure, sample));
        }));
    }

    private HttpResponse completed(PushRequest push, PushMessage message, PushResult result, Throwable failure,
                                   Timer.Sample sample) {
        if (failure != null) {
            metrics.pushCompleted(sample, push.kind(), false);
            Duration retryAfter = Unavailability.retryAfter(Exceptions.peel(failure));
            if (retryAfter != null) {
                log.warn("push {} failed: a service is unavailable: {}", message.messageId(),
                        Exceptions.peel(failure).toString());
                return JsonErrors.unavailable(retryAfter,
                        "the push could not be completed, a service is unavailable; some targets may have received it");
            }
            log.warn("push {} failed", message.messageId(), Exceptions.peel(failure));
            return JsonErrors.response(HttpStatus.INTERNAL_SERVER_ERROR, ErrorCodes.PUSH_FAILED,
                    "the push could not be completed; some targets may have received it");
        }
        metrics.pushCompleted(sample, push.kind(), true);
        metrics.offlineStored(result.stored());
        if (push.isBroadcast()) {
            metrics.pushTargets(result.online());
        }
        log.debug("push {} done: {} online, {} stored, {} dropped", message.messageId(), result.online(),
                result.stored(), result.dropped());
        // unknown ids are looked up for a QoS 1 push to a list only; otherwise the fields are left out
        boolean unknownKnown = result.unknown() != null;
        return Json.response(HttpStatus.ACCEPTED, new PushResponse(Long.toUnsignedString(message.messageId()),
                message.traceId(), result.online(), result.stored(), result.dropped(), result.unknown(),
                unknownKnown ? result.unknownCount() : null));
    }
}
