package io.herald.client.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.client.ClientResources;
import io.herald.client.HeraldClient;
import io.herald.client.HeraldClientOptions;
import io.herald.client.HeraldListener;
import io.herald.client.fake.FakeApi;
import io.herald.client.fake.FakeGateway;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.MessageFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fake gateway, a fake HTTP API pointing at it and shared client resources for every test; afterwards
 * everything is closed and the test fails on protocol violations seen by the gateway or on leaked buffers.
 */
public abstract class ClientTestSupport {
    /** Bound for every wait in these tests. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(10);

    protected FakeGateway gateway;
    protected FakeApi api;
    protected ClientResources resources;
    private final List<HeraldClient> clients = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> extras = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startFakes() {
        gateway = new FakeGateway();
        api = new FakeApi(gateway);
        resources = ClientResources.builder().ioThreads(2).build();
    }

    @AfterEach
    void stopFakes() throws Exception {
        for (HeraldClient client : clients) {
            client.close();
        }
        for (AutoCloseable extra : extras) {
            extra.close();
        }
        resources.close();
        api.close();
        gateway.close();
        assertThat(gateway.problems).as("protocol violations seen by the fake gateway").isEmpty();
    }

    @AfterAll
    static void noLeakedBuffers() {
        assertThat(LeakRecorder.collectLeaks()).as("Netty buffer leaks").isEmpty();
    }

    /** Options against the fakes, with quick reconnects so that the tests stay fast. */
    protected HeraldClientOptions.Builder options(String clientId) {
        return HeraldClientOptions.builder()
                .apiUrl(api.url())
                .clientId(clientId)
                .secret("secret-" + clientId)
                .connectTimeout(Duration.ofSeconds(3))
                .requestTimeout(Duration.ofSeconds(3))
                .reconnectInitialDelay(Duration.ofMillis(20))
                .reconnectMaxDelay(Duration.ofMillis(200))
                .retryInitialDelay(Duration.ofMillis(20))
                .retryMaxDelay(Duration.ofMillis(200));
    }

    /** A client closed after the test. */
    protected HeraldClient client(HeraldClientOptions options, HeraldListener listener) {
        HeraldClient client = HeraldClient.create(resources, options, listener);
        clients.add(client);
        return client;
    }

    protected HeraldClient startedClient(String clientId, HeraldListener listener) throws Exception {
        HeraldClient client = client(options(clientId).build(), listener);
        client.start().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return client;
    }

    /** Closed after the clients, before the shared fakes. */
    protected <T extends AutoCloseable> T closeAfterTest(T closeable) {
        extras.add(closeable);
        return closeable;
    }

    /** A QoS 1 TEXT message as the gateway would push it. */
    protected static MessageFrame push(long messageId, String text) {
        return new MessageFrame(messageId, ContentType.TEXT, Qos.AT_LEAST_ONCE, false, "trace-" + messageId,
                1_700_000_000_000L + messageId, text.getBytes(StandardCharsets.UTF_8));
    }
}
