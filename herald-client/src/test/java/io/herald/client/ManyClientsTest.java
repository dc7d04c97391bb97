package io.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.client.support.ClientTestSupport;
import io.herald.client.support.RecordingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManyClientsTest extends ClientTestSupport {
    private static final int CLIENTS = 200;

    @Test
    void twoHundredClientsShareOneClientResources() throws Exception {
        List<HeraldClient> clients = new ArrayList<>();
        List<RecordingListener> listeners = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            RecordingListener listener = new RecordingListener();
            listeners.add(listener);
            clients.add(client(options("bench-" + i).build(), listener));
        }

        CompletableFuture.allOf(clients.stream().map(HeraldClient::start).toArray(CompletableFuture[]::new))
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(gateway.liveSessions()).hasSize(CLIENTS);
        assertThat(clients).allSatisfy(client -> assertThat(client.isConnected()).isTrue());
        CompletableFuture.allOf(clients.stream().map(c -> c.sendText("hello from " + c.clientId()))
                .toArray(CompletableFuture[]::new)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(gateway.upstream).hasSize(CLIENTS);

        gateway.liveSessions().forEach(session -> session.send(push(1, "broadcast")));
        await().atMost(TIMEOUT).until(() -> listeners.stream().allMatch(l -> l.messages.size() == 1));
    }
}
