package io.herald.api;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.util.Exceptions;
import io.herald.core.message.MessageIdGenerator;
import io.herald.core.message.PushMessage;
import io.herald.core.push.DevicePush;
import io.herald.core.push.PushResult;
import io.herald.core.push.PushService;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands one validated push to the {@link PushService} and turns its completion into the push's answer: the one
 * place that does so, for {@code POST /api/v1/push} and for every message of {@code POST /api/v1/push/batch}.
 * Stamping (id, trace id, expiry) is separate from sending, so a batch can stamp its messages in request order.
 */
final class PushSender {
    private static final Logger log = LoggerFactory.getLogger(PushSender.class);

    /** The id is an unsigned decimal string: 64-bit ids do not survive JavaScript's doubles. */
    record PushResponse(String messageId, String traceId, int online, int stored, int dropped, List<String> unknown,
                        Integer unknownCount) {
    }

    /** Why a push failed; {@code retryAfter} is set when a service it needs is unavailable (503). */
    record Failure(HttpStatus status, String code, String message, Duration retryAfter) {
    }

    /** Exactly one of the two is set. */
    record Outcome(PushResponse response, Failure failure) {
    }

    private final PushService pushService;
    private final MessageIdGenerator idGenerator;
    private final ApiMetrics metrics;
    private final Clock clock;

    PushSender(ApiDependencies.Push deps, ApiMetrics metrics, Clock clock) {
        this.pushService = deps.pushService();
        this.idGenerator = deps.idGenerator();
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The message for a push: a fresh id (ids grow in the order of these calls) and its expiry from now. */
    PushMessage stamp(PushRequest push, String traceId) {
        long now = clock.millis();
        return new PushMessage(idGenerator.next(), push.contentType(), push.qos(), push.payload(), traceId, now,
                now + push.ttl().toMillis());
    }

    /** A validated push to devices with its stamped message and the sample timing it. */
    record Stamped(PushRequest push, PushMessage message, Timer.Sample sample) {
    }

    /** Hands the message over; the future never fails: a failure of the push service is its outcome. */
    CompletableFuture<Outcome> send(PushRequest push, PushMessage message, Timer.Sample sample) {
        accepted(push, message);
        CompletableFuture<PushResult> result;
        try {
            result = pushService.push(message, push.targets());
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return outcome(new Stamped(push, message, sample), result);
    }

    /**
     * Hands the pushes (to devices, not broadcasts) to the push service together ({@link PushService#pushAll}: one
     * lookup, one store group, one hand-over per gateway); one future per push, in order, never failing.
     */
    List<CompletableFuture<Outcome>> sendAll(List<Stamped> pushes) {
        pushes.forEach(stamped -> accepted(stamped.push(), stamped.message()));
        List<CompletableFuture<PushResult>> results;
        try {
            results = pushService.pushAll(pushes.stream()
                    .map(stamped -> new DevicePush(stamped.message(), stamped.push().clientIds())).toList());
        } catch (RuntimeException e) {
            results = pushes.stream().map(stamped -> CompletableFuture.<PushResult>failedFuture(e)).toList();
        }
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>(pushes.size());
        for (int i = 0; i < pushes.size(); i++) {
            outcomes.add(outcome(pushes.get(i), results.get(i)));
        }
        return outcomes;
    }

    private void accepted(PushRequest push, PushMessage message) {
        metrics.pushAccepted(push.kind());
        if (!push.isBroadcast()) {
            metrics.pushTargets(push.clientIds().size());
        }
        log.debug("push {} accepted: {}", message.messageId(), push);
    }

    private CompletableFuture<Outcome> outcome(Stamped stamped, CompletableFuture<PushResult> result) {
        String clientId = stamped.push().singleClientId();
        return result.handle((done, failure) -> {
            // Possibly another thread (the push service's): its MDC needs the keys again.
            return LogScope.call(stamped.message().traceId(), clientId,
                    () -> completed(stamped.push(), stamped.message(), done, failure, stamped.sample()));
        });
    }

    private Outcome completed(PushRequest push, PushMessage message, PushResult result, Throwable failure,
                              Timer.Sample sample) {
        if (failure != null) {
            metrics.pushCompleted(sample, push.kind(), false);
            Throwable cause = Exceptions.peel(failure);
            Duration retryAfter = Unavailability.retryAfter(cause);
            if (retryAfter != null) {
                log.warn("push {} failed: a service is unavailable: {}", message.messageId(), cause.toString());
                return new Outcome(null, new Failure(HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.SERVICE_UNAVAILABLE,
                        "the push could not be completed, a service is unavailable; some targets may have received it",
                        retryAfter));
            }
            log.warn("push {} failed", message.messageId(), cause);
            return new Outcome(null, new Failure(HttpStatus.INTERNAL_SERVER_ERROR, ErrorCodes.PUSH_FAILED,
                    "the push could not be completed; some targets may have received it", null));
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
        return new Outcome(new PushResponse(Long.toUnsignedString(message.messageId()), message.traceId(),
                result.online(), result.stored(), result.dropped(), result.unknown(),
                unknownKnown ? result.unknownCount() : null), null);
    }

    /** The answer of a single push: 202 with the response, or the failure as a JSON error. */
    static AggregatedHttpResponse answer(Outcome outcome) {
        Failure failure = outcome.failure();
        if (failure == null) {
            return AggregatedHttpResponse.of(HttpStatus.ACCEPTED, MediaType.JSON_UTF_8,
                    PushAnswerWriter.bytes(outcome.response()));
        }
        return failure.retryAfter() != null
                ? JsonErrors.aggregatedWithRetryAfter(HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.SERVICE_UNAVAILABLE,
                        failure.retryAfter(), failure.message())
                : JsonErrors.aggregated(failure.status(), failure.code(), failure.message());
    }
}
