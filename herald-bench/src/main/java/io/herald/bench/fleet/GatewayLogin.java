package io.herald.bench.fleet;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** How a simulated device obtains where to connect and what to send in AUTH: Herald's HTTP login, or nothing (baseline). */
public interface GatewayLogin {

    record Credentials(InetSocketAddress gateway, String token) {
    }

    CompletableFuture<Credentials> login(String clientId);
}
