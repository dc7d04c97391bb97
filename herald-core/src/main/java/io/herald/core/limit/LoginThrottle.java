package io.herald.core.limit;

import io.herald.core.net.AddressBlocks;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;

/**
 * Failed secrets (logins, and registrations of a taken id with another secret), counted three ways, each checked
 * before the secret is, so that a key over its limit is refused without the hashing work a check costs:
 * <ul>
 *   <li>per client id and source address: a guesser, or a device with a wrong secret, is stopped quickly
 *       (the HTTP API's {@code --login-failures-per-client}) without locking the id out for the real device
 *       elsewhere;</li>
 *   <li>per client id over all sources: {@value #CLIENT_BUDGET_FACTOR} times that, the bound on guessing one id's
 *       secret from many addresses (to lock a device out, an attacker has to fail from that many sources);</li>
 *   <li>per source address over all ids ({@code --login-failures-per-address}).</li>
 * </ul>
 * Used wherever a secret is checked: HTTP logins and registrations, and MQTT devices whose password is their secret.
 * Addresses count by {@link AddressBlocks} (IPv6 by /64). Only failures count, so a fleet behind one address
 * logging in together after an outage is never held back by its own successes.
 */
public final class LoginThrottle {
    /** The per-id budget over all sources, in multiples of the per-(id, source) one, in the same window. */
    public static final int CLIENT_BUDGET_FACTOR = 10;
    /** Wrong secrets per client id from one source address; ten for one id is a misconfigured or guessing client. */
    public static final AttemptLimit DEFAULT_FAILURES_PER_CLIENT = new AttemptLimit(10, Duration.ofMinutes(5));
    /** Wrong secrets per source address over all ids; fifty a minute is more than a few misconfigured devices. */
    public static final AttemptLimit DEFAULT_FAILURES_PER_ADDRESS = new AttemptLimit(50, Duration.ofMinutes(1));

    private final AttemptLimiter perClientAndSource;
    private final AttemptLimiter perClient;
    private final AttemptLimiter perAddress;

    /**
     * @param failuresPerClient  per client id and source address (the per-id budget over all sources is
     *                           {@value #CLIENT_BUDGET_FACTOR} times it)
     * @param failuresPerAddress per source address over all ids
     */
    public LoginThrottle(AttemptLimit failuresPerClient, AttemptLimit failuresPerAddress, Clock clock) {
        AttemptLimit fromOneSource = failuresPerClient;
        this.perClientAndSource = new AttemptLimiter(fromOneSource, clock);
        this.perClient = new AttemptLimiter(fromOneSource.enabled()
                ? new AttemptLimit(fromOneSource.max() * CLIENT_BUDGET_FACTOR, fromOneSource.window())
                : AttemptLimit.OFF, clock);
        this.perAddress = new AttemptLimiter(failuresPerAddress, clock);
    }

    /** How long a secret check of {@code clientId} from {@code source} must wait; null when it may be tried now. */
    public Duration blockedFor(String clientId, InetAddress source) {
        String block = AddressBlocks.key(source);
        return longest(longest(perClientAndSource.blockedFor(pair(clientId, block)), perClient.blockedFor(clientId)),
                perAddress.blockedFor(block));
    }

    /** Counts a wrong secret (or unknown id) for {@code clientId} from {@code source}. */
    public void failed(String clientId, InetAddress source) {
        String block = AddressBlocks.key(source);
        perClientAndSource.record(pair(clientId, block));
        perClient.record(clientId);
        perAddress.record(block);
    }

    /** Client ids cannot contain a space, so the pair is unambiguous. */
    private static String pair(String clientId, String block) {
        return clientId + " " + block;
    }

    private static Duration longest(Duration a, Duration b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }
}
