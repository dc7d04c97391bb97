package io.herald.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.client.AuthenticationFailedException;
import io.herald.client.ConnectionLostException;
import io.herald.client.Jitter;
import io.herald.client.ServerErrorException;
import io.herald.protocol.ErrorCode;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {
    private static final ConnectionLostException REFUSED = new ConnectionLostException("refused");

    private static ReconnectPolicy policy(int reloginAfterFailures) {
        return new ReconnectPolicy(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 2.0, Jitter.FULL,
                new Random(1)), reloginAfterFailures);
    }

    @Test
    void suspectsTheGatewayAfterEveryNConsecutiveFailuresButKeepsTheToken() {
        ReconnectPolicy policy = policy(3);

        policy.attemptFailed(REFUSED);
        policy.attemptFailed(REFUSED);
        assertThat(policy.gatewaySuspect()).isFalse();
        policy.attemptFailed(REFUSED);
        assertThat(policy.gatewaySuspect()).isTrue();
        assertThat(policy.reloginNeeded()).as("the token is tried on its gateway once more first").isFalse();

        policy.loggedIn();
        assertThat(policy.gatewaySuspect()).isFalse();
        policy.attemptFailed(REFUSED);
        policy.attemptFailed(REFUSED);
        assertThat(policy.gatewaySuspect()).isFalse();
        policy.attemptFailed(REFUSED);
        assertThat(policy.gatewaySuspect()).isTrue();
        assertThat(policy.consecutiveFailures()).isEqualTo(6);
    }

    @Test
    void refusedTokenAsksForALoginAtOnce() {
        ReconnectPolicy policy = policy(3);

        policy.attemptFailed(new AuthenticationFailedException(ErrorCode.INVALID_TOKEN, "expired"));

        assertThat(policy.reloginNeeded()).isTrue();
    }

    @Test
    void aFullGatewayAsksForALoginAtOnceButABusyOneDoesNot() {
        ReconnectPolicy policy = policy(3);

        policy.attemptFailed(new ServerErrorException(ErrorCode.SERVER_BUSY, "could not check the credentials"));
        assertThat(policy.reloginNeeded()).isFalse();
        policy.attemptFailed(new ServerErrorException(ErrorCode.GATEWAY_FULL, "this gateway is full"));
        assertThat(policy.reloginNeeded()).isTrue();
    }

    @Test
    void otherAuthFailuresDoNot() {
        ReconnectPolicy policy = policy(3);

        policy.attemptFailed(new AuthenticationFailedException(ErrorCode.SERVER_BUSY, ""));

        assertThat(policy.reloginNeeded()).isFalse();
    }

    @Test
    void aConnectionStartsTheCountAndTheBackoffOver() {
        ReconnectPolicy policy = policy(3);
        policy.attemptFailed(REFUSED);
        policy.attemptFailed(REFUSED);
        for (int i = 0; i < 10; i++) {
            policy.connectionLost();
        }

        policy.connected();

        assertThat(policy.consecutiveFailures()).isZero();
        assertThat(policy.connectionLost()).isLessThanOrEqualTo(Duration.ofMillis(100));
        policy.attemptFailed(REFUSED);
        policy.attemptFailed(REFUSED);
        assertThat(policy.reloginNeeded()).isFalse();
    }

    @Test
    void delaysGrowWithConsecutiveFailures() {
        ReconnectPolicy policy = policy(100);
        Duration longest = Duration.ZERO;
        for (int i = 0; i < 12; i++) {
            Duration delay = policy.attemptFailed(REFUSED);
            assertThat(delay).isLessThanOrEqualTo(Duration.ofSeconds(10));
            longest = delay.compareTo(longest) > 0 ? delay : longest;
        }

        assertThat(longest).isGreaterThan(Duration.ofMillis(800));
    }
}
