package io.herald.api;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a handler on Armeria's blocking task executor once the whole request has arrived. The stores behind the
 * handlers block (JDBC), and blocking an event loop would stall every connection it serves.
 */
final class BlockingRoute implements HttpService {

    @FunctionalInterface
    interface Handler {
        /** Runs on a blocking worker thread; may return a response that completes later. */
        HttpResponse handle(ServiceRequestContext ctx, AggregatedHttpRequest request);
    }

    private final Handler handler;

    private BlockingRoute(Handler handler) {
        this.handler = handler;
    }

    static HttpService of(Handler handler) {
        return new BlockingRoute(handler);
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        // Aggregation failures (body over the limit) and unexpected exceptions fail the future and reach the
        // server's JsonErrorHandler; expected failures are answered here.
        CompletableFuture<HttpResponse> response = req.aggregate()
                .thenApplyAsync(request -> handle(ctx, request), ctx.blockingTaskExecutor());
        return HttpResponse.of(response);
    }

    private HttpResponse handle(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        try {
            return handler.handle(ctx, request);
        } catch (ApiException e) {
            return JsonErrors.response(e);
        }
    }
}
