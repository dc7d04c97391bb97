package io.herald.server.cli;

import java.util.function.Supplier;

/** Builds a setting from options and, when its validation refuses, says which option was wrong. */
public final class Setting {
    private Setting() {
    }

    /**
     * @param options the options the value was built from, e.g. {@code "--zookeeper/--zookeeper-session-timeout"}
     * @throws IllegalArgumentException naming the options, with the validation's own message
     */
    public static <T> T of(String options, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(options + ": " + e.getMessage(), e);
        }
    }
}
