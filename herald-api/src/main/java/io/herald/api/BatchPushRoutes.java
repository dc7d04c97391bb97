package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.herald.protocol.Wire;
import io.herald.protocol.codec.FrameCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /api/v1/push/batch}: up to {@link #MAX_MESSAGES} pushes in one request, each validated like the body
 * of {@code POST /api/v1/push} ({@link PushRequestParser}) and sent through the same {@link PushSender}, so the push
 * rules stay in the push service. A message that is wrong fails alone: its place in the answer holds its error, the
 * others are sent. Only a body that is wrong as a whole (not JSON, no "messages" list, too many) is a 4xx.
 *
 * <p>The valid messages are handed to the push service in one call ({@link io.herald.core.push.PushService#pushAll}):
 * one lookup of all their targets, one group of store writes, one hand-over per gateway, and two messages to the
 * same device are handed over in request order. Ids are stamped in request order, so the store's id order is the
 * batch's order too.
 */
final class BatchPushRoutes {
    static final int MAX_MESSAGES = 1_000;
    static final String PATH = "/api/v1/push/batch";
    private static final Set<String> BODY_FIELDS = Set.of("messages");
    /** A message has the fields of a single push's body, plus its own trace id (a header there). */
    static final Set<String> MESSAGE_FIELDS = withTraceId(PushRequestParser.FIELDS);

    /** The answer: one entry per message, in request order. */
    record BatchResponse(List<Object> results) {
    }

    private final PushSender sender;
    private final PushRequestParser parser;
    private final ApiMetrics metrics;
    private final IdempotentPushes idempotent;
    private final TaggedTargets tagged;

    BatchPushRoutes(PushSender sender, PushRequestParser parser, ApiMetrics metrics, IdempotentPushes idempotent,
                    TaggedTargets tagged) {
        this.sender = sender;
        this.parser = parser;
        this.tagged = tagged;
        this.metrics = metrics;
        this.idempotent = idempotent;
    }

    void bind(ServerBuilder sb, AdminAuthorizer authorizer) {
        sb.route().post(PATH).build(BlockingRoute.of(this::pushBatch).decorate(authorizer));
    }

    private HttpResponse pushBatch(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        String batchTraceId = TraceIds.resolve(request.headers());
        ctx.addAdditionalResponseHeader(TraceIds.X_TRACE_ID, batchTraceId);
        return LogScope.call(batchTraceId, null, () -> {
            JsonNode messages = messages(JsonRequest.parse(request, BODY_FIELDS));
            // The whole batch answer is kept under a key: per-message errors included (send those again under a
            // new key); every message is in it, so a retry never pushes half a batch twice.
            return idempotent.serve(ctx, request, PATH, () -> {
                List<CompletableFuture<Object>> results = send(messages, batchTraceId);
                return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                        .thenApply(all -> AggregatedHttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, Json.bytes(
                                new BatchResponse(results.stream().map(CompletableFuture::join).toList()))));
            });
        });
    }

    private static JsonNode messages(JsonRequest body) {
        JsonNode messages = body.node("messages");
        if (messages == null || !messages.isArray()) {
            throw ApiException.invalidRequest("\"messages\" (a list of pushes) is required");
        }
        if (messages.isEmpty()) {
            throw ApiException.invalidRequest("messages must hold at least one push");
        }
        if (messages.size() > MAX_MESSAGES) {
            throw new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, ErrorCodes.REQUEST_TOO_LARGE,
                    "messages holds " + messages.size() + " pushes; at most " + MAX_MESSAGES
                            + " are allowed in one batch");
        }
        return messages;
    }

    /** Stamps every valid message in request order, then hands them over together; one future per message. */
    private List<CompletableFuture<Object>> send(JsonNode messages, String batchTraceId) {
        List<CompletableFuture<Object>> results = new ArrayList<>(messages.size());
        List<PushSender.Stamped> valid = new ArrayList<>(messages.size());
        List<Integer> validAt = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            String what = "messages[" + i + "]";
            try {
                JsonRequest body = JsonRequest.of(messages.get(i), MESSAGE_FIELDS, what);
                PushRequest push = tagged.resolve(parser.parse(body));
                if (push.isBroadcast()) {
                    throw ApiException.invalidRequest(what + ": broadcast is not allowed in a batch; "
                            + "use POST /api/v1/push");
                }
                valid.add(new PushSender.Stamped(push, sender.stamp(push, traceId(body, batchTraceId, what)),
                        metrics.startPush()));
                validAt.add(i);
                results.add(null); // its outcome comes from the push service
            } catch (ApiException e) {
                results.add(CompletableFuture.completedFuture(
                        new JsonErrors.ErrorBody(new JsonErrors.Detail(e.code(), prefixed(what, e.getMessage())))));
            }
        }
        if (!valid.isEmpty()) {
            List<CompletableFuture<PushSender.Outcome>> outcomes = sender.sendAll(valid);
            for (int j = 0; j < outcomes.size(); j++) {
                results.set(validAt.get(j), outcomes.get(j).thenApply(BatchPushRoutes::result));
            }
        }
        return results;
    }

    private static Object result(PushSender.Outcome outcome) {
        PushSender.Failure failure = outcome.failure();
        if (failure == null) {
            return outcome.response();
        }
        String message = failure.retryAfter() == null ? failure.message()
                : failure.message() + "; retry after " + JsonErrors.retryAfterSeconds(failure.retryAfter()) + " s";
        return new JsonErrors.ErrorBody(new JsonErrors.Detail(failure.code(), message));
    }

    /** The message's own "traceId", else the batch's (traceparent, X-Trace-Id or a fresh one). */
    private static String traceId(JsonRequest body, String batchTraceId, String what) {
        String own = body.optionalString("traceId");
        if (own == null) {
            return batchTraceId;
        }
        if (!FrameCodec.isValidTraceId(own)) {
            throw ApiException.badRequest(ErrorCodes.INVALID_TRACE_ID, what + ".traceId must be 1-"
                    + Wire.MAX_TRACE_ID_LENGTH + " printable ASCII characters without spaces");
        }
        return own;
    }

    private static String prefixed(String what, String message) {
        return message.startsWith(what) ? message : what + ": " + message;
    }

    private static Set<String> withTraceId(Set<String> fields) {
        Set<String> all = new HashSet<>(fields);
        all.add("traceId");
        return Set.copyOf(all);
    }
}
