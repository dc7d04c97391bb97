package io.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.client.support.ClientTestSupport;
import io.herald.client.support.RecordingListener;
import org.junit.jupiter.api.Test;

class HeartbeatTest extends ClientTestSupport {

    @Test
    void idleClientPingsAtTheIntervalFromAuthOk() throws Exception {
        gateway.heartbeatMillis(100);
        RecordingListener listener = new RecordingListener();
        HeraldClient client = startedClient("device-1", listener);

        await().atMost(TIMEOUT).until(() -> gateway.pings.get() >= 5);

        assertThat(client.isConnected()).isTrue();
        assertThat(gateway.authCount()).isEqualTo(1);
        assertThat(listener.disconnected).isEmpty();
    }

    @Test
    void silentGatewayIsDetectedAndTheClientReconnects() throws Exception {
        gateway.heartbeatMillis(100).answerPings(false);
        RecordingListener listener = new RecordingListener();
        startedClient("device-1", listener);

        await().atMost(TIMEOUT).until(() -> listener.connected.size() >= 2);

        assertThat(listener.disconnected.get(0)).isInstanceOf(ConnectionLostException.class)
                .hasMessageContaining("presumed dead").hasMessageContaining("250 ms");
    }
}
