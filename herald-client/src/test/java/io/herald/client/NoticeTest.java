package io.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.client.fake.FakeGateway;
import io.herald.client.support.ClientTestSupport;
import io.herald.client.support.RecordingListener;
import io.herald.protocol.AckStatus;
import io.herald.protocol.NoticeKind;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.frame.NoticeFrame;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NoticeTest extends ClientTestSupport {

    @Test
    void kickedClientStopsAndDoesNotReconnect() throws Exception {
        gateway.ackPolicy(message -> null);
        RecordingListener listener = new RecordingListener();
        HeraldClient client = startedClient("device-1", listener);
        CompletableFuture<SendResult> pending = client.sendText("unacked when kicked");
        await().atMost(TIMEOUT).until(() -> gateway.upstream.size() == 1);

        gateway.session().send(NoticeFrame.kicked("logged in elsewhere"));

        await().atMost(TIMEOUT).until(() -> listener.disconnected.size() == 1);
        assertThat(listener.kicked).containsExactly("logged in elsewhere");
        assertThat(listener.disconnected).singleElement().isInstanceOf(KickedException.class);
        assertThat(client.isConnected()).isFalse();
        assertThatThrownBy(pending::join).cause().isInstanceOfSatisfying(KickedException.class,
                e -> assertThat(e.reason()).isEqualTo("logged in elsewhere"));
        assertThatThrownBy(() -> client.sendText("after the kick").join()).cause().isInstanceOf(KickedException.class);
        await().during(Duration.ofMillis(500)).atMost(TIMEOUT).until(() -> gateway.authCount() == 1);
        assertThat(client.closeAsync()).succeedsWithin(TIMEOUT);
    }

    @Test
    void reconnectNoticeBringsTheClientBackWithItsTokenWhenTheGatewayStillTakesIt() throws Exception {
        RecordingListener listener = new RecordingListener();
        HeraldClient client = startedClient("device-1", listener);

        gateway.session().send(new NoticeFrame(NoticeKind.RECONNECT, 100, "draining", ""));

        await().atMost(TIMEOUT).until(() -> listener.connected.size() == 2);
        assertThat(api.logins).as("a restarted node takes the token: no login").hasValue(1);
        assertThat(gateway.authTokens.stream().distinct()).hasSize(1);
        assertThat(client.isConnected()).isTrue();
        assertThat(listener.disconnected).hasSize(1);
        assertThat(listener.disconnected.get(0)).isInstanceOf(ConnectionLostException.class)
                .hasMessageContaining("draining");
        assertThat(listener.errors).isEmpty();
    }

    @Test
    void reconnectNoticeSendsTheClientToItsLoginsFallbackWithItsToken() throws Exception {
        FakeGateway fallback = closeAfterTest(new FakeGateway());
        api.withFallbackTcpPorts(fallback.tcpPort());
        RecordingListener listener = new RecordingListener();
        HeraldClient client = startedClient("device-1", listener);

        gateway.session().send(new NoticeFrame(NoticeKind.RECONNECT, 100, "draining", ""));

        await().atMost(TIMEOUT).until(() -> listener.connected.size() == 2);
        assertThat(listener.connected.get(1).gateway()).isEqualTo("127.0.0.1:" + fallback.tcpPort());
        assertThat(api.logins).hasValue(1);
        assertThat(gateway.authCount()).as("not back to the draining gateway").isEqualTo(1);
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void reconnectNoticeFromAGatewayThatIsGoneMakesTheClientLogInAtOnce() throws Exception {
        FakeGateway other = closeAfterTest(new FakeGateway());
        RecordingListener listener = new RecordingListener();
        HeraldClient client = startedClient("device-1", listener);
        api.pointToTcpPort(other.tcpPort());

        gateway.session().send(new NoticeFrame(NoticeKind.RECONNECT, 100, "draining", ""));
        gateway.close();

        await().atMost(TIMEOUT).until(() -> listener.connected.size() == 2);
        assertThat(api.logins).hasValue(2);
        assertThat(listener.connected.get(1).gateway()).isEqualTo("127.0.0.1:" + other.tcpPort());
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void redirectNoticeMovesTheClientAndItsUnackedMessagesToAnotherGateway() throws Exception {
        FakeGateway other = closeAfterTest(new FakeGateway());
        gateway.ackPolicy(message -> null);
        RecordingListener listener = new RecordingListener();
        HeraldClient client = startedClient("device-1", listener);
        CompletableFuture<SendResult> pending = client.sendText("sent before the move");
        await().atMost(TIMEOUT).until(() -> gateway.upstream.size() == 1);

        gateway.session().send(new NoticeFrame(NoticeKind.REDIRECT, 0, "rebalancing", "127.0.0.1:" + other.tcpPort()));

        SendResult result = pending.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(other.upstreamWithId(result.messageId())).singleElement()
                .satisfies(frame -> assertThat(frame.duplicate()).isTrue());
        assertThat(listener.connected).hasSize(2);
        assertThat(listener.connected.get(1).gateway()).isEqualTo("127.0.0.1:" + other.tcpPort());
        assertThat(api.logins).hasValue(1);
        assertThat(other.authCount()).isEqualTo(1);
    }

    @Test
    void redirectWithUnusableTargetFallsBackToANewLogin() throws Exception {
        RecordingListener listener = new RecordingListener();
        startedClient("device-1", listener);

        gateway.session().send(new NoticeFrame(NoticeKind.REDIRECT, 0, "", "not an address"));

        await().atMost(TIMEOUT).until(() -> listener.connected.size() == 2);
        assertThat(api.logins).hasValue(2);
    }

    @Test
    void messagesStillFlowAfterARedirect() throws Exception {
        FakeGateway other = closeAfterTest(new FakeGateway());
        other.ackPolicy(message -> AckStatus.OK);
        RecordingListener listener = new RecordingListener();
        startedClient("device-1", listener);
        gateway.session().send(new NoticeFrame(NoticeKind.REDIRECT, 0, "", "127.0.0.1:" + other.tcpPort()));
        await().atMost(TIMEOUT).until(() -> listener.connected.size() == 2);

        MessageFrame pushed = push(77, "from the new gateway");
        other.session().send(pushed);

        await().atMost(TIMEOUT).until(() -> other.acksFor(77).size() == 1);
        assertThat(listener.payloads()).containsExactly("from the new gateway");
    }
}
