package io.herald.gateway;

import static io.herald.gateway.EmbeddedGateway.awaitFrame;
import static io.herald.gateway.EmbeddedGateway.send;
import static io.herald.gateway.EmbeddedGateway.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.device.DeviceIdentity;
import io.herald.gateway.session.DeviceAuthenticator;
import io.herald.protocol.frame.AuthFailFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 9: a device deleted (tokens revoked, then its session kicked) while the gateway checks its AUTH must not end
 * up connected. The two interleavings the kick alone cannot catch are forced by holding one token check back: the
 * first (the delete runs after the token resolved but before the session is bound) and the second (the delete runs
 * after the session is bound, before AUTH_OK).
 */
class DeleteDuringAuthTest {

    /** Passes checks through to the real token store, holding back the answer of check number {@code held}. */
    private static final class HeldCheck implements DeviceAuthenticator {
        private final DeviceAuthenticator tokens;
        private final int held;
        private final AtomicInteger calls = new AtomicInteger();
        private final CompletableFuture<Void> release = new CompletableFuture<>();

        HeldCheck(DeviceAuthenticator tokens, int held) {
            this.tokens = tokens;
            this.held = held;
        }

        @Override
        public CompletableFuture<Optional<DeviceIdentity>> authenticate(String token) {
            CompletableFuture<Optional<DeviceIdentity>> answer = tokens.authenticate(token);
            return calls.incrementAndGet() == held ? answer.thenCombine(release, (identity, go) -> identity) : answer;
        }
    }

    @Test
    void aSessionBoundAfterTheKickSeesItsTokenGoneAndIsRefused() {
        HeldCheck[] check = new HeldCheck[1];
        try (EmbeddedGateway gateway = new EmbeddedGateway(tokens -> check[0] = new HeldCheck(tokens, 1))) {
            String token = gateway.tokenFor("deleted-1");
            EmbeddedChannel device = gateway.connect();
            send(device, new AuthFrame(token)); // resolved now, answered only on release

            gateway.tokens.revokeAll("deleted-1");
            assertThat(gateway.core.sessions().kick("deleted-1", "device deleted")).as("not bound yet").isFalse();
            check[0].release.complete(null);

            awaitFrame(device, AuthFailFrame.class);
            assertThat(device.isActive()).isFalse();
            assertThat(gateway.core.registry().find("deleted-1")).isNull();
        }
    }

    @Test
    void aSessionBoundBeforeTheKickIsClosedByIt() {
        HeldCheck[] check = new HeldCheck[1];
        try (EmbeddedGateway gateway = new EmbeddedGateway(tokens -> check[0] = new HeldCheck(tokens, 2))) {
            String token = gateway.tokenFor("deleted-2");
            EmbeddedChannel device = gateway.connect();
            send(device, new AuthFrame(token)); // bound; its second look is held

            gateway.tokens.revokeAll("deleted-2");
            assertThat(gateway.core.sessions().kick("deleted-2", "device deleted")).isTrue();
            check[0].release.complete(null);
            device.runPendingTasks();

            assertThat(device.isActive()).isFalse();
            assertThat(written(device)).noneMatch(AuthOkFrame.class::isInstance);
            assertThat(gateway.core.registry().find("deleted-2")).isNull();
        }
    }

    @Test
    void aValidTokenStillConnects() {
        try (EmbeddedGateway gateway = new EmbeddedGateway(tokens -> tokens)) {
            EmbeddedChannel device = gateway.online("kept");

            assertThat(device.isActive()).isTrue();
            assertThat(gateway.core.sessions().find("kept")).isPresent();
            gateway.tokens.revokeAll("kept");
            assertThat(device.isActive()).as("revoking alone does not close a session; the kick does").isTrue();
        }
    }
}
