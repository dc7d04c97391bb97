package io.herald.core.device;

import java.util.regex.Pattern;

/**
 * The rule for client ids: 1-128 characters from letters, digits and {@code . _ - : @}, except {@code .} and
 * {@code ..}. Those two are the dot segments of a URL path: clients remove them before sending (curl, browsers,
 * RFC 3986) and the HTTP server refuses {@code ..} even percent-encoded, so a device with such an id could not be
 * looked up, kicked or deleted through {@code /api/v1/devices/{id}}.
 */
public final class ClientIds {
    public static final int MAX_LENGTH = 128;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:@-]{1," + MAX_LENGTH + "}");

    private ClientIds() {
    }

    public static boolean isValid(String clientId) {
        return clientId != null && VALID.matcher(clientId).matches() && !isDotSegment(clientId);
    }

    private static boolean isDotSegment(String clientId) {
        return clientId.equals(".") || clientId.equals("..");
    }

    /** Why {@code clientId} is not valid, or {@code null} when it is. */
    public static String problem(String clientId) {
        if (clientId == null || clientId.isEmpty()) {
            return "clientId is required";
        }
        if (clientId.length() > MAX_LENGTH) {
            return "clientId is longer than " + MAX_LENGTH + " characters";
        }
        if (!VALID.matcher(clientId).matches()) {
            return "clientId may contain only letters, digits and . _ - : @";
        }
        if (isDotSegment(clientId)) {
            return "clientId must not be \".\" or \"..\" (they cannot be used in a URL path)";
        }
        return null;
    }
}
