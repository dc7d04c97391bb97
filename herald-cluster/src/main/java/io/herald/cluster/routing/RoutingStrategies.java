package io.herald.cluster.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The routing strategies by their setting names. */
public final class RoutingStrategies {
    public static final String ROUND_ROBIN = "round-robin";
    public static final String HASH = "hash";
    public static final String CONSISTENT_HASH = "consistent-hash";
    public static final String WEIGHTED = "weighted";
    public static final String LEAST_CONNECTIONS = "least-connections";

    private static final Map<String, Supplier<RoutingStrategy>> BY_NAME = byName();

    private RoutingStrategies() {
    }

    /** The valid names, in the order they are documented. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /**
     * A new instance of the named strategy (strategies with a cursor or a ring keep it per instance).
     *
     * @throws IllegalArgumentException for an unknown name, listing the valid ones
     */
    public static RoutingStrategy byName(String name) {
        Supplier<RoutingStrategy> factory = name == null ? null : BY_NAME.get(name.trim());
        if (factory == null) {
            throw new IllegalArgumentException("unknown routing strategy '" + name + "'; valid: "
                    + String.join(", ", BY_NAME.keySet()));
        }
        return factory.get();
    }

    private static Map<String, Supplier<RoutingStrategy>> byName() {
        Map<String, Supplier<RoutingStrategy>> strategies = new LinkedHashMap<>();
        strategies.put(ROUND_ROBIN, RoundRobinStrategy::new);
        strategies.put(HASH, HashModuloStrategy::new);
        strategies.put(CONSISTENT_HASH, ConsistentHashStrategy::new);
        strategies.put(WEIGHTED, WeightedRoundRobinStrategy::new);
        strategies.put(LEAST_CONNECTIONS, LeastConnectionsStrategy::new);
        return strategies;
    }
}
