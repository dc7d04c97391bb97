package io.herald.spi;

import io.herald.core.store.UpstreamArchive;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;

/** What the gateway offers upstream handlers at {@link UpstreamHandler#init}. */
public interface UpstreamHandlerContext {

    /** The node's upstream archive (the embedded database in standalone). */
    UpstreamArchive archive();

    MeterRegistry meterRegistry();

    /** A setting given to the server as {@code --handler-setting key=value}, if any. */
    Optional<String> setting(String key);
}
