package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.herald.core.message.PushMessage;
import io.herald.protocol.Wire;
import io.herald.protocol.codec.FrameCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code POST /api/v1/push/batch}: up to {@link #MAX_MESSAGES} pushes in one request, each validated like the body
 * of {@code POST /api/v1/push} ({@link PushRequestParser}) and sent through the same {@link PushSender}, so the push
 * rules stay in the push service. A message that is wrong fails alone: its place in the answer holds its error, the
 * others are sent. Only a body that is wrong as a whole (not JSON, no "messages" list, too many) is a 4xx.
 *
 * <p>The messages are handed to the push service together, not one after the other, so their QoS 1 store writes
 * share the store's group commits. Two messages of the batch to the same device are not: the later one is handed
 * over once the earlier one's push completed ({@link PerDeviceOrder}), because concurrent pushes may be stored and
 * delivered in either order. Ids are stamped in request order, so the store's id order is the batch's order too.
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

    BatchPushRoutes(PushSender sender, PushRequestParser parser, ApiMetrics metrics) {
        this.sender = sender;
        this.parser = parser;
        this.metrics = metrics;
    }

    void bind(ServerBuilder sb, ApiKeyAuthorizer authorizer) {
        sb.route().post(PATH).build(BlockingRoute.of(this::pushBatch).decorate(authorizer));
    }

    private HttpResponse pushBatch(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        String batchTraceId = TraceIds.resolve(request.headers());
        ctx.addAdditionalResponseHeader(TraceIds.X_TRACE_ID, batchTraceId);
        return LogScope.call(batchTraceId, null, () -> {
            JsonNode messages = messages(JsonRequest.parse(request, BODY_FIELDS));
            List<CompletableFuture<Object>> results = send(messages, batchTraceId, ctx.blockingTaskExecutor());
            CompletableFuture<HttpResponse> answer = CompletableFuture
                    .allOf(results.toArray(CompletableFuture[]::new))
                    .thenApply(all -> Json.response(HttpStatus.OK,
                            new BatchResponse(results.stream().map(CompletableFuture::join).toList())));
            return HttpResponse.of(answer);
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

    /** Stamps every valid message in request order, then hands them over; one future per message, in order. */
    private List<CompletableFuture<Object>> send(JsonNode messages, String batchTraceId, Executor executor) {
        List<CompletableFuture<Object>> results = new ArrayList<>(messages.size());
        PerDeviceOrder order = new PerDeviceOrder(executor);
        for (int i = 0; i < messages.size(); i++) {
            String what = "messages[" + i + "]";
            PushRequest push;
            PushMessage message;
            try {
                JsonRequest body = JsonRequest.of(messages.get(i), MESSAGE_FIELDS, what);
                push = parser.parse(body);
                if (push.isBroadcast()) {
                    throw ApiException.invalidRequest(what + ": broadcast is not allowed in a batch; "
                            + "use POST /api/v1/push");
                }
                message = sender.stamp(push, traceId(body, batchTraceId, what));
            } catch (ApiException e) {
                results.add(CompletableFuture.completedFuture(
                        new JsonErrors.ErrorBody(new JsonErrors.Detail(e.code(), prefixed(what, e.getMessage())))));
                continue;
            }
            var sample = metrics.startPush();
            PushRequest valid = push;
            PushMessage stamped = message;
            results.add(order.run(push.clientIds(), () -> LogScope.call(stamped.traceId(), valid.singleClientId(),
                    () -> sender.send(valid, stamped, sample))).thenApply(BatchPushRoutes::result));
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
