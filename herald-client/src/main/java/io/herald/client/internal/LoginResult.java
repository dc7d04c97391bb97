package io.herald.client.internal;

import java.time.Instant;
import java.util.Objects;

/**
 * The answer to a successful login: the token for AUTH and the gateway assigned to the device.
 *
 * @param expiresAt when the token stops being accepted, or {@code null} if the API did not say
 */
public record LoginResult(String token, Instant expiresAt, GatewayInfo gateway) {
    public LoginResult {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(gateway, "gateway");
    }

    /** Whether the token is expired, or will be within {@code marginMillis}. */
    public boolean expiresWithin(Instant now, long marginMillis) {
        return expiresAt != null && !now.plusMillis(marginMillis).isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "LoginResult[token=<redacted>, expiresAt=" + expiresAt + ", gateway=" + gateway + "]";
    }
}
