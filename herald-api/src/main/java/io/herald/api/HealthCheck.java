package io.herald.api;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * One named component that {@code GET /health} reports on. {@link #isHealthy()} runs on a blocking worker thread,
 * so it may ping a database; a check that throws counts as DOWN.
 */
public interface HealthCheck {

    /** Short and unique among the checks, e.g. "database"; the key in the health response. */
    String name();

    boolean isHealthy();

    static HealthCheck of(String name, BooleanSupplier check) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean isHealthy() {
                return check.getAsBoolean();
            }
        };
    }
}
