package io.herald.gateway.upstream.builtin;

import io.herald.core.message.UpstreamMessage;
import io.herald.protocol.ContentType;
import io.herald.spi.RejectedMessageException;
import io.herald.spi.UpstreamHandler;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Built-in: rejects a TEXT message whose payload is not valid UTF-8, before anything stores it. */
public final class TextPayloadValidator implements UpstreamHandler {

    @Override
    public String name() {
        return "text-validator";
    }

    @Override
    public Set<ContentType> contentTypes() {
        return Set.of(ContentType.TEXT);
    }

    @Override
    public int order() {
        return 0;
    }

    @Override
    public CompletionStage<Void> handle(UpstreamMessage message) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(message.payload()));
            return CompletableFuture.completedFuture(null);
        } catch (CharacterCodingException e) {
            return CompletableFuture.failedFuture(new RejectedMessageException("text payload is not valid UTF-8"));
        }
    }
}
