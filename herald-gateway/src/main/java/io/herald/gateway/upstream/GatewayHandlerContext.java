package io.herald.gateway.upstream;

import io.herald.core.store.UpstreamSink;
import io.herald.spi.UpstreamHandlerContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;

/** What this gateway offers upstream handlers. */
public record GatewayHandlerContext(UpstreamSink archive, MeterRegistry meterRegistry,
                                    Map<String, String> settings) implements UpstreamHandlerContext {
    public GatewayHandlerContext {
        settings = Map.copyOf(settings);
    }

    @Override
    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }
}
