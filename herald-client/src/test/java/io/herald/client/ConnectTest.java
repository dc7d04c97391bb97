package io.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.client.support.ClientTestSupport;
import io.herald.client.support.RecordingListener;
import io.herald.protocol.ErrorCode;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectTest extends ClientTestSupport {

    @Test
    void startLogsInConnectsAndCompletesAtAuthOk() throws Exception {
        RecordingListener listener = new RecordingListener();
        HeraldClient client = startedClient("device-1", listener);

        assertThat(client.isConnected()).isTrue();
        assertThat(client.clientId()).isEqualTo("device-1");
        assertThat(api.logins).hasValue(1);
        assertThat(gateway.authTokens).singleElement().satisfies(token -> assertThat(api.isValidToken(token)).isTrue());
        assertThat(listener.connected).singleElement().satisfies(info -> {
            assertThat(info.clientId()).isEqualTo("device-1");
            assertThat(info.sessionId()).isEqualTo("session-1");
            assertThat(info.transport()).isEqualTo(Transport.TCP);
            assertThat(info.gateway()).isEqualTo("127.0.0.1:" + gateway.tcpPort());
            assertThat(info.heartbeat()).isEqualTo(Duration.ofSeconds(30));
            assertThat(info.reconnect()).isFalse();
        });
        assertThat(listener.errors).isEmpty();
    }

    @Test
    void startRegistersFirstWhenAsked() throws Exception {
        HeraldClient client = client(options("new-device").registerIfMissing(true).build(), new RecordingListener());

        client.start().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(api.registrations).hasValue(1);
        assertThat(api.logins).hasValue(1);
    }

    @Test
    void startFailsWhenTheIdIsRegisteredWithAnotherSecret() {
        api.device("taken", "someone-elses-secret");
        RecordingListener listener = new RecordingListener();
        HeraldClient client = client(options("taken").registerIfMissing(true).build(), listener);

        assertThatThrownBy(() -> client.start().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RegistrationConflictException.class)
                .hasMessageContaining("taken").hasMessageContaining("DEVICE_EXISTS");
        assertThat(api.logins).hasValue(0);
        assertThat(listener.errors).singleElement().isInstanceOf(RegistrationConflictException.class);
    }

    @Test
    void startFailsClearlyOnRejectedLogin() {
        api.acceptUnknownDevices(false);
        HeraldClient client = client(options("stranger").build(), new RecordingListener());

        assertThatThrownBy(() -> client.start().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .cause().isInstanceOfSatisfying(LoginRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.errorCode()).isEqualTo("BAD_CREDENTIALS");
                    assertThat(e.getMessage()).contains("stranger");
                });
        assertThat(gateway.authCount()).isZero();
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void startFailsClearlyOnAuthFail() {
        gateway.failAuthWith(ErrorCode.INVALID_TOKEN);
        HeraldClient client = client(options("device-1").build(), new RecordingListener());

        assertThatThrownBy(() -> client.start().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .cause().isInstanceOfSatisfying(AuthenticationFailedException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN));
        assertThat(gateway.authCount()).isEqualTo(1);
    }

    @Test
    void tokenThatExpiredWhileRetryingIsReplacedNotFatal() throws Exception {
        gateway.failAuthWith(ErrorCode.SERVER_BUSY).tokenValidator(api::isValidToken);
        RecordingListener listener = new RecordingListener();
        HeraldClient client = client(options("device-1").reloginAfterFailures(100).build(), listener);
        var started = client.start();
        await().atMost(TIMEOUT).until(() -> gateway.authCount() >= 1);

        api.revokeAllTokens();
        gateway.failAuthWith(null);

        started.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(api.logins).hasValue(2);
        assertThat(listener.errors).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(
                AuthenticationFailedException.class, auth -> assertThat(auth.code()).isEqualTo(ErrorCode.INVALID_TOKEN)));
    }

    @Test
    void startRetriesWhileTheApiIsUnavailable() throws Exception {
        api.forceLoginStatus(503);
        RecordingListener listener = new RecordingListener();
        HeraldClient client = client(options("device-1").build(), listener);

        var started = client.start();
        await().atMost(TIMEOUT).until(() -> api.logins.get() >= 2);
        api.forceLoginStatus(0);

        started.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(listener.errors).isNotEmpty().allSatisfy(e -> assertThat(e).isInstanceOfSatisfying(
                ApiException.class, api -> assertThat(api.isRetryable()).isTrue()));
    }

    @Test
    void startIsIdempotent() throws Exception {
        HeraldClient client = startedClient("device-1", new RecordingListener());

        assertThat(client.start()).isCompleted();
        assertThat(api.logins).hasValue(1);
    }

    @Test
    void closeStopsTheClientForGood() throws Exception {
        RecordingListener listener = new RecordingListener();
        HeraldClient client = startedClient("device-1", listener);

        client.close();

        assertThat(client.isConnected()).isFalse();
        assertThat(listener.disconnected).containsExactly((Throwable) null);
        assertThat(client.sendText("too late")).isCompletedExceptionally();
        assertThatThrownBy(() -> client.sendText("too late").get()).cause().isInstanceOf(ClientClosedException.class);
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> gateway.authCount() == 1);
    }

    @Test
    void closingTheResourcesClosesTheClientsStillOpen() throws Exception {
        RecordingListener listener = new RecordingListener();
        HeraldClient client = startedClient("device-1", listener);

        resources.close();

        assertThat(listener.disconnected).containsExactly((Throwable) null);
        assertThat(client.sendText("too late")).isCompletedExceptionally();
        await().atMost(TIMEOUT).until(() -> !gateway.connections.get(0).isOpen());
        assertThatThrownBy(() -> HeraldClient.create(resources, options("device-2").build(), new RecordingListener()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void closeBeforeStartFailsTheStart() {
        HeraldClient client = client(options("device-1").build(), new RecordingListener());

        client.close();

        assertThatThrownBy(() -> client.start().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .cause().isInstanceOf(ClientClosedException.class);
        assertThat(api.logins).hasValue(0);
    }

    @Test
    void closeDuringConnectionAttemptsStopsThem() {
        api.pointToTcpPort(FreePort.find());
        RecordingListener listener = new RecordingListener();
        HeraldClient client = client(options("device-1").build(), listener);
        var started = client.start();
        await().atMost(TIMEOUT).until(() -> listener.errors.size() >= 2);

        client.close();

        assertThat(started).isCompletedExceptionally();
        int errorsAtClose = listener.errors.size();
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> listener.errors.size() == errorsAtClose);
    }
}
