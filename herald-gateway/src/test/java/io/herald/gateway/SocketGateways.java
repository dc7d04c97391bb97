package io.herald.gateway;

import io.herald.core.memory.InMemoryDeviceStore;
import io.herald.core.memory.InMemoryOfflineStore;
import io.herald.core.memory.InMemoryUpstreamArchive;
import io.herald.core.security.InMemoryTokenStore;
import io.herald.gateway.session.DeviceAuthenticator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/** A real gateway on in-memory stores, for tests that talk to it over sockets; and reading its HTTP answers. */
final class SocketGateways {
    private SocketGateways() {
    }

    /** Starts a gateway whose devices authenticate with tokens of {@code tokens}. */
    static Gateway start(GatewaySettings settings, InMemoryTokenStore tokens) throws InterruptedException {
        return Gateway.start(settings, new GatewayCore.Dependencies(DeviceAuthenticator.inMemory(tokens),
                new InMemoryDeviceStore(), new InMemoryOfflineStore(), new InMemoryUpstreamArchive(),
                new SimpleMeterRegistry(), Clock.systemUTC(), Map.of()));
    }

    /** An HTTP answer's status line and headers, up to the blank line (or what came before the connection closed). */
    static String readHttpHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
