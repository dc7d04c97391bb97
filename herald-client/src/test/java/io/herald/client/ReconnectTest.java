package io.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.client.fake.FakeGateway;
import io.herald.client.support.ClientTestSupport;
import io.herald.client.support.RecordingListener;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.frame.ErrorFrame;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReconnectTest extends ClientTestSupport {

    @Test
    void reconnectsWithTheSameTokenAfterTheConnectionDrops() throws Exception {
        RecordingListener listener = new RecordingListener();
        HeraldClient client = startedClient("device-1", listener);

        gateway.dropConnections();

        await().atMost(TIMEOUT).until(() -> listener.connected.size() == 2);
        assertThat(client.isConnected()).isTrue();
        assertThat(listener.disconnected).singleElement().isInstanceOf(ConnectionLostException.class);
        assertThat(listener.connected.get(1).reconnect()).isTrue();
        assertThat(listener.connected.get(1).sessionId()).isEqualTo("session-2");
        assertThat(api.logins).hasValue(1);
        assertThat(gateway.authTokens).hasSize(2);
        assertThat(gateway.authTokens.stream().distinct()).hasSize(1);
    }

    @Test
    void logsInAgainAfterTheConfiguredNumberOfFailedConnects() throws Exception {
        int deadPort = FreePort.find();
        api.pointToTcpPorts(deadPort, gateway.tcpPort());
        RecordingListener listener = new RecordingListener();
        HeraldClient client = client(options("device-1").reloginAfterFailures(3).build(), listener);

        client.start().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(listener.errors).hasSize(3).allSatisfy(e -> assertThat(e)
                .isInstanceOf(ConnectionLostException.class).hasMessageContaining(String.valueOf(deadPort)));
        assertThat(api.logins).hasValue(2);
        assertThat(listener.connected).singleElement()
                .satisfies(info -> assertThat(info.gateway()).endsWith(":" + gateway.tcpPort()));
    }

    @Test
    void keepsLoggingInEveryNFailuresWhileTheGatewayIsDown() {
        api.pointToTcpPort(FreePort.find());
        RecordingListener listener = new RecordingListener();
        HeraldClient client = client(options("device-1").reloginAfterFailures(2).build(), listener);

        client.start();

        await().atMost(TIMEOUT).until(() -> api.logins.get() >= 3);
        // Login n+1 follows failure 2n: at any moment, logins are 1 + failures / 2 (or one ahead in flight).
        int failures = listener.errors.size();
        assertThat(failures).isGreaterThanOrEqualTo(4);
        assertThat(api.logins.get()).isBetween(1 + (failures - 1) / 2, 1 + (failures + 1) / 2);
    }

    @Test
    void aGatewayThatIsGoneSendsTheClientToItsLoginsFallbackWithTheSameToken() throws Exception {
        FakeGateway fallback = closeAfterTest(new FakeGateway());
        api.withFallbackTcpPorts(FreePort.find(), fallback.tcpPort()); // the first fallback is gone too
        RecordingListener listener = new RecordingListener();
        HeraldClient client = startedClient("device-1", listener);

        gateway.close();

        await().atMost(TIMEOUT).until(() -> listener.connected.size() == 2);
        assertThat(listener.connected.get(1).gateway()).endsWith(":" + fallback.tcpPort());
        assertThat(api.logins).as("no new login: the token is good on every gateway").hasValue(1);
        assertThat(fallback.authTokens).containsExactlyElementsOf(gateway.authTokens);
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void whenTheFallbacksCannotBeReachedEitherTheClientLogsInAgain() throws Exception {
        api.withFallbackTcpPorts(FreePort.find());
        RecordingListener listener = new RecordingListener();
        HeraldClient client = client(options("device-1").reloginAfterFailures(2).build(), listener);
        client.start().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        FakeGateway next = closeAfterTest(new FakeGateway());
        api.pointTo(next).withFallbackTcpPorts();

        gateway.close();

        await().atMost(TIMEOUT).until(() -> listener.connected.size() == 2);
        assertThat(listener.connected.get(1).gateway()).endsWith(":" + next.tcpPort());
        assertThat(api.logins).hasValue(2);
    }

    @Test
    void invalidTokenMakesTheClientLogInAgain() throws Exception {
        gateway.tokenValidator(api::isValidToken);
        RecordingListener listener = new RecordingListener();
        startedClient("device-1", listener);

        api.revokeAllTokens();
        gateway.dropConnections();

        await().atMost(TIMEOUT).until(() -> listener.connected.size() == 2);
        assertThat(api.logins).hasValue(2);
        assertThat(gateway.authCount()).isEqualTo(3);
        assertThat(listener.errors).singleElement().isInstanceOfSatisfying(AuthenticationFailedException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN));
    }

    /**
     * Sends ERROR on the current session and closes that same session: the client may have reconnected before the
     * close runs, and {@code gateway.session()} would then name (and close) the new one.
     */
    private void endWith(ErrorFrame error) {
        var session = gateway.session();
        session.send(error);
        session.close();
    }

    @Test
    void errorFrameIsReportedAndTheClientReconnects() throws Exception {
        RecordingListener listener = new RecordingListener();
        startedClient("device-1", listener);

        endWith(new ErrorFrame(ErrorCode.SERVER_BUSY, "shedding load"));

        await().atMost(TIMEOUT).until(() -> listener.connected.size() == 2);
        assertThat(listener.disconnected).singleElement().isInstanceOfSatisfying(ServerErrorException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVER_BUSY));
        assertThat(listener.errors).hasSize(1);
        assertThat(listener.errors.get(0)).isInstanceOf(ServerErrorException.class)
                .hasMessageContaining("shedding load");
    }

    @Test
    void theGatewaysTimeoutsAreALostConnectionTheClientReconnectsAfter() throws Exception {
        RecordingListener listener = new RecordingListener();
        startedClient("device-1", listener);

        endWith(new ErrorFrame(ErrorCode.IDLE_TIMEOUT, "nothing received for 60000 ms"));
        await().atMost(TIMEOUT).until(() -> listener.connected.size() == 2);
        endWith(new ErrorFrame(ErrorCode.ACK_TIMEOUT, "message 7 unacknowledged after 5 sends"));
        await().atMost(TIMEOUT).until(() -> listener.connected.size() == 3);

        assertThat(listener.disconnected).extracting(e -> ((ServerErrorException) e).code())
                .containsExactly(ErrorCode.IDLE_TIMEOUT, ErrorCode.ACK_TIMEOUT);
        assertThat(listener.errors).isEmpty();
    }

    @Test
    void aLoginRefusedAfterTheFirstConnectionIsRetriedNotFatal() throws Exception {
        RecordingListener listener = new RecordingListener();
        HeraldClient client = client(options("device-1").reloginAfterFailures(1).build(), listener);
        client.start().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        api.forceLoginStatus(401);
        api.pointToTcpPort(FreePort.find());
        gateway.close();

        await().atMost(TIMEOUT).until(() -> listener.errors.stream().anyMatch(LoginRejectedException.class::isInstance)
                && api.logins.get() >= 3);

        assertThat(listener.kicked).isEmpty();
        assertThat(client.sendText("still accepted")).isNotDone();
    }
}
