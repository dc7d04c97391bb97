package io.herald.gateway.upstream.builtin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.herald.core.message.UpstreamMessage;
import io.herald.protocol.ContentType;
import io.herald.spi.RejectedMessageException;
import io.herald.spi.UpstreamHandler;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Built-in: rejects a JSON message that is not exactly one well-formed JSON value, so consumers of the
 * archive can parse every JSON row. Streams tokens with Jackson's parser; builds no tree.
 */
public final class JsonPayloadValidator implements UpstreamHandler {
    private final JsonFactory factory = new JsonFactory();

    @Override
    public String name() {
        return "json-validator";
    }

    @Override
    public Set<ContentType> contentTypes() {
        return Set.of(ContentType.JSON);
    }

    @Override
    public int order() {
        return 0;
    }

    @Override
    public CompletionStage<Void> handle(UpstreamMessage message) {
        try (JsonParser parser = factory.createParser(message.payload())) {
            if (parser.nextToken() == null) {
                throw new RejectedMessageException("json payload is empty");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new RejectedMessageException("json payload holds more than one value");
            }
            return CompletableFuture.completedFuture(null);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(
                    new RejectedMessageException("json payload is malformed: " + e.getOriginalMessage()));
        } catch (IOException e) {
            // The parser reads a byte array, so no I/O can fail: any other IOException is about the content (Jackson's
            // encoding detection throws CharConversionException for bytes it takes for invalid UTF-32). Resending
            // the same bytes cannot help, so REJECTED, not RETRY.
            return CompletableFuture.failedFuture(
                    new RejectedMessageException("json payload is malformed: " + e.getMessage()));
        } catch (RejectedMessageException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
