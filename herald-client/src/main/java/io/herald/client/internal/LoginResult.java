package io.herald.client.internal;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The answer to a successful login: the token for AUTH, the gateway assigned to the device and where else it may
 * go with the same token.
 *
 * @param expiresAt when the token stops being accepted, or {@code null} if the API did not say
 * @param fallbacks other gateways, best first, for when {@code gateway} cannot be reached (empty: none, or an
 *                  older API)
 */
public record LoginResult(String token, Instant expiresAt, GatewayInfo gateway, List<GatewayInfo> fallbacks) {
    public LoginResult {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(gateway, "gateway");
        fallbacks = List.copyOf(fallbacks);
    }

    /** Without fallbacks. */
    public LoginResult(String token, Instant expiresAt, GatewayInfo gateway) {
        this(token, expiresAt, gateway, List.of());
    }

    /** Whether the token is expired, or will be within {@code marginMillis}. */
    public boolean expiresWithin(Instant now, long marginMillis) {
        return expiresAt != null && !now.plusMillis(marginMillis).isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "LoginResult[token=<redacted>, expiresAt=" + expiresAt + ", gateway=" + gateway + ", fallbacks="
                + fallbacks + "]";
    }
}
