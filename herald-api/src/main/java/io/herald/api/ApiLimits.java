package io.herald.api;

import io.herald.core.limit.AttemptLimit;
import io.herald.core.limit.LoginThrottle;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Limits on the device endpoints against guessing and flooding, counted per API node (nodes behind a load balancer
 * do not share counts). A client id or address over its limit is answered 429 with {@code Retry-After} before its
 * secret is checked, so that a flood cannot make the node hash secrets.
 *
 * @param loginFailuresPerClient  failed logins per client id from one source address; per client id over all
 *                                sources ten times this (LoginThrottle)
 * @param loginFailuresPerAddress failed logins per source address (IPv6: per /64)
 * @param registrationsPerAddress registration attempts per source address, when registration is open
 * @param trustedProxies          IP addresses or CIDR blocks whose {@code X-Forwarded-For} names the source address
 */
public record ApiLimits(AttemptLimit loginFailuresPerClient, AttemptLimit loginFailuresPerAddress,
                        AttemptLimit registrationsPerAddress, List<String> trustedProxies) {
    /**
     * A device (or a stranger) retrying a wrong secret from one address is stopped quickly; an owner who fixes it
     * waits five minutes at most.
     */
    public static final AttemptLimit DEFAULT_LOGIN_FAILURES_PER_CLIENT = LoginThrottle.DEFAULT_FAILURES_PER_CLIENT;
    /** Room for a few misconfigured devices behind one NAT; not for guessing across many ids. */
    public static final AttemptLimit DEFAULT_LOGIN_FAILURES_PER_ADDRESS = LoginThrottle.DEFAULT_FAILURES_PER_ADDRESS;
    /** Lets a fleet behind NAT register on first boot (100 a minute); holds back a script filling the store. */
    public static final AttemptLimit DEFAULT_REGISTRATIONS_PER_ADDRESS = new AttemptLimit(100, Duration.ofMinutes(1));

    public static final ApiLimits DEFAULTS = new ApiLimits(DEFAULT_LOGIN_FAILURES_PER_CLIENT,
            DEFAULT_LOGIN_FAILURES_PER_ADDRESS, DEFAULT_REGISTRATIONS_PER_ADDRESS, List.of());
    public static final ApiLimits OFF = new ApiLimits(AttemptLimit.OFF, AttemptLimit.OFF, AttemptLimit.OFF, List.of());

    public ApiLimits {
        Objects.requireNonNull(loginFailuresPerClient, "loginFailuresPerClient");
        Objects.requireNonNull(loginFailuresPerAddress, "loginFailuresPerAddress");
        Objects.requireNonNull(registrationsPerAddress, "registrationsPerAddress");
        trustedProxies = List.copyOf(trustedProxies);
        trustedProxies.forEach(ClientAddresses::parse); // refuses a host name or a bad CIDR block now, not later
    }

    public ApiLimits withTrustedProxies(List<String> proxies) {
        return new ApiLimits(loginFailuresPerClient, loginFailuresPerAddress, registrationsPerAddress, proxies);
    }
}
