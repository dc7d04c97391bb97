package io.herald.server.cli;

import io.herald.core.time.Durations;
import java.time.Duration;

/**
 * Range checks for option values, run before a role opens anything, so a bad value is one line naming its option
 * rather than a failure after the database opened and the listeners started. The settings records check their
 * fields again for callers that do not come through the command line.
 */
public final class OptionCheck {
    private OptionCheck() {
    }

    /** A listening port: 0 picks a free one; with {@code offAllowed}, -1 turns the listener off. */
    public static int port(String option, int value, boolean offAllowed) {
        int min = offAllowed ? -1 : 0;
        if (value < min || value > 65_535) {
            throw new IllegalArgumentException(option + " must be " + (offAllowed ? "-1 (off), " : "")
                    + "0 (a free port) or 1-65535, was " + value);
        }
        return value;
    }

    public static int between(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be " + min + "-" + max + ", was " + value);
        }
        return value;
    }

    public static int atLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    public static Duration between(String option, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(option + " must be " + Durations.format(min) + "-"
                    + Durations.format(max) + ", was " + Durations.format(value));
        }
        return value;
    }

    /** An address to bind: a host name or IP literal, not blank, no spaces. */
    public static String address(String option, String value) {
        if (value == null || value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(option + " must be a host name or IP address, was '" + value + "'");
        }
        return value;
    }
}
