package io.herald.gateway.upstream;

import io.herald.protocol.ContentType;
import io.herald.spi.UpstreamHandler;
import io.herald.spi.UpstreamHandlerContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream handlers found with {@link ServiceLoader}, initialised once and indexed by content type so
 * that dispatch is a map lookup.
 */
public final class UpstreamHandlers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UpstreamHandlers.class);

    private final List<UpstreamHandler> all;
    private final Map<ContentType, List<UpstreamHandler>> byType = new EnumMap<>(ContentType.class);

    public UpstreamHandlers(List<UpstreamHandler> handlers, UpstreamHandlerContext context) {
        List<UpstreamHandler> sorted = new ArrayList<>(handlers);
        sorted.sort(Comparator.comparingInt(UpstreamHandler::order).thenComparing(UpstreamHandler::name));
        this.all = List.copyOf(sorted);
        for (UpstreamHandler handler : all) {
            handler.init(context);
            // An optional handler that is switched off takes no content type.
            log.info("upstream handler '{}' (order {}) for {}", handler.name(), handler.order(),
                    handler.contentTypes().isEmpty() ? "nothing (off)" : handler.contentTypes());
        }
        for (ContentType type : ContentType.values()) {
            byType.put(type, all.stream().filter(h -> h.contentTypes().contains(type)).toList());
        }
    }

    /** Loads every handler listed in {@code META-INF/services/io.herald.spi.UpstreamHandler} on the class path. */
    public static UpstreamHandlers discover(ClassLoader classLoader, UpstreamHandlerContext context) {
        List<UpstreamHandler> found = new ArrayList<>();
        ServiceLoader.load(UpstreamHandler.class, classLoader).forEach(found::add);
        return new UpstreamHandlers(found, context);
    }

    /** Handlers for the content type, in order; empty when none takes it. */
    public List<UpstreamHandler> forType(ContentType type) {
        return byType.get(type);
    }

    public List<UpstreamHandler> all() {
        return all;
    }

    @Override
    public void close() {
        for (UpstreamHandler handler : all) {
            try {
                handler.close();
            } catch (RuntimeException e) {
                log.warn("upstream handler '{}' failed to close", handler.name(), e);
            }
        }
    }
}
