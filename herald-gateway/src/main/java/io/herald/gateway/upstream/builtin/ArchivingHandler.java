package io.herald.gateway.upstream.builtin;

import io.herald.core.message.UpstreamMessage;
import io.herald.protocol.ContentType;
import io.herald.spi.UpstreamHandler;
import io.herald.spi.UpstreamHandlerContext;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Built-in: stores every upstream message in the node's archive, last in the chain, so the device's ACK
 * means "stored". Writes are group-committed by {@link ArchiveBatcher}.
 */
public final class ArchivingHandler implements UpstreamHandler {
    private ArchiveBatcher batcher;

    @Override
    public String name() {
        return "archive";
    }

    @Override
    public Set<ContentType> contentTypes() {
        return EnumSet.allOf(ContentType.class);
    }

    @Override
    public int order() {
        return 1000;
    }

    @Override
    public void init(UpstreamHandlerContext context) {
        batcher = new ArchiveBatcher(context.archive());
    }

    @Override
    public CompletionStage<Void> handle(UpstreamMessage message) {
        return batcher.append(message);
    }

    @Override
    public void close() {
        if (batcher != null) {
            batcher.close();
        }
    }
}
