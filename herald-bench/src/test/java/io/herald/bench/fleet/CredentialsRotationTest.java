package io.herald.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.bench.fleet.GatewayLogin.Credentials;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulated device moves between its login's gateways as the SDK's GatewayRotation does. */
class CredentialsRotationTest {
    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 7001);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 7002);
    private static final InetSocketAddress C = new InetSocketAddress("127.0.0.1", 7003);

    @Test
    void everyOtherGatewayOnceInARowWithTheSameTokenThenALogin() {
        Credentials login = Credentials.of(A, "t", List.of(B, C));

        Credentials first = login.nextFallback();
        Credentials second = first.nextFallback();

        assertThat(first.gateway()).isEqualTo(B);
        assertThat(second.gateway()).isEqualTo(C);
        assertThat(second.token()).isEqualTo("t");
        assertThat(second.nextFallback()).as("all tried: log in").isNull();
    }

    @Test
    void aConnectionStartsANewRoundThatWrapsToTheAssignedGateway() {
        Credentials onB = Credentials.of(A, "t", List.of(B, C)).nextFallback().connected();

        Credentials next = onB.nextFallback();

        assertThat(next.gateway()).isEqualTo(C);
        assertThat(next.nextFallback().gateway()).isEqualTo(A);
        assertThat(next.nextFallback().nextFallback()).isNull();
    }

    @Test
    void withoutFallbacksALoginAtOnce() {
        assertThat(new Credentials(A, "t").nextFallback()).isNull();
        assertThat(Credentials.of(A, "t", List.of()).nextFallback()).isNull();
    }
}
