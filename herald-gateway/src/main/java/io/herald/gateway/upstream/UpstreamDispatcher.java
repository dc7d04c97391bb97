package io.herald.gateway.upstream;

import io.herald.core.concurrent.Stages;
import io.herald.core.message.UpstreamMessage;
import io.herald.protocol.AckStatus;
import io.herald.spi.RejectedMessageException;
import io.herald.spi.UpstreamHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the handlers for one upstream message, one after another in their order, on worker threads (never on
 * an event loop), and reports the ACK status: OK when all completed, REJECTED when one rejected the message
 * or none takes its content type, RETRY on any other failure. Per-device order is kept by the caller, which
 * chains a device's messages.
 */
public final class UpstreamDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UpstreamDispatcher.class);

    /** The ACK a message earned, with the reason for a non-OK status. */
    public record Outcome(AckStatus status, String reason) {
        static final Outcome OK = new Outcome(AckStatus.OK, "");
    }

    private final UpstreamHandlers handlers;
    private final ExecutorService workers;

    public UpstreamDispatcher(UpstreamHandlers handlers, int workerThreads) {
        this.handlers = handlers;
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workerThreads, r -> {
            Thread thread = new Thread(r, "herald-upstream-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public CompletableFuture<Outcome> dispatch(UpstreamMessage message) {
        List<UpstreamHandler> chain = handlers.forType(message.contentType());
        if (chain.isEmpty()) {
            return CompletableFuture.completedFuture(new Outcome(AckStatus.REJECTED,
                    "no handler accepts content type " + message.contentType().label()));
        }
        return CompletableFuture.supplyAsync(() -> runFrom(chain, 0, message), workers)
                .thenCompose(done -> done)
                .handle((ok, error) -> error == null ? Outcome.OK : outcomeOf(message, error));
    }

    /**
     * Runs the chain from {@code first} on this worker as long as each handler completes at once (a validator, an
     * archive that only queues): one hop to a worker per message, not one per handler. A handler that completes
     * later has the rest of the chain continue on a worker.
     */
    private CompletableFuture<Void> runFrom(List<UpstreamHandler> chain, int first, UpstreamMessage message) {
        for (int i = first; i < chain.size(); i++) {
            CompletableFuture<Void> stage = invoke(chain.get(i), message);
            if (!stage.isDone() || stage.isCompletedExceptionally()) {
                int next = i + 1;
                return next == chain.size() ? stage
                        : stage.thenComposeAsync(ignored -> runFrom(chain, next, message), workers);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** With the device and the message's trace id in the MDC, so that what a handler logs can be followed. */
    private static CompletableFuture<Void> invoke(UpstreamHandler handler, UpstreamMessage message) {
        String traceId = message.traceId();
        try (MDC.MDCCloseable client = MDC.putCloseable("clientId", message.clientId());
             MDC.MDCCloseable trace = traceId == null ? null : MDC.putCloseable("traceId", traceId)) {
            log.debug("upstream message {} ({}) to handler '{}'", message.messageId(), message.contentType().label(),
                    handler.name());
            return handler.handle(message).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Outcome outcomeOf(UpstreamMessage message, Throwable error) {
        Throwable cause = Stages.cause(error);
        if (cause instanceof RejectedMessageException rejected) {
            return new Outcome(AckStatus.REJECTED, rejected.getMessage());
        }
        log.warn("[{}] upstream message {} failed in a handler; the device will resend it", message.clientId(),
                message.messageId(), cause);
        return new Outcome(AckStatus.RETRY, "temporary failure, resend later");
    }

    @Override
    public void close() {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("upstream handlers still running after 10 s at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
