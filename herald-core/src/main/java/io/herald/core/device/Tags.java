package io.herald.core.device;

import java.util.regex.Pattern;

/**
 * The rules for device tags (the groups a push with {@code "tag"} reaches): 1-{@value #MAX_LENGTH} characters from
 * letters, digits and {@code . _ - : @} (as client ids, so a tag is safe in a URL and a log line), at most
 * {@value #MAX_PER_DEVICE} per device. Tags are case-sensitive.
 */
public final class Tags {
    public static final int MAX_LENGTH = 64;
    public static final int MAX_PER_DEVICE = 32;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:@-]{1," + MAX_LENGTH + "}");

    private Tags() {
    }

    /** Why {@code tag} is not valid, or {@code null} when it is. */
    public static String problem(String tag) {
        if (tag == null || tag.isEmpty()) {
            return "a tag must not be empty";
        }
        if (tag.length() > MAX_LENGTH) {
            return "a tag is at most " + MAX_LENGTH + " characters";
        }
        if (!VALID.matcher(tag).matches()) {
            return "a tag may contain only letters, digits and . _ - : @";
        }
        return null;
    }
}
