package io.herald.api;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;

/**
 * Failed logins per client id and per source address. Checked before the secret is: a client id or address over
 * its limit is refused without the hashing work a login costs. Only failures count, so a fleet behind one address
 * logging in together after an outage is never held back by its own successes.
 */
final class LoginThrottle {
    private final AttemptLimiter perClient;
    private final AttemptLimiter perAddress;

    LoginThrottle(ApiLimits limits, Clock clock) {
        this.perClient = new AttemptLimiter(limits.loginFailuresPerClient(), clock);
        this.perAddress = new AttemptLimiter(limits.loginFailuresPerAddress(), clock);
    }

    /** How long a login of {@code clientId} from {@code source} must wait; null when it may be tried now. */
    Duration blockedFor(String clientId, InetAddress source) {
        Duration client = perClient.blockedFor(clientId);
        Duration address = perAddress.blockedFor(source.getHostAddress());
        if (client == null || address == null) {
            return client == null ? address : client;
        }
        return client.compareTo(address) >= 0 ? client : address;
    }

    void failed(String clientId, InetAddress source) {
        perClient.record(clientId);
        perAddress.record(source.getHostAddress());
    }
}
