package io.herald.server;

import io.herald.core.message.UpstreamMessage;
import io.herald.protocol.ContentType;
import io.herald.spi.UpstreamHandler;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A third-party upstream handler, registered only through {@code META-INF/services} in the test class path:
 * proves the gateway discovers handlers with ServiceLoader. Records what it sees (a static queue, because
 * ServiceLoader creates the instance).
 */
public final class RecordingBinaryHandler implements UpstreamHandler {
    static final ConcurrentLinkedQueue<UpstreamMessage> SEEN = new ConcurrentLinkedQueue<>();

    @Override
    public String name() {
        return "test-recording-binary";
    }

    @Override
    public Set<ContentType> contentTypes() {
        return Set.of(ContentType.BINARY);
    }

    @Override
    public CompletionStage<Void> handle(UpstreamMessage message) {
        SEEN.add(message);
        return CompletableFuture.completedFuture(null);
    }
}
