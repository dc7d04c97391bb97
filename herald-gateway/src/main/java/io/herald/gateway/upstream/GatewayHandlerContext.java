package io.herald.gateway.upstream;

import io.herald.core.store.UpstreamSink;
import io.herald.spi.DownstreamPush;
import io.herald.spi.UpstreamHandlerContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;

/**
 * What this gateway offers upstream handlers.
 *
 * @param push how handlers push to devices, or null where the node offers no such thing (a cluster gateway)
 */
public record GatewayHandlerContext(UpstreamSink archive, MeterRegistry meterRegistry,
                                    Map<String, String> settings, DownstreamPush push) implements UpstreamHandlerContext {
    public GatewayHandlerContext {
        settings = Map.copyOf(settings);
    }

    /** A context whose handlers cannot push. */
    public GatewayHandlerContext(UpstreamSink archive, MeterRegistry meterRegistry, Map<String, String> settings) {
        this(archive, meterRegistry, settings, null);
    }

    @Override
    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    @Override
    public Optional<DownstreamPush> downstream() {
        return Optional.ofNullable(push);
    }
}
