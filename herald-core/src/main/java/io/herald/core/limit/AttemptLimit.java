package io.herald.core.limit;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code max} counted attempts per key within {@code window}; {@link #OFF} counts nothing. Written
 * {@code 10/5m} on the command line.
 *
 * @param max    attempts allowed per window; 0 turns the limit off
 * @param window how long a window lasts, from the first attempt it counts
 */
public record AttemptLimit(int max, Duration window) {
    public static final AttemptLimit OFF = new AttemptLimit(0, Duration.ZERO);

    public AttemptLimit {
        Objects.requireNonNull(window, "window");
        if (max < 0) {
            throw new IllegalArgumentException("the number of attempts must not be negative (0: off), was " + max);
        }
        if (max > 0 && window.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the window must be at least 1 second, was " + window);
        }
    }

    public boolean enabled() {
        return max > 0;
    }

    @Override
    public String toString() {
        return enabled() ? max + "/" + window : "off";
    }
}
