package io.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.client.support.ClientTestSupport;
import io.herald.client.support.RecordingListener;
import io.herald.protocol.AckStatus;
import io.herald.protocol.frame.MessageFrame;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WebSocketTest extends ClientTestSupport {

    private HeraldClient webSocketClient(RecordingListener listener) throws Exception {
        HeraldClient client = client(options("ws-device").transport(Transport.WEBSOCKET).build(), listener);
        client.start().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return client;
    }

    @Test
    void connectsOverWebSocketToTheUrlFromLogin() throws Exception {
        RecordingListener listener = new RecordingListener();
        webSocketClient(listener);

        assertThat(listener.connected).singleElement().satisfies(info -> {
            assertThat(info.transport()).isEqualTo(Transport.WEBSOCKET);
            assertThat(info.gateway()).isEqualTo(gateway.wsUrl());
        });
    }

    @Test
    void startFailsClearlyWhenTheGatewayHasNoWebSocketListener() {
        api.withoutWebSocket();
        HeraldClient client = client(options("ws-device").transport(Transport.WEBSOCKET).build(),
                new RecordingListener());

        assertThatThrownBy(() -> client.start().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .cause().isInstanceOf(HeraldException.class).hasMessageContaining("without a WebSocket URL");
        assertThat(gateway.authCount()).isZero();
    }

    @Test
    void messagesFlowBothWaysOverWebSocket() throws Exception {
        RecordingListener listener = new RecordingListener();
        HeraldClient client = webSocketClient(listener);

        gateway.session().send(push(1, "down"));
        SendResult sent = client.sendText("up").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        await().atMost(TIMEOUT).until(() -> gateway.acksFor(1).size() == 1);
        assertThat(listener.payloads()).containsExactly("down");
        assertThat(gateway.upstreamWithId(sent.messageId())).hasSize(1);
    }

    @Test
    void severalFramesInOneWebSocketMessageAreAllDelivered() throws Exception {
        RecordingListener listener = new RecordingListener();
        webSocketClient(listener);

        gateway.session().sendPacked(push(1, "a"), push(2, "b"), push(3, "c"));

        await().atMost(TIMEOUT).until(() -> gateway.acks.size() == 3);
        assertThat(listener.payloads()).containsExactly("a", "b", "c");
    }

    @Test
    void heartbeatAndResendWorkOverWebSocket() throws Exception {
        gateway.heartbeatMillis(100).ackPolicy(message -> null);
        RecordingListener listener = new RecordingListener();
        HeraldClient client = webSocketClient(listener);
        CompletableFuture<SendResult> pending = client.sendText("resend me");
        await().atMost(TIMEOUT).until(() -> gateway.upstream.size() == 1 && gateway.pings.get() >= 2);

        gateway.ackPolicy(message -> AckStatus.OK);
        gateway.dropConnections();

        assertThat(pending.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).transmissions()).isEqualTo(2);
        assertThat(gateway.upstream).extracting(MessageFrame::duplicate).containsExactly(false, true);
    }
}
