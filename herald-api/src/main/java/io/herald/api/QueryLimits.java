package io.herald.api;

/** Parses a count query parameter such as {@code limit}: a whole number within bounds, or a 400 naming them. */
final class QueryLimits {
    private QueryLimits() {
    }

    /** {@code value} as 1 to {@code max}; {@code defaultValue} when the parameter is absent. */
    static int parse(String name, String value, int defaultValue, int max) {
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 1 && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below, like an out-of-range number
        }
        throw ApiException.invalidRequest(name + " must be an integer from 1 to " + max);
    }
}
