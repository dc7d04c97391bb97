package io.herald.spi;

import io.herald.core.store.UpstreamSink;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;

/** What the gateway offers upstream handlers at {@link UpstreamHandler#init}. */
public interface UpstreamHandlerContext {

    /**
     * Where accepted upstream messages become durable: the embedded database in standalone, the Kafka topic in a
     * cluster. Appending blocks until they are.
     */
    UpstreamSink archive();

    MeterRegistry meterRegistry();

    /** A setting given to the server as {@code --handler-setting key=value}, if any. */
    Optional<String> setting(String key);

    /**
     * Pushing to devices from a handler (a chat relay, a command echo), where the node offers it: a standalone node
     * does, reaching every device; a cluster gateway does not (it reaches only the devices connected to itself; a
     * handler there hands messages to a backend, which pushes through the API).
     */
    default Optional<DownstreamPush> downstream() {
        return Optional.empty();
    }
}
